import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from indicators.choices import Derivation
from missions.models import Area, Mission
from tests.factories.commitments import PhaseFactory
from tests.factories.missions import LocalityFactory
from tests.figures import monthly_figure
from threats.choices import PerpetratorCategory, ThreatStatus, ViolenceType
from threats.models import Threat
from threats.services import threat_close, threat_create, threat_delete, threat_update

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
APRIL = datetime.date(2026, 4, 1)
MAY = datetime.date(2026, 5, 1)
JUNE = datetime.date(2026, 6, 1)
HIGH_RISK = Derivation.HIGH_RISK_THREATS


@pytest.fixture(autouse=True)
def _mid_june(time_machine) -> None:
    # threats count at each period's end up to today: fix today
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def locality(mission_a: Mission) -> Area:
    return LocalityFactory(mission=mission_a)


def _identify(by: User, mission: Mission, **fields: object) -> Threat:
    values = {
        "title": "Armed group raids on villages",
        "threat_type": ViolenceType.KILLING_MAIMING,
        "perpetrator_category": PerpetratorCategory.NON_STATE_ARMED_GROUP,
        "likelihood": 4,
        "impact": 4,
        "phase": PhaseFactory(number=2),
        "status": ThreatStatus.ACTIVE,
        "identified_on": datetime.date(2026, 1, 15),
        **fields,
    }
    return threat_create(by=by, mission=mission, **values)


def test_threat_create_counts_in_every_month_it_is_open(
    poc_adviser: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        threat = _identify(
            poc_adviser,
            mission_a,
            areas=[locality],
            communities=[{"name": "Kalamba IDP site", "area": locality, "women": 300}],
        )

    assert threat.communities.get().women == 300
    assert list(threat.areas.all()) == [locality]
    assert monthly_figure(HIGH_RISK, mission_a, MARCH) == 1
    assert monthly_figure(HIGH_RISK, mission_a, MAY, area=locality.sector) == 1


@pytest.mark.parametrize("user", ["poc_adviser", "jmac_analyst", "administrator"])
def test_threat_create_allows_those_who_manage_threats(
    user: str, request: pytest.FixtureRequest, mission_a: Mission
) -> None:
    _identify(request.getfixturevalue(user), mission_a)

    assert Threat.objects.count() == 1


@pytest.mark.parametrize("user", ["joc_officer", "leadership", "outsider", "secretariat"])
def test_threat_create_refuses_those_who_do_not_manage_threats(
    user: str, request: pytest.FixtureRequest, mission_a: Mission
) -> None:
    with pytest.raises(PermissionDenied):
        _identify(request.getfixturevalue(user), mission_a)

    assert not Threat.objects.exists()


def test_threat_create_rejects_an_area_of_another_mission(
    poc_adviser: User, mission_a: Mission, mission_b: Mission, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        _identify(poc_adviser, mission_a, areas=[LocalityFactory(mission=mission_b)])

    assert not Threat.objects.exists()
    assert callbacks == []


def test_threat_create_rejects_a_community_of_another_mission(
    poc_adviser: User, mission_a: Mission, mission_b: Mission
) -> None:
    elsewhere = LocalityFactory(mission=mission_b)

    with pytest.raises(ValidationError):
        _identify(poc_adviser, mission_a, communities=[{"name": "Camp", "area": elsewhere}])

    assert not Threat.objects.exists()


def test_threat_update_recounts_from_the_earlier_identification(
    poc_adviser: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    # given a threat open since January
    with django_capture_on_commit_callbacks(execute=True):
        threat = _identify(poc_adviser, mission_a)

    # when it turns out to have been identified only in April
    with django_capture_on_commit_callbacks(execute=True):
        threat_update(
            threat=threat, by=poc_adviser, data={"identified_on": datetime.date(2026, 4, 10)}
        )

    # then March no longer counts it, April does
    assert monthly_figure(HIGH_RISK, mission_a, MARCH) is None
    assert monthly_figure(HIGH_RISK, mission_a, APRIL) == 1


def test_threat_update_lower_risk_leaves_the_high_risk_count_from_today(
    poc_adviser: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        threat = _identify(poc_adviser, mission_a)

    # when it is re-scored low in mid-June
    with django_capture_on_commit_callbacks(execute=True):
        threat_update(threat=threat, by=poc_adviser, data={"impact": 1})

    # then March keeps the high risk it had then; the running month no longer counts it
    assert monthly_figure(HIGH_RISK, mission_a, MARCH) == 1
    assert monthly_figure(HIGH_RISK, mission_a, JUNE) is None


def test_threat_update_refuses_a_joc_officer(
    poc_adviser: User, joc_officer: User, mission_a: Mission
) -> None:
    threat = _identify(poc_adviser, mission_a)

    with pytest.raises(PermissionDenied):
        threat_update(threat=threat, by=joc_officer, data={"impact": 1})


def test_threat_close_stops_counting_from_the_closing_date(
    poc_adviser: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        threat = _identify(poc_adviser, mission_a)

    with django_capture_on_commit_callbacks(execute=True):
        threat = threat_close(threat=threat, by=poc_adviser, closed_on=datetime.date(2026, 4, 20))

    assert threat.status == ThreatStatus.RESOLVED
    assert monthly_figure(HIGH_RISK, mission_a, MARCH) == 1
    assert monthly_figure(HIGH_RISK, mission_a, APRIL) is None


def test_threat_close_defaults_to_today(poc_adviser: User, mission_a: Mission) -> None:
    threat = threat_close(threat=_identify(poc_adviser, mission_a), by=poc_adviser)

    assert threat.closed_on == datetime.date(2026, 6, 15)


def test_threat_close_is_idempotent(
    poc_adviser: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    threat = _identify(poc_adviser, mission_a)
    threat_close(threat=threat, by=poc_adviser, closed_on=datetime.date(2026, 4, 20))

    with django_capture_on_commit_callbacks() as callbacks:
        threat = threat_close(threat=threat, by=poc_adviser, closed_on=datetime.date(2026, 5, 1))

    assert threat.closed_on == datetime.date(2026, 4, 20)
    assert callbacks == []


def test_threat_close_rejects_a_date_before_identification(
    poc_adviser: User, mission_a: Mission
) -> None:
    threat = _identify(poc_adviser, mission_a)

    with pytest.raises(ValidationError):
        threat_close(threat=threat, by=poc_adviser, closed_on=datetime.date(2026, 1, 1))

    assert Threat.objects.get(pk=threat.pk).status == ThreatStatus.ACTIVE


def test_threat_delete_takes_it_out_of_the_figures(
    poc_adviser: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        threat = _identify(poc_adviser, mission_a)

    with django_capture_on_commit_callbacks(execute=True):
        threat_delete(threat=threat, by=poc_adviser)

    assert not Threat.objects.exists()
    assert monthly_figure(HIGH_RISK, mission_a, MARCH) is None


def test_threat_delete_refuses_an_outsider(
    poc_adviser: User, outsider: User, mission_a: Mission
) -> None:
    threat = _identify(poc_adviser, mission_a)

    with pytest.raises(PermissionDenied):
        threat_delete(threat=threat, by=outsider)

    assert Threat.objects.filter(pk=threat.pk).exists()


def test_threat_close_refuses_a_far_date_as_a_field_error(
    poc_adviser: User, mission_a: Mission
) -> None:
    from tests.factories.threats import ThreatFactory

    threat = ThreatFactory(mission=mission_a)

    with pytest.raises(ValidationError) as refusal:
        threat_close(threat=threat, by=poc_adviser, closed_on=datetime.date(9999, 12, 31))

    assert "closed_on" in refusal.value.message_dict
    threat.refresh_from_db()
    assert threat.closed_on is None


def test_threat_delete_records_its_communities_and_plan_going_with_it(
    poc_adviser: User, mission_a: Mission
) -> None:
    from audit.choices import AuditAction
    from audit.models import AuditEntry
    from tests.factories.threats import (
        CommunityAtRiskFactory,
        ResponseActionFactory,
        ThreatFactory,
    )

    # given a threat with a community at risk and a response action
    threat = ThreatFactory(mission=mission_a)
    community = CommunityAtRiskFactory(threat=threat, women=40)
    action = ResponseActionFactory(threat=threat)
    threat_id = threat.pk

    # when it is deleted
    threat_delete(threat=threat, by=poc_adviser)

    # then each of the three is on the trail, the two below it saying why
    deleted = {
        (entry.content_type.model, entry.object_id): entry
        for entry in AuditEntry.objects.filter(action=AuditAction.DELETE)
    }
    assert set(deleted) >= {
        ("threat", threat_id),
        ("communityatrisk", community.pk),
        ("responseaction", action.pk),
    }
    assert deleted[("communityatrisk", community.pk)].changes["women"] == [40, None]
    assert deleted[("communityatrisk", community.pk)].reason.startswith("Deleted with")
    assert all(entry.actor == poc_adviser for entry in deleted.values())
