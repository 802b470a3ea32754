"""Property: after any sequence of writes, the stored rollups equal a from-scratch computation.

Writes go through the services, so the refresh each one enqueues on commit runs as in
production (in-process without a broker). Two comparisons after each sequence: the stored rows
against the plain Python reference (tests/indicators/reference.py), and against the engine's own
full rebuild.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import Indicator, Observation, Rollup
from indicators.rollups import rollup_rebuild
from indicators.services import observations as obs
from tests.factories.missions import AreaFactory

from .reference import reference_rollups

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 12, 1)  # weeks straddle a year, months and quarters
MANUAL_CODES = ("POC-19", "POC-16", "POC-27", "POC-21")  # sum, ratio, latest by sex, sum by sex
FIELDS = (
    "value",
    "numerator",
    "denominator",
    "provisional_value",
    "official_count",
    "provisional_count",
    "previous_value",
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
)


def _apply(op: tuple, *, mission, places, joc, adviser) -> None:
    kind = op[0]
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
    try:
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
    except Exception as error:  # a refused transition is part of the sequence: it changes nothing
        from django.core.exceptions import ValidationError

        if not isinstance(error, ValidationError):
            raise


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
    return abs(Decimal(str(a)) - Decimal(str(b))) < Decimal("0.001")


def assert_same(stored: dict, expected: dict) -> None:
    assert stored.keys() == expected.keys()
    for key, row in expected.items():
        for name, value in row.items():
            assert _close(stored[key][name], value), (key, name, stored[key][name], value)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=12))
def test_rollups_equal_reference_after_any_sequence(
    ops, mission_a, places, joc_officer, poc_adviser, django_capture_on_commit_callbacks
):
    # given a clean slate for this example
    Observation.objects.all().delete()
    Rollup.objects.all().delete()
    # when every write goes through its service and its refresh runs on commit
    for op in ops:
        with django_capture_on_commit_callbacks(execute=True):
            _apply(op, mission=mission_a, places=places, joc=joc_officer, adviser=poc_adviser)
    # then the incrementally kept rollups equal the reference computation …
    indicators = list(Indicator.objects.filter(code__in=MANUAL_CODES))
    incremental = {i.code: _stored(i) for i in indicators}
    for indicator in indicators:
        assert_same(incremental[indicator.code], reference_rollups(indicator))
    # … and the engine's own rebuild from scratch
    rollup_rebuild(mission=mission_a)
    for indicator in indicators:
        assert_same(incremental[indicator.code], _stored(indicator))
