import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from commitments.choices import ImplementationStatus
from commitments.models import CommitmentImplementation
from commitments.services import implementation_update
from indicators.choices import Derivation
from indicators.rollups import rollup_rebuild
from missions.models import Mission
from tests.factories.commitments import CommitmentImplementationFactory
from tests.figures import monthly_figure

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
APRIL = datetime.date(2026, 4, 1)
ON_TRACK = Derivation.A4P_ELEMENTS_ON_TRACK


def _at(time_machine, day: datetime.date) -> None:
    time_machine.move_to(
        datetime.datetime.combine(day, datetime.time(12), datetime.UTC), tick=False
    )


@pytest.fixture
def implementation(mission_a: Mission, time_machine) -> CommitmentImplementation:
    # created in February; today is mid-June
    _at(time_machine, datetime.date(2026, 2, 10))
    created = CommitmentImplementationFactory(mission=mission_a)
    _at(time_machine, datetime.date(2026, 6, 15))
    return created


def test_implementation_update_counts_the_element_from_its_review(
    poc_adviser: User,
    implementation: CommitmentImplementation,
    mission_a: Mission,
    django_capture_on_commit_callbacks,
) -> None:
    # when the element is reviewed as on track on 1 April
    with django_capture_on_commit_callbacks(execute=True):
        implementation = implementation_update(
            implementation=implementation,
            by=poc_adviser,
            data={
                "status": ImplementationStatus.ON_TRACK,
                "last_reviewed_on": datetime.date(2026, 4, 1),
            },
        )

    # then it counts from April on, and the review names its reviewer
    assert implementation.reviewed_by == poc_adviser
    assert monthly_figure(ON_TRACK, mission_a, MARCH) is None
    assert monthly_figure(ON_TRACK, mission_a, APRIL) == 1


def test_implementation_update_recounts_from_creation_when_never_reviewed(
    poc_adviser: User,
    implementation: CommitmentImplementation,
    mission_a: Mission,
    django_capture_on_commit_callbacks,
) -> None:
    # given an element on track since it was entered in February, never reviewed
    CommitmentImplementation.objects.filter(pk=implementation.pk).update(
        status=ImplementationStatus.ON_TRACK
    )
    implementation.refresh_from_db()
    rollup_rebuild(mission=mission_a)
    assert monthly_figure(ON_TRACK, mission_a, MARCH) == 1

    # when it is found delayed, still without a review date
    with django_capture_on_commit_callbacks(execute=True):
        implementation_update(
            implementation=implementation,
            by=poc_adviser,
            data={"status": ImplementationStatus.DELAYED},
        )

    # then every month since February is recounted, not only the current one
    assert monthly_figure(ON_TRACK, mission_a, MARCH) is None


def test_implementation_update_ignores_fields_it_does_not_open(
    poc_adviser: User, implementation: CommitmentImplementation, leadership: User
) -> None:
    implementation_update(
        implementation=implementation,
        by=poc_adviser,
        data={"reviewed_by": leadership, "summary": "Community alert networks in 3 sectors"},
    )

    implementation.refresh_from_db()
    assert implementation.reviewed_by is None
    assert implementation.summary == "Community alert networks in 3 sectors"


def test_implementation_update_rejects_an_unknown_status(
    poc_adviser: User, implementation: CommitmentImplementation
) -> None:
    with pytest.raises(ValidationError):
        implementation_update(
            implementation=implementation, by=poc_adviser, data={"status": "forgotten"}
        )


@pytest.mark.parametrize("user", ["joc_officer", "jmac_analyst", "leadership", "outsider"])
def test_implementation_update_refuses_those_who_do_not_manage_commitments(
    user: str, request: pytest.FixtureRequest, implementation: CommitmentImplementation
) -> None:
    with pytest.raises(PermissionDenied):
        implementation_update(
            implementation=implementation,
            by=request.getfixturevalue(user),
            data={"status": ImplementationStatus.ACHIEVED},
        )

    implementation.refresh_from_db()
    assert implementation.status == ImplementationStatus.IN_PROGRESS
