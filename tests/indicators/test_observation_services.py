"""The observation workflow: log, correct, submit, validate, return, reopen and delete."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from audit.choices import AuditAction
from audit.models import AuditEntry
from indicators.choices import (
    CombinationMethod,
    DataSource,
    Derivation,
    Disaggregation,
    ObservationState,
)
from indicators.models import Indicator, Observation
from indicators.services import observations as workflow
from missions.models import Mission
from tests.factories.indicators import IndicatorFactory
from tests.factories.missions import LocalityFactory

pytestmark = pytest.mark.django_db

MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


@pytest.fixture
def indicator() -> Indicator:
    return IndicatorFactory()


def _log(by: User, mission: Mission, indicator: Indicator, value: int = 4) -> Observation:
    return workflow.observation_create(
        by=by,
        indicator=indicator,
        mission=mission,
        area=None,
        period_start=MARCH[0],
        period_end=MARCH[1],
        values={"total": {"value": value}},
    )


def _entries(observation: Observation) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=observation.pk, content_type__model="observation")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def test_observation_create_logs_a_draft_with_its_figures(
    joc_officer: User, mission_a: Mission, indicator: Indicator
) -> None:
    observation = _log(joc_officer, mission_a, indicator)

    assert observation.state == ObservationState.DRAFT
    assert observation.logged_by == joc_officer
    assert observation.values.get().value == 4
    entry = AuditEntry.objects.get(object_id=observation.pk, action=AuditAction.CREATE)
    before, after = entry.changes["values"]
    assert before is None
    assert Decimal(after["total"]["value"]) == 4


def test_observation_create_refuses_a_derived_indicator(
    joc_officer: User, mission_a: Mission
) -> None:
    derived = Indicator.objects.get(derivation=Derivation.CIVILIANS_KILLED)
    assert derived.source == DataSource.DERIVED

    with pytest.raises(ValidationError):
        _log(joc_officer, mission_a, derived)


def test_observation_create_refuses_a_period_that_is_not_whole(
    joc_officer: User, mission_a: Mission, indicator: Indicator
) -> None:
    with pytest.raises(ValidationError) as refusal:
        workflow.observation_create(
            by=joc_officer,
            indicator=indicator,
            mission=mission_a,
            area=None,
            period_start=datetime.date(2026, 3, 2),
            period_end=MARCH[1],
            values={"total": {"value": 1}},
        )
    assert "period_start" in refusal.value.message_dict


def test_observation_create_refuses_an_area_of_another_mission(
    joc_officer: User, mission_a: Mission, mission_b: Mission, indicator: Indicator
) -> None:
    with pytest.raises(ValidationError) as refusal:
        workflow.observation_create(
            by=joc_officer,
            indicator=indicator,
            mission=mission_a,
            area=LocalityFactory(mission=mission_b),
            period_start=MARCH[0],
            period_end=MARCH[1],
            values={"total": {"value": 1}},
        )
    assert "area" in refusal.value.message_dict


def test_observation_create_asks_the_figures_the_indicator_needs(
    joc_officer: User, mission_a: Mission
) -> None:
    by_sex_age = IndicatorFactory(disaggregation=Disaggregation.SEX_AGE)
    ratio = IndicatorFactory(method=CombinationMethod.RATIO)

    with pytest.raises(ValidationError):  # a total where groups are asked
        _log(joc_officer, mission_a, by_sex_age)
    with pytest.raises(ValidationError):  # a plain value where a ratio is asked
        _log(joc_officer, mission_a, ratio)
    observation = workflow.observation_create(
        by=joc_officer,
        indicator=by_sex_age,
        mission=mission_a,
        area=None,
        period_start=MARCH[0],
        period_end=MARCH[1],
        values={"women": {"value": 2}, "girls": {"value": 1}},
    )
    assert sorted(observation.values.values_list("disaggregation", flat=True)) == [
        "girls",
        "women",
    ]


def test_observation_workflow_from_draft_to_validated_and_back(
    joc_officer: User, poc_adviser: User, mission_a: Mission, indicator: Indicator
) -> None:
    # given a draft, submitted by the JOC officer and validated by the POC adviser
    observation = _log(joc_officer, mission_a, indicator, value=4)
    observation = workflow.observation_submit(observation=observation, by=joc_officer)
    assert observation.submitted_at is not None
    observation = workflow.observation_validate(observation=observation, by=poc_adviser)
    assert (observation.state, observation.validated_by) == (
        ObservationState.VALIDATED,
        poc_adviser,
    )

    # when the adviser reopens it and the officer corrects it
    with pytest.raises(ValidationError):
        workflow.observation_update_values(
            observation=observation, by=joc_officer, values={"total": {"value": 5}}
        )
    observation = workflow.observation_reopen(
        observation=observation, by=poc_adviser, reason="The report came late"
    )
    observation = workflow.observation_update_values(
        observation=observation, by=joc_officer, values={"total": {"value": 5}}
    )

    # then it is returned, unvalidated, with both figures in its history and the trail
    assert observation.state == ObservationState.RETURNED
    assert observation.validated_by is None and observation.validated_at is None
    assert observation.values.get().value == 5
    history = list(observation.transitions.values_list("to_state", "comment", "values_snapshot"))
    assert [(to, comment) for to, comment, _ in history] == [
        ("submitted", ""),
        ("validated", ""),
        ("returned", "The report came late"),
    ]
    assert Decimal(history[1][2]["total"]["value"]) == 4
    assert _entries(observation) == ["create", "submit", "validate", "reopen", "update"]
    reopen = AuditEntry.objects.get(object_id=observation.pk, action=AuditAction.REOPEN)
    assert reopen.reason == "The report came late"
    assert reopen.changes["state"] == ["validated", "returned"]


def test_observation_return_needs_a_reason(
    joc_officer: User, poc_adviser: User, mission_a: Mission, indicator: Indicator
) -> None:
    observation = workflow.observation_submit(
        observation=_log(joc_officer, mission_a, indicator), by=joc_officer
    )

    with pytest.raises(ValidationError):
        workflow.observation_return(observation=observation, by=poc_adviser, reason="  ")
    returned = workflow.observation_return(
        observation=observation, by=poc_adviser, reason="Count the week of 24 March"
    )

    assert returned.state == ObservationState.RETURNED
    assert returned.transitions.last().comment == "Count the week of 24 March"


def test_observation_validate_is_idempotent(
    joc_officer: User, poc_adviser: User, mission_a: Mission, indicator: Indicator
) -> None:
    observation = workflow.observation_submit(
        observation=_log(joc_officer, mission_a, indicator), by=joc_officer
    )

    workflow.observation_validate(observation=observation, by=poc_adviser)
    again = workflow.observation_validate(observation=observation, by=poc_adviser)

    assert again.state == ObservationState.VALIDATED
    assert again.transitions.filter(to_state=ObservationState.VALIDATED).count() == 1
    assert _entries(again).count("validate") == 1


def test_observation_validate_refuses_a_draft(
    joc_officer: User, poc_adviser: User, mission_a: Mission, indicator: Indicator
) -> None:
    observation = _log(joc_officer, mission_a, indicator)

    with pytest.raises(ValidationError):
        workflow.observation_validate(observation=observation, by=poc_adviser)
    observation.refresh_from_db()
    assert observation.state == ObservationState.DRAFT


def test_observation_validate_needs_the_validate_role(
    joc_officer: User, jmac_analyst: User, mission_a: Mission, indicator: Indicator
) -> None:
    observation = workflow.observation_submit(
        observation=_log(joc_officer, mission_a, indicator), by=joc_officer
    )

    for user in (joc_officer, jmac_analyst):
        with pytest.raises(PermissionDenied):
            workflow.observation_validate(observation=observation, by=user)
    observation.refresh_from_db()
    assert observation.state == ObservationState.SUBMITTED


def test_observation_update_corrects_a_draft_only(
    joc_officer: User, mission_a: Mission, indicator: Indicator
) -> None:
    observation = _log(joc_officer, mission_a, indicator)

    corrected = workflow.observation_update(
        observation=observation, by=joc_officer, data={"note": "From the weekly report"}
    )
    submitted = workflow.observation_submit(observation=corrected, by=joc_officer)

    assert corrected.note == "From the weekly report"
    with pytest.raises(ValidationError):
        workflow.observation_update(observation=submitted, by=joc_officer, data={"note": "x"})


def test_observation_delete_refuses_a_validated_one(
    joc_officer: User, poc_adviser: User, mission_a: Mission, indicator: Indicator
) -> None:
    observation = workflow.observation_submit(
        observation=_log(joc_officer, mission_a, indicator), by=joc_officer
    )
    observation = workflow.observation_validate(observation=observation, by=poc_adviser)

    with pytest.raises(ValidationError):
        workflow.observation_delete(observation=observation, by=poc_adviser)

    assert Observation.objects.filter(pk=observation.pk).exists()
    assert "delete" not in _entries(observation)


def test_observation_create_refuses_a_far_period_as_a_field_error(
    joc_officer: User, mission_a: Mission
) -> None:
    yearly = IndicatorFactory(frequency="yearly")

    with pytest.raises(ValidationError) as refusal:
        workflow.observation_create(
            by=joc_officer,
            indicator=yearly,
            mission=mission_a,
            area=None,
            period_start=datetime.date(9999, 1, 1),
            period_end=datetime.date(9999, 12, 31),
            values={"total": {"value": 1}},
        )
    assert {"period_start", "period_end"} <= set(refusal.value.message_dict)
