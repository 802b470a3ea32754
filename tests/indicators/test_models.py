import datetime

import pytest

from core.choices import SexAge
from indicators.choices import DataSource, Derivation, ObservationState
from indicators.models import Indicator, IndicatorTarget, Observation, ObservationValue
from tests.factories.indicators import (
    IndicatorFactory,
    IndicatorTargetFactory,
    ObservationFactory,
    ObservationValueFactory,
)
from tests.factories.missions import LocalityFactory
from tests.integrity import rejected_by

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)  # ObservationFactory's period_start


# --- Indicator ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        pytest.param(
            {"derivation": Derivation.INCIDENTS},
            "indicators_indicator_derivation_iff_derived",
            id="manual-with-derivation",
        ),
        pytest.param(
            {"source": DataSource.DERIVED},
            "indicators_indicator_derivation_iff_derived",
            id="derived-without-derivation",
        ),
        pytest.param({"method": "mode"}, "indicators_indicator_method_valid", id="method"),
        pytest.param(
            {"at_risk_margin": -1}, "indicators_indicator_at_risk_margin_percent", id="margin-low"
        ),
        pytest.param(
            {"at_risk_margin": 101},
            "indicators_indicator_at_risk_margin_percent",
            id="margin-high",
        ),
    ],
)
def test_indicator_database_rejects_bad_row(changes: dict, constraint: str) -> None:
    indicator = IndicatorFactory()  # manual, no derivation

    with rejected_by(constraint):
        Indicator.objects.filter(pk=indicator.pk).update(**changes)


def test_indicator_derivation_is_unique() -> None:
    # a derivation the shipped catalogue does not use, so the test owns it
    derivation = "test_derivation"
    IndicatorFactory(source=DataSource.DERIVED, derivation=derivation)

    with rejected_by("indicators_indicator_unique_derivation"):
        IndicatorFactory(source=DataSource.DERIVED, derivation=derivation)


# --- IndicatorTarget ----------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, -1], ids=["same-day", "before-start"])
def test_indicator_target_period_ends_after_it_starts(days: int) -> None:
    target = IndicatorTargetFactory()

    with rejected_by("indicators_indicatortarget_period_end_after_start"):
        IndicatorTarget.objects.filter(pk=target.pk).update(
            period_end=target.period_start + datetime.timedelta(days=days)
        )


def test_indicator_target_one_per_mission_and_period() -> None:
    target = IndicatorTargetFactory()

    with rejected_by("indicators_indicatortarget_one_per_period"):
        IndicatorTargetFactory(
            indicator=target.indicator, mission=target.mission, period_start=target.period_start
        )


# --- Observation --------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, -1], ids=["same-day", "before-start"])
def test_observation_period_ends_after_it_starts(days: int) -> None:
    observation = ObservationFactory()

    with rejected_by("indicators_observation_period_end_after_start"):
        Observation.objects.filter(pk=observation.pk).update(
            period_end=observation.period_start + datetime.timedelta(days=days)
        )


def test_observation_state_must_be_known() -> None:
    observation = ObservationFactory()

    with rejected_by("indicators_observation_state_valid"):
        Observation.objects.filter(pk=observation.pk).update(state="approved")


def test_observation_validated_needs_a_validation_time() -> None:
    observation = ObservationFactory()

    with rejected_by("indicators_observation_validated_has_time"):
        Observation.objects.filter(pk=observation.pk).update(state=ObservationState.VALIDATED)


def test_observation_one_per_indicator_area_and_period() -> None:
    village = LocalityFactory()
    first = ObservationFactory(mission=village.mission, area=village)

    with rejected_by("indicators_observation_one_per_area_period"):
        ObservationFactory(
            indicator=first.indicator, mission=village.mission, area=village, period_start=MARCH
        )


def test_observation_one_mission_wide_per_indicator_and_period() -> None:
    first = ObservationFactory(area=None)

    with rejected_by("indicators_observation_one_per_mission_period"):
        ObservationFactory(indicator=first.indicator, mission=first.mission, area=None)


def test_observation_area_and_mission_wide_figures_coexist() -> None:
    # given a mission-wide figure for March
    village = LocalityFactory()
    mission_wide = ObservationFactory(mission=village.mission, area=None)

    # when an area figure and next month's mission-wide figure are logged
    ObservationFactory(indicator=mission_wide.indicator, mission=village.mission, area=village)
    ObservationFactory(
        indicator=mission_wide.indicator,
        mission=village.mission,
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 4, 30),
    )

    # then all three stand
    assert Observation.objects.filter(indicator=mission_wide.indicator).count() == 3


def test_observation_is_locked_only_when_validated() -> None:
    states = {state: ObservationFactory.build(state=state).is_locked for state in ObservationState}

    assert states == {
        ObservationState.DRAFT: False,
        ObservationState.SUBMITTED: False,
        ObservationState.VALIDATED: True,
        ObservationState.RETURNED: False,
    }


# --- ObservationValue ---------------------------------------------------------------------------


def test_observation_value_one_per_disaggregation() -> None:
    value = ObservationValueFactory(disaggregation=SexAge.WOMEN)

    with rejected_by("indicators_observationvalue_one_per_disaggregation"):
        ObservationValueFactory(observation=value.observation, disaggregation=SexAge.WOMEN)


def test_observation_value_each_disaggregation_has_its_row() -> None:
    observation = ObservationFactory()

    for group in SexAge.values:
        ObservationValueFactory(observation=observation, disaggregation=group)

    assert observation.values.count() == len(SexAge.values)


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        pytest.param(
            {"disaggregation": "elders"},
            "indicators_observationvalue_disaggregation_valid",
            id="disaggregation",
        ),
        pytest.param(
            {"value": -1}, "indicators_observationvalue_value_not_negative", id="value-negative"
        ),
        pytest.param(
            {"numerator": -1, "denominator": 10},
            "indicators_observationvalue_numerator_not_negative",
            id="numerator-negative",
        ),
        pytest.param(
            {"numerator": 1, "denominator": 0},
            "indicators_observationvalue_denominator_positive",
            id="denominator-zero",
        ),
        pytest.param(
            {"numerator": 1, "denominator": -5},
            "indicators_observationvalue_denominator_positive",
            id="denominator-negative",
        ),
        pytest.param(
            {"value": None},
            "indicators_observationvalue_has_a_figure",
            id="no-figure",
        ),
        pytest.param(
            {"value": None, "numerator": 3},
            "indicators_observationvalue_has_a_figure",
            id="numerator-without-denominator",
        ),
    ],
)
def test_observation_value_database_rejects_bad_row(changes: dict, constraint: str) -> None:
    value = ObservationValueFactory(value=12)

    with rejected_by(constraint):
        ObservationValue.objects.filter(pk=value.pk).update(**changes)


def test_observation_value_ratio_without_plain_value_is_accepted() -> None:
    value = ObservationValueFactory(value=None, numerator=3, denominator=4)

    value.refresh_from_db()

    assert (value.value, value.numerator, value.denominator) == (None, 3, 4)
