"""The figures selectors read the rollups as the engine wrote them, in a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from accounts.models import User
from incidents.choices import VerificationStatus
from indicators.choices import TargetStatus
from indicators.models import Indicator, Rollup
from indicators.rollups import rollup_rebuild
from indicators.selectors import SexAgeSplit, indicator_series, mission_figures
from missions.models import Area, Mission
from tests.factories.activities import ProtectionActivityFactory
from tests.factories.incidents import IncidentFactory
from tests.factories.indicators import IndicatorTargetFactory
from tests.factories.missions import LocalityFactory
from tests.factories.threats import ThreatFactory
from threats.choices import PerpetratorCategory, ViolenceType

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
FEBRUARY = datetime.date(2026, 2, 1)
VERIFIED = VerificationStatus.VERIFIED


@pytest.fixture
def figures_data(mission_a: Mission, time_machine) -> Area:
    """Incidents in February and March, a threat, an activity and a target; rollups rebuilt.

    Returns the locality where most of it happened.
    """
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
    village, elsewhere = LocalityFactory(mission=mission_a), LocalityFactory(mission=mission_a)
    on = datetime.date(2026, 3, 10)
    IncidentFactory(
        mission=mission_a,
        area=village,
        occurred_on=on,
        verification_status=VERIFIED,
        killed_women=2,
        killed_boys=1,
    )
    IncidentFactory(
        mission=mission_a,
        area=elsewhere,
        occurred_on=on,
        verification_status=VERIFIED,
        incident_type=ViolenceType.ABDUCTION,
        perpetrator_category=PerpetratorCategory.HOST_STATE_FORCES,
        killed_men=1,
    )
    # reported, not verified: provisional only
    IncidentFactory(mission=mission_a, area=village, occurred_on=on, killed_girls=4)
    IncidentFactory(
        mission=mission_a,
        area=village,
        occurred_on=datetime.date(2026, 2, 20),
        verification_status=VERIFIED,
        killed_women=1,
    )
    ThreatFactory(mission=mission_a, likelihood=5, impact=4, areas=[village])
    ProtectionActivityFactory(mission=mission_a, area=village, started_on=on)
    IndicatorTargetFactory(
        indicator=Indicator.objects.get(code="POC-01"), mission=mission_a, baseline=60, target=36
    )
    rollup_rebuild(mission=mission_a)
    return village


def _expected(mission: Mission, indicator: Indicator, area: Area | None, start: datetime.date):
    """The rollup rows of one bucket, read straight from the table."""
    rows = Rollup.objects.filter(
        indicator=indicator,
        mission=mission,
        area_key=area.pk if area else 0,
        period="month",
        period_start=start,
    )
    return {(r.disaggregation, r.breakdown): r for r in rows}


@pytest.mark.parametrize("level", ["mission", "sector", "locality"])
def test_mission_figures_equal_the_rollup_rows(
    level: str, mission_a: Mission, figures_data: Area, poc_adviser: User
) -> None:
    # given rollups computed by the engine from records
    area = {"mission": None, "sector": figures_data.sector, "locality": figures_data}[level]
    # when
    figures = mission_figures(
        user=poc_adviser, mission=mission_a, period="month", period_start=MARCH, area=area
    )
    # then every active indicator has a figure, equal to its rows
    assert [f.indicator.code for f in figures] == list(
        Indicator.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)
    )
    with_data = 0
    for figure in figures:
        rows = _expected(mission_a, figure.indicator, area, MARCH)
        headline = rows.get(("total", ""))
        assert figure.period_end == datetime.date(2026, 3, 31)
        if headline is None:
            assert (figure.value, figure.computed_at) == (None, None)
            continue
        with_data += 1
        assert (
            figure.value,
            figure.provisional_value,
            figure.previous_value,
            figure.change,
            figure.baseline,
            figure.target,
            figure.status,
            figure.official_count,
            figure.provisional_count,
            figure.as_of,
            figure.source_changed_at,
        ) == (
            headline.value,
            headline.provisional_value,
            headline.previous_value,
            headline.change,
            headline.baseline,
            headline.target,
            headline.status,
            headline.official_count,
            headline.provisional_count,
            headline.computed_at,
            headline.source_changed_at,
        )
        assert figure.breakdowns == {
            breakdown: row.value
            for (group, breakdown), row in rows.items()
            if breakdown and group == "total"
        }
        if figure.indicator.disaggregation == "sex_age":
            for group in ("women", "men", "girls", "boys", "unknown"):
                if (group, "") in rows:
                    assert getattr(figure.sex_age, group) == rows[(group, "")].value
        else:
            assert figure.sex_age is None
    assert with_data >= 3  # civilians killed, incidents, activities at least


def test_mission_figures_of_civilians_killed_read_as_a_dashboard_needs(
    mission_a: Mission, figures_data: Area, poc_adviser: User
) -> None:
    killed = Indicator.objects.get(code="POC-01")

    [figure] = mission_figures(
        user=poc_adviser,
        mission=mission_a,
        period="month",
        period_start=MARCH,
        indicators=[killed],
    )

    assert figure.value == 4 and figure.provisional_value == 8  # four girls still unverified
    assert figure.previous_value == 1 and figure.change == 3
    # zero is zero: girls harmed in unverified incidents only are 0 verified, and a group
    # nobody in it was harmed has no row but reads zero
    assert figure.sex_age == SexAgeSplit(
        women=Decimal(2), men=Decimal(1), girls=Decimal(0), boys=Decimal(1), unknown=Decimal(0)
    )
    assert figure.breakdowns["perpetrator:host_state_forces"] == 1
    assert figure.breakdowns["type:killing_maiming"] == 3
    # a yearly target of 36, prorated to March (about 3.06): four killed is off track
    assert Decimal(3) < figure.target < Decimal("3.1")
    assert figure.status == TargetStatus.OFF_TRACK
    assert figure.as_of is not None


def test_mission_figures_of_another_mission_do_not_exist(
    mission_a: Mission, figures_data: Area, outsider: User
) -> None:
    with pytest.raises(Mission.DoesNotExist):
        mission_figures(user=outsider, mission=mission_a, period="month", period_start=MARCH)


def test_mission_figures_are_read_by_the_secretariat(
    mission_a: Mission, figures_data: Area, secretariat: User
) -> None:
    figures = mission_figures(
        user=secretariat, mission=mission_a, period="month", period_start=MARCH
    )

    assert any(figure.value for figure in figures)


def test_mission_figures_refuse_an_area_of_another_mission(
    mission_a: Mission, mission_b: Mission, poc_adviser: User
) -> None:
    with pytest.raises(Area.DoesNotExist):
        mission_figures(
            user=poc_adviser,
            mission=mission_a,
            period="month",
            period_start=MARCH,
            area=LocalityFactory(mission=mission_b),
        )


@pytest.mark.parametrize(
    ("period", "start"),
    [("month", datetime.date(2026, 3, 2)), ("fortnight", MARCH), ("week", MARCH)],
)
def test_mission_figures_refuse_a_date_that_does_not_start_the_period(
    period: str, start: datetime.date, mission_a: Mission, poc_adviser: User
) -> None:
    with pytest.raises(ValueError):
        mission_figures(user=poc_adviser, mission=mission_a, period=period, period_start=start)


@pytest.mark.parametrize("how_many", [1, "all"])
def test_mission_figures_query_count_does_not_grow_with_indicators(
    how_many: int | str,
    mission_a: Mission,
    figures_data: Area,
    poc_adviser: User,
    django_assert_num_queries,
) -> None:
    active = list(Indicator.objects.filter(is_active=True).order_by("code"))
    chosen = active[:1] if how_many == 1 else active

    # Expected, for one indicator or all of them: the mission, scoped to the user (its
    # memberships as a subquery); then every rollup row of the bucket for those indicators.
    with django_assert_num_queries(2):
        figures = mission_figures(
            user=poc_adviser,
            mission=mission_a,
            period="month",
            period_start=MARCH,
            indicators=chosen,
        )
    # Without a list, the active indicators are read first: one query more.
    with django_assert_num_queries(3):
        mission_figures(user=poc_adviser, mission=mission_a, period="month", period_start=MARCH)

    assert len(figures) == len(chosen)


# --- indicator_series ---------------------------------------------------------------------------


def test_indicator_series_has_a_point_for_every_period_with_rows_where_computed(
    mission_a: Mission, figures_data: Area, poc_adviser: User, django_assert_num_queries
) -> None:
    killed = Indicator.objects.get(code="POC-01")
    rows = {
        r.period_start: r
        for r in Rollup.objects.filter(
            indicator=killed,
            mission=mission_a,
            area_key=0,
            period="month",
            disaggregation="total",
            breakdown="",
        )
    }
    # when, from a day inside January to a day inside April
    # (two queries: the mission, scoped to the user; the rollup rows of the range)
    with django_assert_num_queries(2):
        series = indicator_series(
            user=poc_adviser,
            mission=mission_a,
            indicator=killed,
            period="month",
            start=datetime.date(2026, 1, 15),
            end=datetime.date(2026, 4, 10),
        )
    # then one point per month, January to April, equal to the rows where there are rows
    assert [(p.period_start, p.period_end) for p in series] == [
        (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)),
        (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)),
        (datetime.date(2026, 4, 1), datetime.date(2026, 4, 30)),
    ]
    assert [p.value for p in series] == [
        rows[p.period_start].value if p.period_start in rows else None for p in series
    ]
    assert [p.target for p in series] == [
        rows[p.period_start].target if p.period_start in rows else None for p in series
    ]
    assert [p.value for p in series[1:3]] == [1, 4]


def test_indicator_series_of_another_mission_does_not_exist(
    mission_a: Mission, outsider: User
) -> None:
    with pytest.raises(Mission.DoesNotExist):
        indicator_series(
            user=outsider,
            mission=mission_a,
            indicator=Indicator.objects.get(code="POC-01"),
            period="month",
            start=FEBRUARY,
            end=MARCH,
        )
