import datetime

import pytest

from commitments.choices import ActionStatus, ImplementationStatus
from commitments.models import CommitmentAction, CommitmentImplementation, KeyElement, Phase, Tier
from tests.factories.commitments import (
    CommitmentActionFactory,
    CommitmentImplementationFactory,
    KeyElementFactory,
    PhaseFactory,
    TierFactory,
)
from tests.integrity import rejected_by

pytestmark = pytest.mark.django_db


def test_commitment_implementation_one_per_mission_and_element() -> None:
    implementation = CommitmentImplementationFactory()

    with rejected_by("commitments_commitmentimplementation_one_per_mission_element"):
        CommitmentImplementationFactory(
            mission=implementation.mission, key_element=implementation.key_element
        )


def test_commitment_implementation_same_element_in_another_mission_is_allowed() -> None:
    implementation = CommitmentImplementationFactory()

    CommitmentImplementationFactory(key_element=implementation.key_element)

    assert implementation.key_element.implementations.count() == 2


def test_commitment_implementation_status_must_be_known() -> None:
    implementation = CommitmentImplementationFactory()

    with rejected_by("commitments_commitmentimplementation_status_valid"):
        CommitmentImplementation.objects.filter(pk=implementation.pk).update(status="abandoned")


def test_commitment_action_status_must_be_known() -> None:
    action = CommitmentActionFactory()

    with rejected_by("commitments_commitmentaction_status_valid"):
        CommitmentAction.objects.filter(pk=action.pk).update(status="someday")


@pytest.mark.parametrize(
    "status", [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.CANCELLED]
)
def test_commitment_action_done_on_only_when_done(status: str) -> None:
    action = CommitmentActionFactory(status=status)

    with rejected_by("commitments_commitmentaction_done_on_only_when_done"):
        CommitmentAction.objects.filter(pk=action.pk).update(done_on=datetime.date(2026, 4, 1))


def test_commitment_action_done_with_date_is_accepted() -> None:
    action = CommitmentActionFactory(status=ActionStatus.DONE, done_on=datetime.date(2026, 4, 1))

    action.refresh_from_db()

    assert action.done_on == datetime.date(2026, 4, 1)


@pytest.mark.parametrize(("model", "factory"), [(Tier, TierFactory), (Phase, PhaseFactory)])
def test_tier_and_phase_numbers_start_at_one(model: type, factory: type) -> None:
    row = factory(number=1)
    constraint = f"commitments_{model.__name__.lower()}_number_positive"

    with rejected_by(constraint):
        model.objects.filter(pk=row.pk).update(number=0)


def test_key_element_number_is_unique_within_its_paragraph() -> None:
    element = KeyElementFactory()

    with rejected_by("commitments_keyelement_unique_number"):
        KeyElement.objects.create(
            paragraph=element.paragraph, number=element.number, code="another-code", label="X"
        )


def test_implementation_status_has_a_css_class_for_every_status() -> None:
    assert {status.css_class for status in ImplementationStatus} == {
        "status-neutral",
        "status-info",
        "status-good",
        "status-bad",
        "status-done",
    }
