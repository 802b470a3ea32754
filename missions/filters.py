"""Filters of missions, areas and memberships, and the mission and area filters every
mission's records share (the API's FilterSets and the list pages use them alike)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .choices import AreaKind, MissionRole
from .models import Area, Membership, Mission

if TYPE_CHECKING:
    from django.http import HttpRequest


def visible_missions(request: HttpRequest | None) -> QuerySet[Mission]:
    # None while the schema is generated: no request, no rows
    return Mission.objects.visible_to(request.user) if request else Mission.objects.none()


def visible_areas(request: HttpRequest | None) -> QuerySet[Area]:
    return Area.objects.visible_to(request.user) if request else Area.objects.none()


@extend_schema_field(OpenApiTypes.INT)
class MissionFilter(django_filters.ModelChoiceFilter):
    """A record's mission, among those the user may see."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("field_name", "mission")
        kwargs.setdefault("label", _("Mission"))
        super().__init__(queryset=visible_missions, **kwargs)  # type: ignore[arg-type]  # django-filter takes a callable of the request; the stubs do not say so


@extend_schema_field(OpenApiTypes.INT)
class AreaWithinFilter(django_filters.ModelChoiceFilter):
    """A record's area, or any area below it: a sector takes in its areas of responsibility
    and their localities."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("field_name", "area")
        kwargs.setdefault("label", _("Area (and the areas below it)"))
        super().__init__(queryset=visible_areas, **kwargs)  # type: ignore[arg-type]  # as above

    def filter(self, qs: QuerySet[Any], value: Area | None) -> QuerySet[Any]:
        if value is None:
            return qs
        # "pk" filters areas themselves; any other path leads from a record to its area
        prefix = "" if self.field_name == "pk" else f"{self.field_name}__"
        pk = value.pk  # an id: a `pk` lookup refuses model instances
        within = Q(**{f"{prefix}pk": pk}) | Q(**{f"{prefix}sector": pk}) | Q(**{f"{prefix}aor": pk})
        # a subquery, so a many-to-many path (a threat's areas) never repeats a row
        return qs.filter(pk__in=qs.model._default_manager.filter(within).values("pk"))


class MissionFilterSet(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Mission
        fields = ["is_active"]


class AreaFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    kind = django_filters.ChoiceFilter(choices=AreaKind.choices, label=_("Level"))
    within = AreaWithinFilter(field_name="pk", label=_("Within area"))
    parent = django_filters.ModelChoiceFilter(
        queryset=visible_areas,  # type: ignore[arg-type]  # a callable of the request, as above
        label=_("Parent area"),
    )

    class Meta:
        model = Area
        fields = ["mission", "kind", "parent", "pcode"]


class MembershipFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    role = django_filters.ChoiceFilter(choices=MissionRole.choices, label=_("Role"))

    class Meta:
        model = Membership
        fields = ["mission", "role", "user"]
