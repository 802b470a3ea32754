"""What needs a user, mission by mission: the home page's list and the daily digest's.

Each kind of item is one counting query over every mission of the user at once, read through
the scoped querysets and limited to the missions where the user's role holds the action the
item calls for (validating, managing threats, logging). So the list costs the same few queries
whatever the number of missions or records, and another mission's records never count.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import ngettext

from alerts.models import Alert
from indicators.choices import DataSource, ObservationState
from indicators.models import CalendarDay, Indicator, Observation
from indicators.rollups import dialect
from indicators.rollups.completeness import KIND, REPORTING_STATES
from missions.models import Membership, Mission
from missions.permissions import MISSION_POLICY, Action
from threats.choices import OPEN_THREAT_STATUSES
from threats.models import Threat

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Need:
    """One kind of item waiting for the user in a mission: how many, and where to handle them."""

    kind: str
    count: int
    text: str
    path: str  # the page that handles them, without the host


@dataclass
class MissionNeeds:
    mission: Mission
    role: str
    items: list[Need] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def memberships(user: User) -> list[Membership]:
    """The user's memberships with their missions, by acronym: one query."""
    return list(
        Membership.objects.filter(user=user, mission__is_active=True)
        .select_related("mission")
        .order_by("mission__acronym")
    )


def _holding(rows: Iterable[Membership], action: Action) -> list[Mission]:
    return [m.mission for m in rows if action in MISSION_POLICY.get(m.role, frozenset())]


def _count_by_mission(queryset: QuerySet[Any]) -> dict[int, int]:
    rows = queryset.values("mission_id").annotate(n=Count("pk")).order_by()
    return {row["mission_id"]: row["n"] for row in rows}


def to_validate(user: User, missions: list[Mission]) -> dict[int, int]:
    """Submitted observations awaiting a validator, per mission."""
    scoped = Observation.objects.for_user(user, Action.VALIDATE).filter(
        mission__in=missions, state=ObservationState.SUBMITTED
    )
    return _count_by_mission(scoped)


def returned_observations(user: User, missions: list[Mission]) -> QuerySet[Observation]:
    """The user's own observations returned for correction."""
    return Observation.objects.for_user(user, Action.LOG).filter(
        mission__in=missions, logged_by=user, state=ObservationState.RETURNED
    )


def returned_to(user: User, missions: list[Mission]) -> dict[int, int]:
    """The user's own observations returned for correction, per mission."""
    return _count_by_mission(returned_observations(user, missions))


def _each_mission(missions: list[Mission], rule: Callable[[Mission], Q]) -> Q:
    """Q(mission A and A's rule) | Q(mission B and B's rule) …: each mission's own day or
    standard, in one query."""
    condition = Q(pk__in=[])
    for mission in missions:
        condition |= Q(mission=mission) & rule(mission)
    return condition


def threats_due(user: User, missions: list[Mission]) -> dict[int, int]:
    """Open threats whose next review is today or past, in each mission's own calendar."""
    due = _each_mission(missions, lambda m: Q(next_review_on__lte=m.local_date()))
    scoped = Threat.objects.for_user(user, Action.MANAGE_THREATS).open().filter(due)
    return _count_by_mission(scoped)


def alerts_past_standard(
    user: User, missions: list[Mission], now: datetime.datetime
) -> dict[int, int]:
    """Alerts past their mission's response standard and still unanswered, per mission."""
    scoped = Alert.objects.for_user(user, Action.LOG).filter(mission__in=missions)
    return _count_by_mission(scoped.past_standard(now, missions))


def reports_late(user: User, missions: list[Mission]) -> dict[int, int]:
    """The user's late reports, per mission: of each place and hand-logged indicator the user
    reports (has logged a report of), the periods whose report was due, by the rule of
    `indicators.rollups.completeness`, and is past the mission's grace days with none received.

    One query: the user's report series, each period of the indicator's frequency since its
    first report, ended more than the grace days before the mission's today, without a
    submitted or validated observation.
    """
    if not missions:
        return {}
    params: list[Any] = []
    deadline = "CASE s.mission_id"
    for mission in missions:
        cutoff = mission.local_date() - datetime.timedelta(days=mission.report_grace_days)
        deadline += f" WHEN %s THEN {dialect.date_parameter()}"
        params += [mission.pk, cutoff]
    deadline += " END"
    due = " OR ".join(
        f"(s.frequency = '{frequency}' AND c.day = c.{kind}_start AND c.{kind}_end < {deadline})"
        for frequency, kind in KIND.items()
    )
    params = params * len(KIND)
    observation = Observation._meta.db_table
    places = ", ".join(["%s"] * len(missions))
    reporting = ", ".join(f"'{state}'" for state in REPORTING_STATES)
    received = f"'{ObservationState.SUBMITTED}', '{ObservationState.VALIDATED}'"
    sql = f"""
        WITH series AS (
            SELECT o.indicator_id, o.mission_id, o.area_id, i.frequency,
                   MIN(o.period_start) AS since
            FROM {observation} o JOIN {Indicator._meta.db_table} i ON i.id = o.indicator_id
            WHERE o.mission_id IN ({places}) AND o.state IN ({reporting})
              AND i.source = '{DataSource.MANUAL}' AND i.is_active
            GROUP BY o.indicator_id, o.mission_id, o.area_id, i.frequency
            HAVING SUM(CASE WHEN o.logged_by_id = %s THEN 1 ELSE 0 END) > 0
        )
        SELECT s.mission_id, COUNT(*)
        FROM series s
        JOIN {CalendarDay._meta.db_table} c ON c.day >= s.since AND ({due})
        WHERE NOT EXISTS (
            SELECT 1 FROM {observation} r
            WHERE r.indicator_id = s.indicator_id AND r.mission_id = s.mission_id
              AND COALESCE(r.area_id, 0) = COALESCE(s.area_id, 0)
              AND r.period_start = c.day AND r.state IN ({received}))
        GROUP BY s.mission_id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(m.pk for m in missions), user.pk, *params])
        return {mission_id: count for mission_id, count in cursor.fetchall()}


def _link(name: str, mission: Mission, query: dict[str, str | list[str]] | None = None) -> str:
    path = reverse(name, kwargs={"mission": mission.acronym})
    return f"{path}?{urlencode(query, doseq=True)}" if query else path


def _items(
    mission: Mission, counts: dict[str, dict[int, int]], now: datetime.datetime
) -> list[Need]:
    """The items of one mission, in the order a person handles them; none that count zero."""
    today = mission.local_date(now)
    texts: dict[str, tuple[Callable[[int], str], str]] = {
        "validate": (
            lambda n: ngettext(
                "%(count)s observation to validate", "%(count)s observations to validate", n
            ),
            _link("web:validation", mission),
        ),
        "returned": (
            lambda n: ngettext(
                "%(count)s observation returned to you for correction",
                "%(count)s observations returned to you for correction",
                n,
            ),
            _link("web:entry", mission) + "#returned",
        ),
        "threats": (
            lambda n: ngettext(
                "%(count)s threat due for review", "%(count)s threats due for review", n
            ),
            _link(
                "web:threat-list",
                mission,
                {"status": list(OPEN_THREAT_STATUSES), "next_review_on_before": today.isoformat()},
            ),
        ),
        "alerts": (
            lambda n: ngettext(
                "%(count)s alert past the response standard",
                "%(count)s alerts past the response standard",
                n,
            ),
            _link("web:alert-list", mission, {"past_standard": "true"}),
        ),
        "reports": (
            lambda n: ngettext(
                "%(count)s report of yours is late", "%(count)s reports of yours are late", n
            ),
            _link("web:entry", mission),
        ),
    }
    items = []
    for kind, (text, path) in texts.items():
        count = counts[kind].get(mission.pk, 0)
        if count:
            items.append(Need(kind, count, text(count) % {"count": count}, path))
    return items


def needs_of(user: User, rows: list[Membership] | None = None) -> list[MissionNeeds]:
    """What needs `user` in each of their missions, for their role there.

    Queries: the memberships (unless given), then one count for each kind of item: six.
    """
    rows = memberships(user) if rows is None else rows
    now = timezone.now()
    log = _holding(rows, Action.LOG)
    counts = {
        "validate": to_validate(user, _holding(rows, Action.VALIDATE)),
        "returned": returned_to(user, log),
        "threats": threats_due(user, _holding(rows, Action.MANAGE_THREATS)),
        "alerts": alerts_past_standard(user, log, now),
        "reports": reports_late(user, log),
    }
    return [
        MissionNeeds(m.mission, m.get_role_display(), _items(m.mission, counts, now)) for m in rows
    ]
