"""The POC report's figures, read from rollups only: every mission the reader may see, one period.

One query reads the mission-level rollups of the period for the report's indicators; each row
becomes a `Figure` with its previous period, change, target, status and "as of". Restricted
breakdowns (survivors of sexual violence and grave violations against children by sex, age,
perpetrator or violation) are left out for a reader who may not see restricted records, and
`reports.suppression` protects small counts in every report that leaves a mission.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import SexAge
from incidents.models import Incident
from indicators.choices import Derivation, TargetStatus
from indicators.models import Indicator, Rollup, RollupDay, RollupStamp
from missions.models import Mission
from missions.permissions import Action

from .periods import Period

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

D = Derivation
GROUPS = [SexAge.WOMEN, SexAge.MEN, SexAge.GIRLS, SexAge.BOYS, SexAge.UNKNOWN]


@dataclass(frozen=True)
class Section:
    code: str
    title: Any
    derivations: tuple[str, ...]
    # the breakdowns shown (each with its total), and whether figures come by sex and age
    breakdowns: tuple[str, ...] = ()
    by_sex_age: bool = False


SECTIONS = (
    Section(
        "civilians_harmed",
        _("Civilians harmed"),
        (D.CIVILIANS_KILLED, D.CIVILIANS_INJURED, D.CIVILIANS_ABDUCTED, D.SV_SURVIVORS),
        ("perpetrator:",),
        by_sex_age=True,
    ),
    Section(
        "incidents",
        _("Incidents"),
        (D.INCIDENTS, D.INCIDENTS_HOST_STATE, D.PEOPLE_DISPLACED),
        ("type:", "perpetrator:"),
    ),
    Section(
        "grave_violations",
        _("Grave violations against children"),
        (D.GRAVE_VIOLATIONS,),
        ("violation:",),
    ),
    Section(
        "alerts",
        _("Early-warning alerts"),
        (D.ALERTS_RECEIVED, D.ALERTS_WITHIN_STANDARD, D.ALERT_MEDIAN_RESPONSE),
    ),
    Section("threats", _("Open threats by risk level"), (D.HIGH_RISK_THREATS,), ("risk:",)),
    Section("activities", _("Protection activities"), (D.ACTIVITIES, D.PEOPLE_REACHED), ("tier:",)),
    Section(
        "key_elements",
        _("Paragraph 10: the four key elements"),
        (D.A4P_ELEMENTS_ON_TRACK,),
        ("element:",),
    ),
)
OFF_TARGET = "off_target"
COMPLETENESS = "completeness"
SECTION_TITLES = {s.code: s.title for s in SECTIONS} | {
    OFF_TARGET: _("Indicators off target"),
    COMPLETENESS: _("Data completeness"),  # the other hand-logged indicators, reports counted
}
SECTION_OF = {derivation: s for s in SECTIONS for derivation in s.derivations}
# Their breakdowns are need-to-know; their small counts are protected when a report leaves.
RESTRICTED_DERIVATIONS = frozenset({D.SV_SURVIVORS, D.GRAVE_VIOLATIONS})
# Counts of incidents of these types say as much as the survivors' counts.
RESTRICTED_BREAKDOWNS = frozenset({"type:sexual_violence", "type:child_recruitment"})


@dataclass
class Figure:
    """One published number: a mission's indicator in the period, by group and breakdown."""

    mission: Mission
    section: str
    indicator: Indicator
    disaggregation: str
    breakdown: str
    value: Decimal | None
    previous_value: Decimal | None
    change: Decimal | None
    target: Decimal | None
    status: str
    as_of: datetime.date | None
    expected_reports: int | None = None
    received_reports: int | None = None
    validated_reports: int | None = None
    # the columns hidden to protect small counts: "value", "previous_value", "change"
    suppressed: set[str] = field(default_factory=set)

    @property
    def sensitive(self) -> bool:
        return (
            self.indicator.derivation in RESTRICTED_DERIVATIONS
            or self.breakdown in RESTRICTED_BREAKDOWNS
        )

    def shown(self, column: str) -> Decimal | None:
        return None if column in self.suppressed else getattr(self, column)


@dataclass
class Report:
    period: Period
    missions: list[Mission]
    figures: list[Figure]
    as_of: dict[int, datetime.date | None]
    changed_at: datetime.datetime | None
    # missions whose small counts are protected: the report leaves them
    protected: set[int]
    attributions: list[str]


def report_missions(user: User | AnonymousUser, wanted: Iterable[Mission] = ()) -> list[Mission]:
    """The missions a report covers: those asked for, else every mission the user may read."""
    visible = Mission.objects.visible_to(user).order_by("acronym")
    wanted = list(wanted)
    if wanted:
        visible = visible.filter(pk__in=[m.pk for m in wanted])
    return list(visible)


def freshness(missions: list[Mission]) -> datetime.datetime | None:
    """When the figures of these missions last changed: one query on their stamps."""
    stamps = RollupStamp.objects.filter(mission__in=missions).values_list("changed_at", flat=True)
    return max(stamps, default=None)


def cleared_missions(user: User | AnonymousUser, missions: list[Mission]) -> set[int]:
    """The missions among these whose restricted records the user may see: one query."""
    cleared = Mission.objects.for_user(user, Action.VIEW_RESTRICTED).filter(
        pk__in=[m.pk for m in missions]
    )
    return set(cleared.values_list("pk", flat=True))


def leaves_mission(missions: list[Mission], cleared: set[int], *, hxl: bool) -> set[int]:
    """The missions whose small counts a report protects: all of them when it covers several
    or goes out as HXL, and any whose restricted records the reader may not see."""
    if hxl or len(missions) > 1:
        return {m.pk for m in missions}
    return {m.pk for m in missions if m.pk not in cleared}


def poc_report(
    *,
    user: User | AnonymousUser,
    period: Period,
    missions: list[Mission],
    hxl: bool = False,
    cleared: set[int] | None = None,
) -> Report:
    """The POC report of `period` for `missions` (already scoped to what `user` may read);
    `cleared`, if the caller has it, is `cleared_missions(user, missions)`."""
    from .suppression import protect

    if cleared is None:
        cleared = cleared_missions(user, missions)
    derived = [d for s in SECTIONS for d in s.derivations]
    wanted = Q(indicator__derivation__in=derived) | Q(indicator__derivation="")
    rows = (
        Rollup.objects.filter(
            wanted,
            mission__in=missions,
            area__isnull=True,
            period=period.kind,
            period_start=period.start,
        )
        .select_related("indicator")
        .order_by("mission_id", "indicator__code", "breakdown", "disaggregation")
    )
    days = dict(RollupDay.objects.filter(mission__in=missions).values_list("mission_id", "day"))
    by_pk = {m.pk: m for m in missions}
    figures = [
        figure
        for row in rows
        if (figure := _figure(row, by_pk[row.mission_id], days, cleared)) is not None
    ]
    protected = leaves_mission(missions, cleared, hxl=hxl)
    protect([f for f in figures if f.mission.pk in protected], settings.REPORT_SMALL_COUNT)
    return Report(
        period=period,
        missions=missions,
        figures=figures,
        as_of={m.pk: days.get(m.pk) for m in missions},
        changed_at=freshness(missions),
        protected=protected,
        attributions=_attributions(missions),
    )


def _figure(
    row: Rollup, mission: Mission, days: dict[int, datetime.date], cleared: set[int]
) -> Figure | None:
    indicator = row.indicator
    section = SECTION_OF.get(indicator.derivation)
    if section is None:  # a hand-logged indicator: off target, or how complete its reports are
        if row.breakdown or row.disaggregation != SexAge.TOTAL:
            return None
        code = OFF_TARGET if row.status == TargetStatus.OFF_TRACK else COMPLETENESS
    else:
        code = section.code
        if row.breakdown and not any(row.breakdown.startswith(p) for p in section.breakdowns):
            return None
        if row.breakdown and row.disaggregation != SexAge.TOTAL:
            return None  # breakdowns in total only: the report stays one table a section
        if row.disaggregation != SexAge.TOTAL and not (
            section.by_sex_age and row.disaggregation in GROUPS
        ):
            return None
        restricted = indicator.derivation in RESTRICTED_DERIVATIONS
        detail = bool(row.breakdown) or row.disaggregation != SexAge.TOTAL
        if restricted and detail and mission.pk not in cleared:
            return None
        if row.breakdown in RESTRICTED_BREAKDOWNS and mission.pk not in cleared:
            return None
    return Figure(
        mission=mission,
        section=code,
        indicator=indicator,
        disaggregation=row.disaggregation,
        breakdown=row.breakdown,
        value=row.value,
        previous_value=row.previous_value,
        change=row.change,
        target=row.target,
        status=row.status,
        as_of=days.get(mission.pk),
        expected_reports=row.expected_reports,
        received_reports=row.received_reports,
        validated_reports=row.validated_reports,
    )


def _attributions(missions: list[Mission]) -> list[str]:
    """The credit of each public dataset the missions' incidents were imported from."""
    from imports.presets import source_attribution

    sources = (
        Incident.objects.filter(mission__in=missions)
        .exclude(external_source="")
        .order_by("external_source")
        .values_list("external_source", flat=True)
        .distinct()
    )
    return [source_attribution(source) for source in sources]
