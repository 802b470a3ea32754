"""The admin: every registered model's pages open, and its safeguards hold."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from activities.choices import ActivityType
from activities.models import ProtectionActivity
from alerts.choices import AlertSource, Severity
from alerts.models import Alert
from audit.services import audit_create
from commitments.models import (
    CommitmentAction,
    CommitmentImplementation,
    KeyElement,
    Paragraph,
    Phase,
    PriorityArea,
    Tier,
)
from core.choices import Component, SexAge
from imports.models import IncidentImport
from incidents.choices import SourceType
from incidents.models import GraveViolation, Incident
from indicators.choices import (
    AreaLevel,
    CombinationMethod,
    DataSource,
    Frequency,
    ObservationState,
    PeriodKind,
    Polarity,
    Unit,
)
from indicators.models import (
    CalendarDay,
    Indicator,
    IndicatorTarget,
    Observation,
    ObservationTransition,
    ObservationValue,
    Rollup,
)
from missions.choices import AreaKind, MissionRole
from missions.models import Area, Membership, Mission
from threats.choices import PerpetratorCategory, ViolenceType
from threats.models import CommunityAtRisk, ResponseAction, Threat

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
MONTH_START = datetime.date(2025, 3, 1)
MONTH_END = datetime.date(2025, 3, 31)


def admin_url(model: type[models.Model], view: str, *args: object) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def management_form(prefix: str, total: int = 0, initial: int = 0) -> dict[str, int]:
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial}


@pytest.fixture
def mission() -> Mission:
    return Mission.objects.create(acronym="MTEST", name="Test mission", host_country="Testland")


@pytest.fixture
def locality(mission: Mission) -> Area:
    sector = Area.objects.create(mission=mission, kind=AreaKind.SECTOR, name="Sector North")
    aor = Area.objects.create(mission=mission, kind=AreaKind.AOR, parent=sector, name="AOR 1")
    return Area.objects.create(mission=mission, kind=AreaKind.LOCALITY, parent=aor, name="Kilo")


@pytest.fixture
def phase() -> Phase:
    return Phase.objects.get_or_create(number=1, defaults={"label": "Prevention"})[0]


@pytest.fixture
def tier() -> Tier:
    return Tier.objects.get_or_create(number=1, defaults={"label": "Dialogue and engagement"})[0]


@pytest.fixture
def key_element() -> KeyElement:
    area = PriorityArea.objects.get_or_create(
        number=3, defaults={"code": "test-protection", "label": "Protection"}
    )[0]
    paragraph = Paragraph.objects.get_or_create(
        number=10, defaults={"label": "Protection", "priority_area": area}
    )[0]
    return KeyElement.objects.get_or_create(
        paragraph=paragraph,
        number=1,
        defaults={"code": "test-tailored", "label": "Tailored approaches"},
    )[0]


@pytest.fixture
def grave_violation() -> GraveViolation:
    return GraveViolation.objects.get_or_create(
        number=1, defaults={"code": "test-killing-maiming", "label": "Killing and maiming"}
    )[0]


@pytest.fixture
def indicator() -> Indicator:
    return Indicator.objects.create(
        code="test-admin-count",
        name="Community meetings held",
        definition="Meetings held with communities at risk.",
        unit=Unit.COUNT,
        method=CombinationMethod.SUM,
        polarity=Polarity.HIGHER_IS_BETTER,
        frequency=Frequency.MONTHLY,
        responsible_component=Component.CIVIL_AFFAIRS,
        source=DataSource.MANUAL,
        data_source="Civil Affairs weekly report",
    )


@pytest.fixture
def threat(mission: Mission, locality: Area, phase: Phase) -> Threat:
    threat = Threat.objects.create(
        mission=mission,
        title="Raids on Kilo",
        threat_type=ViolenceType.KILLING_MAIMING,
        perpetrator_category=PerpetratorCategory.HOST_STATE_FORCES,
        likelihood=4,
        impact=5,
        phase=phase,
        identified_on=MONTH_START,
    )
    threat.areas.add(locality)
    return threat


@pytest.fixture
def observation(mission: Mission, indicator: Indicator, admin_user: User) -> Observation:
    return Observation.objects.create(
        indicator=indicator,
        mission=mission,
        period_start=MONTH_START,
        period_end=MONTH_END,
        state=ObservationState.SUBMITTED,
        logged_by=admin_user,
    )


@pytest.fixture
def admin_data(
    admin_user: User,
    mission: Mission,
    locality: Area,
    tier: Tier,
    phase: Phase,
    key_element: KeyElement,
    grave_violation: GraveViolation,
    indicator: Indicator,
    threat: Threat,
    observation: Observation,
) -> None:
    """One row of every registered model, with the user who logs in as their owner."""
    Group.objects.create(name="JOC officers")
    audit_create(by=admin_user, instance=mission)
    Membership.objects.create(user=admin_user, mission=mission, role=MissionRole.POC_ADVISER)
    implementation = CommitmentImplementation.objects.create(
        mission=mission, key_element=key_element, responsible_component=Component.POC_UNIT
    )
    CommitmentAction.objects.create(
        implementation=implementation, description="Map threats", component=Component.JMAC
    )
    CommunityAtRisk.objects.create(
        threat=threat, mission=mission, name="Kilo residents", area=locality, women=40
    )
    ResponseAction.objects.create(
        threat=threat, tier=tier, phase=phase, description="Night patrols", component="military"
    )
    imported = IncidentImport.objects.create(
        mission=mission, file_name="ged.csv", preset="ucdp-ged", source_name="UCDP GED",
        created_by=admin_user,
    )  # fmt: skip
    incident = Incident.objects.create(
        mission=mission,
        area=locality,
        import_run=imported,
        occurred_on=MONTH_START,
        incident_type=ViolenceType.KILLING_MAIMING,
        perpetrator_category=PerpetratorCategory.NON_STATE_ARMED_GROUP,
        source_type=SourceType.UN_PATROL,
        killed_women=2,
        killed_boys=1,
        is_restricted=True,
        threat=threat,
    )
    incident.grave_violations.add(grave_violation)
    received = timezone.now() - datetime.timedelta(hours=5)
    Alert.objects.create(
        mission=mission,
        area=locality,
        source=AlertSource.COMMUNITY_ALERT_NETWORK,
        severity=Severity.HIGH,
        summary="Armed men seen near Kilo",
        received_at=received,
        received_on=mission.local_date(received),
        arrived_at=received + datetime.timedelta(hours=3),
        response_tier=tier,
    )
    ProtectionActivity.objects.create(
        mission=mission,
        area=locality,
        activity_type=ActivityType.COMMUNITY_ENGAGEMENT,
        title="Meeting with the Kilo protection committee",
        tier=tier,
        phase=phase,
        component=Component.CIVIL_AFFAIRS,
        started_on=MONTH_START,
        women=12,
    )
    IndicatorTarget.objects.create(
        indicator=indicator,
        mission=mission,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        target=Decimal(24),
    )
    ObservationValue.objects.create(observation=observation, value=Decimal(3))
    ObservationTransition.objects.create(
        observation=observation,
        from_state=ObservationState.DRAFT,
        to_state=ObservationState.SUBMITTED,
        by=admin_user,
    )
    Rollup.objects.create(
        indicator=indicator,
        mission=mission,
        level=AreaLevel.MISSION,
        period=PeriodKind.MONTH,
        period_start=MONTH_START,
        period_end=MONTH_END,
        disaggregation=SexAge.TOTAL,
        computed_at=timezone.now(),
    )
    CalendarDay.objects.get_or_create(
        day=MONTH_START,
        defaults={
            "ordinal": MONTH_START.toordinal(),
            "week_start": datetime.date(2025, 2, 24),
            "week_end": datetime.date(2025, 3, 2),
            "month_start": MONTH_START,
            "month_end": MONTH_END,
            "quarter_start": datetime.date(2025, 1, 1),
            "quarter_end": MONTH_END,
            "year_start": datetime.date(2025, 1, 1),
            "year_end": datetime.date(2025, 12, 31),
        },
    )


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_admin_changelist_and_add_pages_open(
    admin_client: Client, admin_user: User, rf: RequestFactory, model: type[models.Model]
) -> None:
    request = rf.get("/")
    request.user = admin_user
    # records the application writes itself (history, rollups) cannot be added by hand
    add_status = 200 if admin.site._registry[model].has_add_permission(request) else 403

    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == add_status


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_admin_change_page_and_search_open_with_data(
    admin_client: Client, admin_data: None, model: type[models.Model]
) -> None:
    obj = model._default_manager.first()
    assert obj is not None, f"admin_data has no {model._meta.label}"

    assert admin_client.get(admin_url(model, "change", quote(obj.pk))).status_code == 200
    assert admin_client.get(admin_url(model, "changelist"), {"q": "x"}).status_code == 200
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


def incident_form(mission: Mission, area: Area, **fields: object) -> dict[str, object]:
    casualties = {
        f"{harm}_{group}": 0
        for harm in ("killed", "injured", "abducted", "sv")
        for group in ("women", "men", "girls", "boys", "unknown")
    }
    return {
        "occurred_on": "2025-03-04",
        "date_precision": "exact",
        "mission": mission.pk,
        "area": area.pk,
        "location_precision": "exact",
        "perpetrator_category": PerpetratorCategory.UNKNOWN,
        "people_displaced": 0,
        "verification_status": "reported",
        "source_type": SourceType.UN_PATROL,
        "source_reliability": "F",
        **casualties,
        **fields,
    }


def test_incident_admin_restricts_sexual_violence_left_unrestricted(
    admin_client: Client, mission: Mission, locality: Area
) -> None:
    # given an incident of sexual violence whose "restricted" box was left unticked
    data = incident_form(mission, locality, incident_type=ViolenceType.SEXUAL_VIOLENCE, sv_women=1)

    # when it is saved through the admin
    response = admin_client.post(admin_url(Incident, "add"), data)

    # then it is saved, and restricted
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Incident.objects.get().is_restricted is True


def test_incident_admin_restricts_grave_violations_against_children(
    admin_client: Client, mission: Mission, locality: Area, grave_violation: GraveViolation
) -> None:
    data = incident_form(
        mission,
        locality,
        incident_type=ViolenceType.KILLING_MAIMING,
        killed_boys=1,
        grave_violations=[grave_violation.pk],
    )

    response = admin_client.post(admin_url(Incident, "add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    incident = Incident.objects.get()
    assert incident.is_restricted is True
    assert list(incident.grave_violations.all()) == [grave_violation]


def test_observation_admin_locks_a_validated_observation(
    admin_client: Client, observation: Observation
) -> None:
    Observation.objects.filter(pk=observation.pk).update(
        state=ObservationState.VALIDATED, validated_at=timezone.now()
    )

    response = admin_client.get(admin_url(Observation, "change", observation.pk))

    assert response.status_code == 200
    readonly = response.context["adminform"].readonly_fields
    assert {"indicator", "mission", "period_start", "state"} <= set(readonly)
    values_inline = response.context["inline_admin_formsets"][0]
    assert not values_inline.has_change_permission
    assert not values_inline.has_add_permission


def test_threat_admin_hides_other_missions_threats(
    client: Client, threat: Threat, mission: Mission
) -> None:
    # given a staff member of another mission, allowed to view threats
    other = Mission.objects.create(acronym="MOTHER", name="Other mission", host_country="Else")
    outsider = User.objects.create_user(username="outsider", is_staff=True)
    outsider.user_permissions.add(Permission.objects.get(codename="view_threat"))
    Membership.objects.create(user=outsider, mission=other, role=MissionRole.POC_ADVISER)
    client.force_login(outsider)

    # when they open the threat register and the threat of the first mission
    changelist = client.get(admin_url(Threat, "changelist"))
    change = client.get(admin_url(Threat, "change", threat.pk))

    # then the list does not show it and its page sends them back to the admin index
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == []
    assert change.status_code == 302


def test_admin_is_branded_and_switches_language(admin_client: Client) -> None:
    page = admin_client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert b'<div id="site-name"><a href="/admin/">POC Tracker</a></div>' in page.content
    assert b'name="language"' in page.content

    switched = admin_client.post(
        reverse("set_language"), {"language": "fr", "next": reverse("admin:index")}
    )
    assert switched.status_code == 302
    assert switched.url == reverse("admin:index")
    french = admin_client.get(reverse("admin:index"))
    assert french.headers["Content-Language"] == "fr"
    assert "<title>Site d’administration | POC Tracker</title>".encode() in french.content
