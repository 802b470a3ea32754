import itertools

import pytest

from incidents.choices import CASUALTY_GROUPS, Harm, casualty_field
from incidents.models import Incident
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import MissionFactory
from tests.integrity import rejected_by
from threats.choices import PerpetratorCategory, ViolenceType

pytestmark = pytest.mark.django_db

CASUALTY_COLUMNS = [
    casualty_field(harm, group) for harm, group in itertools.product(Harm.values, CASUALTY_GROUPS)
]


@pytest.mark.parametrize("column", [*CASUALTY_COLUMNS, "people_displaced"])
def test_incident_counts_cannot_be_negative(column: str) -> None:
    incident = IncidentFactory()

    with rejected_by(column):
        Incident.objects.filter(pk=incident.pk).update(**{column: -1})


def test_incident_has_twenty_casualty_columns() -> None:
    # four harms × five groups (women, men, girls, boys, unknown), all real columns
    concrete = {field.name for field in Incident._meta.concrete_fields}

    assert len(CASUALTY_COLUMNS) == 20
    assert set(CASUALTY_COLUMNS) <= concrete


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        pytest.param({"incident_type": "rumour"}, "incidents_incident_type_valid", id="type"),
        pytest.param(
            {"perpetrator_category": "aliens"},
            "incidents_incident_perpetrator_category_valid",
            id="perpetrator-category",
        ),
        pytest.param(
            {"verification_status": "maybe"},
            "incidents_incident_verification_valid",
            id="verification",
        ),
        pytest.param({"latitude": 91}, "incidents_incident_latitude_range", id="latitude"),
        pytest.param({"longitude": -181}, "incidents_incident_longitude_range", id="longitude"),
        pytest.param(
            {"incident_type": ViolenceType.SEXUAL_VIOLENCE, "is_restricted": False},
            "incidents_incident_sensitive_types_restricted",
            id="sexual-violence-unrestricted",
        ),
    ],
)
def test_incident_database_rejects_bad_row(changes: dict, constraint: str) -> None:
    incident = IncidentFactory()

    with rejected_by(constraint):
        Incident.objects.filter(pk=incident.pk).update(**changes)


@pytest.mark.parametrize(
    "incident_type", [ViolenceType.SEXUAL_VIOLENCE, ViolenceType.CHILD_RECRUITMENT]
)
def test_incident_sensitive_type_cannot_be_created_unrestricted(incident_type: str) -> None:
    with rejected_by("incidents_incident_sensitive_types_restricted"):
        IncidentFactory(incident_type=incident_type, is_restricted=False)


def test_incident_sexual_violence_cannot_be_unrestricted_later() -> None:
    incident = IncidentFactory(sexual_violence=True)

    with rejected_by("incidents_incident_sensitive_types_restricted"):
        Incident.objects.filter(pk=incident.pk).update(is_restricted=False)


def test_incident_external_id_is_unique_per_mission_and_source() -> None:
    first = IncidentFactory(external_source="acled", external_id="DRC12345")

    with rejected_by("incidents_incident_unique_external_id"):
        IncidentFactory(mission=first.mission, external_source="acled", external_id="DRC12345")


def test_incident_same_external_id_is_allowed_in_another_mission_or_source() -> None:
    first = IncidentFactory(external_source="acled", external_id="DRC12345")

    IncidentFactory(external_source="acled", external_id="DRC12345")  # another mission
    IncidentFactory(mission=first.mission, external_source="ucdp", external_id="DRC12345")

    assert Incident.objects.filter(external_id="DRC12345").count() == 3


def test_incident_blank_external_ids_do_not_clash() -> None:
    mission = MissionFactory()

    IncidentFactory.create_batch(2, mission=mission, external_source="", external_id="")

    assert Incident.objects.filter(mission=mission).count() == 2


def test_incident_casualties_add_up_a_harm_across_groups() -> None:
    incident = IncidentFactory.build(
        killed_women=2, killed_men=3, killed_girls=1, killed_boys=1, killed_unknown=4, injured_men=9
    )

    assert incident.casualties(Harm.KILLED) == 11
    assert incident.casualties(Harm.INJURED) == 9
    assert incident.casualties(Harm.ABDUCTED) == 0


@pytest.mark.parametrize(
    ("category", "flagged"),
    [
        (PerpetratorCategory.HOST_STATE_FORCES, True),
        (PerpetratorCategory.COMMUNAL_MILITIA, False),
    ],
)
def test_incident_host_state_perpetrator_is_flagged_by_the_database(
    category: str, flagged: bool
) -> None:
    incident = IncidentFactory(perpetrator_category=category)

    incident.refresh_from_db()

    assert incident.is_host_state_perpetrator is flagged
