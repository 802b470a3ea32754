"""The incident and alert lists of a mission: the API's FilterSets on the user's scoped records,
paged by keyset.

A mission holds hundreds of thousands of incidents. A numbered page would COUNT every match and
skip its way to page n with OFFSET, both linear in the rows; a keyset page asks for the next rows
after the last one shown, on the (date, id) order the indexes serve, so each page costs the same
whatever its depth. The list says "older" and "newer", not "page 3 of 4,000".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.filters import AlertFilterSet
from alerts.models import Alert
from incidents.filters import IncidentFilterSet
from incidents.models import Incident
from missions.models import Area
from threats.models import Threat

if TYPE_CHECKING:
    from django.http import HttpRequest, QueryDict

    from accounts.models import User
    from missions.models import Mission

M = TypeVar("M", bound=Model)

PAGE_SIZE = 50
# filters the API offers for synchronising clients, not for a person reading the list
API_ONLY_FILTERS = ("updated_at",)
CURSOR_KEYS = ("older", "newer")


@dataclass(frozen=True)
class KeysetPage(Generic[M]):
    rows: list[M]
    older: str | None  # cursor of the next page towards the oldest, None on the last
    newer: str | None  # cursor of the page before, None on the first


def _cursor(record: Model, field: str) -> str:
    value = getattr(record, field)
    return f"{value.isoformat()}~{record.pk}"


def _parse_cursor(model: type[Model], field: str, cursor: str) -> tuple[Any, int] | None:
    """The (value, id) a cursor names; None for one that names nothing (a hand-edited URL)."""
    value, _sep, pk = cursor.rpartition("~")
    try:
        parsed = model._meta.get_field(field).to_python(value)  # type: ignore[union-attr]  # a concrete field
        number = int(pk)
    except (ValidationError, ValueError, OverflowError):
        return None
    if parsed is None or not 0 < number < 2**63:  # beyond a database integer: no such row
        return None
    if isinstance(parsed, datetime.datetime) and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed, number


def keyset_page(
    queryset: QuerySet[M], *, field: str, params: QueryDict, size: int = PAGE_SIZE
) -> KeysetPage[M]:
    """The page of `queryset`, newest first by (`field`, id), after the cursor in `params`.

    One query: `size + 1` rows tell whether another page follows.
    """
    model = queryset.model
    older = _parse_cursor(model, field, params.get("older", ""))
    newer = None if older else _parse_cursor(model, field, params.get("newer", ""))
    if newer is not None:
        value, pk = newer
        after = Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk})
        rows = list(queryset.filter(after).order_by(field, "pk")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            rows=rows,
            older=_cursor(rows[-1], field) if rows else None,
            newer=_cursor(rows[0], field) if rows and more_newer else None,
        )
    if older is not None:
        value, pk = older
        before = Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk})
        queryset = queryset.filter(before)
    rows = list(queryset.order_by(f"-{field}", "-pk")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows,
        older=_cursor(rows[-1], field) if rows and more_older else None,
        newer=_cursor(rows[0], field) if rows and older is not None else None,
    )


def mission_incidents(mission: Mission, user: User) -> QuerySet[Incident]:
    """A mission's incidents the user may see: restricted ones only with a need to know."""
    return Incident.objects.for_user(user).filter(mission=mission)


def mission_alerts(mission: Mission, user: User) -> QuerySet[Alert]:
    return Alert.objects.for_user(user).filter(mission=mission)


def _in_mission(params: QueryDict, mission: Mission) -> QueryDict:
    """The list's parameters with the URL's mission as the FilterSet's own mission filter, and
    without the paging cursors, which are no filter."""
    data = params.copy()
    for key in CURSOR_KEYS:
        data.pop(key, None)
    data["mission"] = str(mission.pk)
    return data


def _for_people(filterset: django_filters.FilterSet, *, mission: Mission, user: User) -> None:
    """The mission's own areas and threats to choose from, and widgets a person can use:
    checkboxes for several choices, date pickers with a label on each end of a range."""
    for name in API_ONLY_FILTERS:
        del filterset.filters[name]
    areas = cast(django_filters.ModelChoiceFilter, filterset.filters["area"])
    areas.queryset = Area.objects.visible_to(user).filter(mission=mission)
    threats = cast(django_filters.ModelChoiceFilter, filterset.filters["threat"])
    threats.queryset = Threat.objects.for_user(user).filter(mission=mission)
    # the FilterSet's declared filters first, those its Meta lists after: dates, places and
    # kinds are what a person filters by most
    for name in getattr(type(filterset), "Meta").fields:  # noqa: B009 - the stubs have no Meta
        filterset.filters[name] = filterset.filters.pop(name)
    for each in filterset.filters.values():
        if isinstance(each, django_filters.MultipleChoiceFilter):
            each.extra["widget"] = forms.CheckboxSelectMultiple
        elif isinstance(each, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
            each.extra["empty_label"] = _("Any")
    for field in filterset.form.fields.values():
        if isinstance(field, forms.NullBooleanField):
            # the values the API takes (…=true), and "any" rather than "unknown" for no filter
            field.widget = forms.Select(
                choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
            )
        widgets = getattr(field.widget, "widgets", None)
        if widgets and len(widgets) == 2:  # a from-to range
            ends = (_("from"), _("to"))
            for widget, end in zip(widgets, ends, strict=True):
                widget.input_type = "date"
                widget.attrs["aria-label"] = f"{field.label}: {end}"


class InDefaultZone(django_filters.FilterSet):
    """Filters applied in the default time zone, whatever zone the page shows times in.

    django-filter turns a date range into midnights of the current zone, and Django reads an
    aware midnight back into a day in the default zone: with a mission's zone east of UTC
    active, "from 11 March" would filter from the 10th.
    """

    @property
    def qs(self) -> QuerySet[Any]:
        with timezone.override(timezone.get_default_timezone()):
            filtered: QuerySet[Any] = super().qs
            return filtered


class MissionIncidentFilterSet(InDefaultZone, IncidentFilterSet):
    """The API's incident filters on one mission's incidents the user may see."""

    def __init__(self, params: QueryDict, *, mission: Mission, request: HttpRequest) -> None:
        user: User = request.user  # type: ignore[assignment]  # the pages are for signed-in users
        super().__init__(
            _in_mission(params, mission),
            queryset=Incident.objects.for_user(user).select_related("area"),
            request=request,
        )
        _for_people(self, mission=mission, user=user)


class MissionAlertFilterSet(InDefaultZone, AlertFilterSet):
    """The API's alert filters on one mission's alerts the user may see."""

    def __init__(self, params: QueryDict, *, mission: Mission, request: HttpRequest) -> None:
        user: User = request.user  # type: ignore[assignment]  # as above
        super().__init__(
            _in_mission(params, mission),
            queryset=Alert.objects.for_user(user).select_related("area", "mission"),
            request=request,
        )
        _for_people(self, mission=mission, user=user)
