"""Property: after any sequence of writes, the stored rollups equal a from-scratch computation.

Writes go through the services, so the refresh each one enqueues on commit runs as in
production (in-process without a broker). Two comparisons after each sequence: the stored rows
against the plain Python reference (tests/indicators/reference.py), and against the engine's own
full rebuild. A workflow step the observation's state refuses must fail with the error its
service gives for that state, and change nothing; any other error fails the test.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alerts import services as alerts
from alerts.models import Alert
from commitments.models import Tier
from incidents import services as incidents
from incidents.models import Incident
from indicators.choices import ObservationState
from indicators.models import Indicator, IndicatorTarget, Observation, Rollup
from indicators.rollups import rollup_rebuild
from indicators.services import observations as obs
from missions.models import Mission
from tests.factories.missions import AreaFactory

from .reference import reference_rollups

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 12, 1)  # weeks straddle a year, months and quarters
FIRST_ALERT = datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC)
# the figures are computed at this frozen instant, so that some alerts without a response are
# still inside their standard (pending) and others past it (missed)
NOW_HOURS = 40 * 24 + 12
NOW = FIRST_ALERT + datetime.timedelta(hours=NOW_HOURS)
# days after the first alert that end an ISO week (Sundays 7 December and 4 January) or a month
# (31 December ends the year too): at 23:00 UTC on them an alert is received on the next day in
# the mission's zone (Africa/Kinshasa, UTC+1), in another bucket
LAST_DAYS = (6, 30, 34, 61, 89)
MANUAL_CODES = ("POC-19", "POC-16", "POC-27", "POC-21")  # sum, ratio, latest by sex, sum by sex
# civilians killed and incidents (by type and perpetrator); alerts in time and median response
DERIVED_CODES = ("POC-01", "POC-05", "POC-10", "POC-11")
FIELDS = (
    "value",
    "numerator",
    "denominator",
    "provisional_value",
    "official_count",
    "provisional_count",
    "previous_value",
    "covered_days",
    "expected_reports",
    "received_reports",
    "on_time_reports",
    "validated_reports",
    "target",
    "status",
)


@pytest.fixture
def places(mission_a):
    """Two sectors, an area of responsibility in each, and two localities in each of those."""
    localities = []
    for s in range(2):
        sector = AreaFactory(mission=mission_a, kind="sector", name=f"Sector {s}")
        aor = AreaFactory(mission=mission_a, kind="aor", name=f"AOR {s}", parent=sector)
        localities += [
            AreaFactory(mission=mission_a, kind="locality", name=f"Village {s}{n}", parent=aor)
            for n in range(2)
        ]
    return [None, *localities]


def _period(indicator: Indicator, step: int) -> tuple[datetime.date, datetime.date]:
    if indicator.frequency == "weekly":
        start = START - datetime.timedelta(days=START.weekday()) + datetime.timedelta(weeks=step)
        return start, start + datetime.timedelta(days=6)
    months = {"monthly": 1, "quarterly": 3, "annual": 12}[indicator.frequency]
    index = (START.month - 1) + step * months
    index -= index % months
    start = datetime.date(START.year + index // 12, index % 12 + 1, 1)
    index += months
    return start, datetime.date(START.year + index // 12, index % 12 + 1, 1) - datetime.timedelta(1)


def _values(indicator: Indicator, figures: list[int]) -> dict:
    groups = (
        ("women", "men", "girls", "boys") if indicator.disaggregation == "sex_age" else ("total",)
    )
    if indicator.method == "ratio":
        return {
            g: {"numerator": f, "denominator": f + 3}
            for g, f in zip(groups, figures[: len(groups)], strict=True)
        }
    return {
        g: {"value": Decimal(f) / 4} for g, f in zip(groups, figures[: len(groups)], strict=True)
    }


operation = st.one_of(
    st.tuples(
        st.just("create"),
        st.sampled_from(MANUAL_CODES),
        st.integers(0, 4),
        st.integers(0, 8),
        st.lists(st.integers(0, 40), min_size=4, max_size=4),
        st.sampled_from(["draft", "submitted", "validated"]),
    ),
    st.tuples(st.just("return"), st.integers(0, 30)),
    st.tuples(st.just("reopen"), st.integers(0, 30)),
    st.tuples(
        st.just("revalue"), st.integers(0, 30), st.lists(st.integers(0, 40), min_size=4, max_size=4)
    ),
    st.tuples(st.just("validate"), st.integers(0, 30)),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(
        st.just("incident"),
        st.integers(1, 4),
        st.integers(0, 120),
        st.sampled_from(["reported", "verified", "discredited"]),
        st.sampled_from(["killing_maiming", "abduction"]),
        st.sampled_from(["host_state_forces", "non_state_armed_group"]),
        st.lists(st.integers(0, 5), min_size=5, max_size=5),
    ),
    st.tuples(
        st.just("move_incident"),
        st.integers(0, 30),
        st.integers(1, 4),
        st.integers(0, 120),
        st.sampled_from(["reported", "verified", "discredited"]),
    ),
    st.tuples(st.just("delete_incident"), st.integers(0, 30)),
    st.tuples(
        st.just("alert"),
        st.integers(1, 4),
        # hours after the first alert: any, around the standard's end before now, or either
        # side of local midnight (UTC+1) on the last day of a week, month or year
        st.one_of(
            st.integers(0, 120 * 24),
            st.integers(NOW_HOURS - 30, NOW_HOURS + 6),
            st.builds(
                lambda day, hour: day * 24 + hour,
                st.sampled_from(LAST_DAYS),
                st.sampled_from([22, 23]),
            ),
        ),
        st.one_of(st.none(), st.integers(0, 72)),
        st.sampled_from(["pending", "false_alarm", "violence_averted"]),
    ),
    st.tuples(st.just("answer_alert"), st.integers(0, 30), st.integers(0, 72)),
    st.tuples(st.just("delete_alert"), st.integers(0, 30)),
)

GROUPS = ("women", "men", "girls", "boys", "unknown")


def _pick(model, index: int):
    rows = list(model.objects.order_by("pk"))
    return rows[index % len(rows)] if rows else None


def _apply_record(op: tuple, *, mission, places, joc) -> None:
    """Incidents and alerts, through their services."""
    kind = op[0]
    if kind == "incident":
        _, place, day, verification, incident_type, perpetrator, killed = op
        incidents.incident_create(
            by=joc,
            mission=mission,
            area=places[place],
            occurred_on=START + datetime.timedelta(days=day),
            incident_type=incident_type,
            perpetrator_category=perpetrator,
            verification_status=verification,
            source_type="un_patrol",
            **{f"killed_{g}": n for g, n in zip(GROUPS, killed, strict=True)},
        )
    elif kind == "move_incident" and (incident := _pick(Incident, op[1])):
        incidents.incident_update(
            incident=incident,
            by=joc,
            data={
                "area": places[op[2]],
                "occurred_on": START + datetime.timedelta(days=op[3]),
                "verification_status": op[4],
            },
        )
    elif kind == "delete_incident" and (incident := _pick(Incident, op[1])):
        incidents.incident_delete(incident=incident, by=joc)
    elif kind == "alert":
        _, place, hours, answer, outcome = op
        received = FIRST_ALERT + datetime.timedelta(hours=hours)
        arrived = None if answer is None else received + datetime.timedelta(hours=answer)
        alerts.alert_create(
            by=joc,
            mission=mission,
            area=places[place],
            source="patrol",
            severity="high",
            summary="armed men seen near the market",
            received_at=received,
            arrived_at=arrived,
            outcome=outcome,
        )
    elif kind == "answer_alert" and (alert := _pick(Alert, op[1])):
        alerts.alert_record_response(
            alert=alert,
            by=joc,
            tier=Tier.objects.get(number=2),
            decided="patrol sent",
            arrived_at=alert.received_at + datetime.timedelta(hours=op[2]),
            outcome="harm_mitigated",
        )
    elif kind == "delete_alert" and (alert := _pick(Alert, op[1])):
        alerts.alert_delete(alert=alert, by=joc)


# The states each workflow step starts from, and the state it leaves (asking again is a retry,
# which changes nothing and succeeds).
STEPS = {
    "return": ((ObservationState.SUBMITTED,), ObservationState.RETURNED),
    "reopen": ((ObservationState.VALIDATED,), ObservationState.RETURNED),
    "validate": ((ObservationState.SUBMITTED,), ObservationState.VALIDATED),
}


def _refusal(kind: str, state: str) -> str | None:
    """The error the observation services give for this step from this state; None when the
    step is allowed. These are the only errors the generated sequences may meet."""
    if kind == "revalue":
        if state in (ObservationState.DRAFT, ObservationState.RETURNED):
            return None
        return "Only draft or returned observations can be changed."
    if kind == "delete":
        if state != ObservationState.VALIDATED:
            return None
        return "A validated observation must be reopened before it is deleted."
    sources, target = STEPS[kind]
    if state in sources or state == target:
        return None
    return f"This observation is {str(ObservationState(state).label).lower()}."


def _step(kind: str, o: Observation, op: tuple, *, joc, adviser) -> None:
    """One workflow step on an existing observation, through its service."""
    if kind == "return":
        obs.observation_return(observation=o, by=adviser, reason="check the figures")
    elif kind == "reopen":
        obs.observation_reopen(observation=o, by=adviser, reason="late correction")
    elif kind == "revalue":
        obs.observation_update_values(observation=o, by=joc, values=_values(o.indicator, op[2]))
        obs.observation_submit(observation=o, by=joc)
    elif kind == "validate":
        obs.observation_validate(observation=o, by=adviser)
    else:
        obs.observation_delete(observation=o, by=joc)


def _apply(op: tuple, *, mission, places, joc, adviser) -> None:
    kind = op[0]
    if kind not in ("create", "return", "reopen", "revalue", "validate", "delete"):
        _apply_record(op, mission=mission, places=places, joc=joc)
        return
    if kind == "create":
        _, code, place, step, figures, state = op
        indicator = Indicator.objects.get(code=code)
        start, end = _period(indicator, step)
        area = places[place]
        if Observation.objects.filter(
            indicator=indicator, mission=mission, area=area, period_start=start
        ).exists():
            return
        o = obs.observation_create(
            by=joc,
            indicator=indicator,
            mission=mission,
            area=area,
            period_start=start,
            period_end=end,
            values=_values(indicator, figures),
        )
        if state != "draft":
            o = obs.observation_submit(observation=o, by=joc)
        if state == "validated":
            obs.observation_validate(observation=o, by=adviser)
        return
    existing = list(Observation.objects.order_by("pk"))
    if not existing:
        return
    o = existing[op[1] % len(existing)]
    refusal = _refusal(kind, o.state)
    if refusal is None:
        _step(kind, o, op, joc=joc, adviser=adviser)  # any error fails the test
        return
    # a refused transition is part of the sequence: it fails with its own error, changing nothing
    with pytest.raises(ValidationError) as refused:
        _step(kind, o, op, joc=joc, adviser=adviser)
    assert refused.value.messages == [refusal]
    assert Observation.objects.get(pk=o.pk).state == o.state


def _stored(indicator: Indicator) -> dict[tuple, dict]:
    rows = Rollup.objects.filter(indicator=indicator).values(
        "mission_id", "area_key", "period", "period_start", "disaggregation", "breakdown", *FIELDS
    )
    return {
        (
            r["mission_id"],
            r["area_key"],
            r["period"],
            r["period_start"],
            r["disaggregation"],
            r["breakdown"],
        ): {f: r[f] for f in FIELDS}
        for r in rows
    }


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return abs(Decimal(str(a)) - Decimal(str(b))) < Decimal("0.001")


def assert_same(stored: dict, expected: dict) -> None:
    assert stored.keys() == expected.keys()
    for key, row in expected.items():
        for name, value in row.items():
            assert _close(stored[key][name], value), (key, name, stored[key][name], value)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=6, max_size=20))
def test_rollups_equal_reference_after_any_sequence(
    ops,
    mission_a,
    places,
    joc_officer,
    poc_adviser,
    django_capture_on_commit_callbacks,
    settings,
    time_machine,
):
    # figures computed at a fixed instant, the same for the refreshes, reference and rebuild
    time_machine.move_to(NOW, tick=False)
    # annual observations run to 2033, past the default window of record dates (a year ahead)
    settings.RECORD_DATES_YEARS_AHEAD = 10
    # given a clean slate for this example
    for model in (Observation, Incident, Alert, Rollup):
        model.objects.all().delete()
    # the mission's records are all in from START: empty periods since count 0, and the
    # nightly rebuild has written those zeros before the writes
    Mission.objects.filter(pk=mission_a.pk).update(reporting_from=START)
    indicators = list(Indicator.objects.filter(code__in=MANUAL_CODES + DERIVED_CODES))
    for indicator in indicators:  # two yearly targets: weeks across the new year take both
        for year, target in ((2025, 30), (2026, 120)):
            IndicatorTarget.objects.get_or_create(
                indicator=indicator,
                mission=mission_a,
                period_start=datetime.date(year, 1, 1),
                defaults={"period_end": datetime.date(year, 12, 31), "target": target},
            )
    rollup_rebuild(mission=mission_a)
    # when every write goes through its service and its refresh runs on commit
    for op in ops:
        with django_capture_on_commit_callbacks(execute=True):
            _apply(op, mission=mission_a, places=places, joc=joc_officer, adviser=poc_adviser)
    # then the incrementally kept rollups equal the reference computation …
    incremental = {i.code: _stored(i) for i in indicators}
    for indicator in indicators:
        assert_same(incremental[indicator.code], reference_rollups(indicator, NOW))
    # (the zeros of the derived counts are judged against their targets in every example)
    assert any(row["target"] is not None for row in incremental["POC-01"].values())
    # … and the engine's own rebuild from scratch
    rollup_rebuild(mission=mission_a)
    for indicator in indicators:
        assert_same(incremental[indicator.code], _stored(indicator))
