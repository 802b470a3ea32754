"""The admin follows the one policy and writes only through the services.

Each test is a finding of a review in which mission staff were given staff access and every
Django model permission: those permissions must not matter, the policy decides.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, models, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from activities.models import ProtectionActivity
from alerts.models import Alert
from audit.choices import AuditAction
from audit.models import AppendOnlyError, AuditEntry
from incidents.models import Incident
from incidents.services import incident_create, incident_update
from indicators.choices import Derivation, ObservationState
from indicators.models import Observation
from indicators.rollups import rollup_rebuild
from missions.choices import MissionRole
from missions.models import Membership, Mission
from tests.factories.accounts import UserFactory
from tests.factories.alerts import AlertFactory
from tests.factories.commitments import PhaseFactory, TierFactory
from tests.factories.incidents import IncidentFactory
from tests.factories.indicators import IndicatorFactory, ObservationFactory, ObservationValueFactory
from tests.factories.missions import LocalityFactory, MembershipFactory
from tests.factories.threats import ThreatFactory
from tests.figures import monthly_figure
from threats.choices import PerpetratorCategory, ViolenceType
from threats.models import Threat, ThreatAssessment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plain_static_files(settings: Any) -> None:
    # admin pages link static files; the manifest only exists after collectstatic
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def url(model: type[models.Model], view: str, *args: object) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def signed_in(user: User) -> Client:
    """A client of `user` with staff access and every Django model permission."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(user)
    return client


def form_data(page: HttpResponse, **changes: Any) -> dict[str, Any]:
    """The POST data of an admin change page as it stands, with `changes` applied."""
    data: dict[str, Any] = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            decompress = getattr(field.widget, "decompress", None)
            if decompress and not isinstance(value, list):
                for index, part in enumerate(decompress(value)):
                    data[f"{key}_{index}"] = "" if part is None else part
            else:
                data[key] = value
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.fixture
def locality(mission_a: Mission):
    return LocalityFactory(mission=mission_a)


@pytest.fixture
def poc_multi(mission_a: Mission, mission_b: Mission) -> User:
    """POC adviser in mission A, JMAC analyst in mission B."""
    user = UserFactory(username="poc-multi")
    MembershipFactory(user=user, mission=mission_a, role=MissionRole.POC_ADVISER)
    MembershipFactory(user=user, mission=mission_b, role=MissionRole.JMAC_ANALYST)
    return user


def test_admin_joc_officer_cannot_promote_his_own_membership(
    joc_officer: User, mission_a: Mission, locality: Any
) -> None:
    # given a JOC officer with staff access, and a restricted incident of his mission
    IncidentFactory(mission=mission_a, area=locality, sexual_violence=True)
    membership = Membership.objects.get(user=joc_officer)
    client = signed_in(joc_officer)

    # when he posts his own membership as POC adviser
    response = client.post(
        url(Membership, "change", membership.pk),
        {"role": MissionRole.POC_ADVISER, "user": joc_officer.pk, "mission": mission_a.pk},
    )

    # then he is refused, stays a JOC officer and still cannot see the restricted incident
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == MissionRole.JOC_OFFICER
    assert not Incident.objects.visible_to(joc_officer).filter(is_restricted=True).exists()


def test_admin_secretariat_writes_nothing(
    secretariat: User, mission_a: Mission, locality: Any
) -> None:
    # given the Secretariat with staff access and every model permission
    incident = IncidentFactory(mission=mission_a, area=locality)
    alert = AlertFactory(mission=mission_a, area=locality)
    client = signed_in(secretariat)

    # when it adds, changes and deletes incidents and alerts, and changes a mission
    add = client.post(url(Incident, "add"), {"mission": mission_a.pk, "area": locality.pk})
    change_page = client.get(url(Alert, "change", alert.pk))
    change = client.post(url(Alert, "change", alert.pk), {"summary": "Changed"})
    delete = client.post(url(Incident, "delete", incident.pk), {"post": "yes"})
    mission = client.post(url(Mission, "change", mission_a.pk), {"name": "Renamed"})

    # then it may read but every write is refused and nothing changed
    assert change_page.status_code == 200
    assert change_page.context["has_change_permission"] is False
    assert [add.status_code, change.status_code, delete.status_code] == [403, 403, 403]
    assert mission.status_code == 403
    assert Incident.objects.count() == 1
    alert.refresh_from_db()
    mission_a.refresh_from_db()
    assert alert.summary != "Changed"
    assert mission_a.name == "Mission A"


def _submitted_observation(mission: Mission) -> Observation:
    observation = ObservationFactory(
        mission=mission, indicator=IndicatorFactory(), state=ObservationState.SUBMITTED
    )
    ObservationValueFactory(observation=observation)
    return observation


def _run_action(client: Client, action: str, observation: Observation, **extra: str) -> None:
    client.post(
        url(Observation, "changelist"),
        {"action": action, "_selected_action": [observation.pk], **extra},
    )


def test_admin_joc_officer_cannot_validate_an_observation(
    joc_officer: User, mission_a: Mission
) -> None:
    observation = _submitted_observation(mission_a)
    client = signed_in(joc_officer)

    _run_action(client, "validate", observation)

    observation.refresh_from_db()
    assert observation.state == ObservationState.SUBMITTED


def test_admin_validates_only_where_the_role_allows(
    poc_multi: User, mission_a: Mission, mission_b: Mission
) -> None:
    # given a submitted observation in each of poc-multi's missions
    own, other = _submitted_observation(mission_a), _submitted_observation(mission_b)
    client = signed_in(poc_multi)

    # when poc-multi validates both
    _run_action(client, "validate", own)
    _run_action(client, "validate", other)

    # then only the one of the mission where poc-multi is POC adviser is validated
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.state == ObservationState.VALIDATED
    assert own.validated_by == poc_multi
    assert other.state == ObservationState.SUBMITTED


def test_admin_returns_an_observation_with_the_reason_given(
    poc_adviser: User, mission_a: Mission
) -> None:
    observation = _submitted_observation(mission_a)
    client = signed_in(poc_adviser)

    _run_action(client, "return_", observation)  # no reason: refused
    observation.refresh_from_db()
    assert observation.state == ObservationState.SUBMITTED

    _run_action(client, "return_", observation, reason="The total is a week short")
    observation.refresh_from_db()
    assert observation.state == ObservationState.RETURNED
    assert observation.transitions.get().comment == "The total is a week short"


def test_admin_leadership_cannot_lift_a_restriction(
    leadership: User, mission_a: Mission, locality: Any
) -> None:
    incident = IncidentFactory(mission=mission_a, area=locality, sexual_violence=True)
    client = signed_in(leadership)
    page = client.get(url(Incident, "change", incident.pk))

    response = client.post(url(Incident, "change", incident.pk), {"is_restricted": ""})

    assert page.status_code == 200  # leadership may read it
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.is_restricted is True


def test_incident_update_keeps_sexual_violence_restricted(
    poc_adviser: User, mission_a: Mission, locality: Any
) -> None:
    incident = IncidentFactory(mission=mission_a, area=locality, sexual_violence=True)

    incident_update(incident=incident, by=poc_adviser, data={"is_restricted": False})

    incident.refresh_from_db()
    assert incident.is_restricted is True


def test_incident_update_lifting_a_restriction_needs_clearance(
    joc_officer: User, poc_adviser: User, mission_a: Mission, locality: Any
) -> None:
    # given a killing the JOC officer logged and marked need-to-know himself
    incident = incident_create(
        by=joc_officer,
        mission=mission_a,
        area=locality,
        occurred_on=datetime.date(2026, 3, 10),
        incident_type=ViolenceType.KILLING_MAIMING,
        perpetrator_category=PerpetratorCategory.UNKNOWN,
        source_type="un_patrol",
        is_restricted=True,
    )

    # then he cannot lift it, and the POC adviser can
    with pytest.raises(PermissionDenied):
        incident_update(incident=incident, by=joc_officer, data={"is_restricted": False})
    incident_update(incident=incident, by=poc_adviser, data={"is_restricted": False})
    incident.refresh_from_db()
    assert incident.is_restricted is False


def test_admin_section_staff_cannot_rescore_a_threat(
    section_staff: User, mission_a: Mission
) -> None:
    threat = ThreatFactory(mission=mission_a, likelihood=2, impact=2)
    client = signed_in(section_staff)

    response = client.post(url(Threat, "change", threat.pk), {"likelihood": 5, "impact": 5})

    assert response.status_code == 403
    threat.refresh_from_db()
    assert (threat.likelihood, threat.impact) == (2, 2)


def test_admin_threat_page_lists_the_risk_history_read_only_and_a_rescore_adds_to_it(
    poc_adviser: User, mission_a: Mission
) -> None:
    # given a threat with its first assessment
    threat = ThreatFactory(mission=mission_a, likelihood=2, impact=2)
    client = signed_in(poc_adviser)
    page = client.get(url(Threat, "change", threat.pk))
    (history,) = [
        inline
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is ThreatAssessment
    ]
    assert len(history.formset.forms) == 1
    assert not history.has_add_permission and not history.has_change_permission

    # when it is re-scored on its change page, history rows posted as they stand
    response = client.post(url(Threat, "change", threat.pk), form_data(page, likelihood=5))

    # then the history has the new assessment, written by the threat service
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert sorted(threat.assessments.values_list("likelihood", flat=True)) == [2, 5]


def test_admin_user_list_shows_only_colleagues(
    joc_officer: User, poc_adviser: User, outsider: User, mission_b: Mission
) -> None:
    # given a threat of mission B owned by the outsider
    threat = ThreatFactory(mission=mission_b, owner=outsider)
    client = signed_in(joc_officer)

    # when the JOC officer lists users, and filters them by another mission's threat
    listing = client.get(url(User, "changelist"))
    by_threat = client.get(url(User, "changelist"), {"owned_threats__id__exact": threat.pk})

    # then he sees his mission's staff only, and the filter is refused
    shown = {user.username for user in listing.context["cl"].result_list}
    assert shown == {"joc-officer", "poc-adviser"}
    assert by_threat.status_code == 400


def test_admin_user_pickers_offer_only_colleagues(
    poc_adviser: User, outsider: User, mission_a: Mission
) -> None:
    client = signed_in(poc_adviser)

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "threats", "model_name": "threat", "field_name": "owner", "term": ""},
    )

    assert response.status_code == 200
    offered = {result["text"] for result in response.json()["results"]}
    assert "poc-adviser" in offered
    assert "outsider" not in offered


def _record_form(mission: Mission, area: Any, threat: Threat) -> dict[str, Any]:
    return {"mission": mission.pk, "area": area.pk, "threat": threat.pk}


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (
            Incident,
            {
                "occurred_on": "2026-03-10",
                "date_precision": "exact",
                "location_precision": "exact",
                "incident_type": ViolenceType.KILLING_MAIMING,
                "perpetrator_category": PerpetratorCategory.UNKNOWN,
                "verification_status": "reported",
                "source_type": "un_patrol",
                "source_reliability": "F",
                **{
                    f"{harm}_{group}": 0
                    for harm in ("killed", "injured", "abducted", "sv")
                    for group in ("women", "men", "girls", "boys", "unknown")
                },
                "people_displaced": 0,
            },
        ),
        (
            Alert,
            {
                "source": "patrol",
                "severity": "high",
                "summary": "Shots",
                "received_at_0": "2026-03-10",
                "received_at_1": "06:00:00",
                "outcome": "pending",
            },
        ),
        (
            ProtectionActivity,
            {
                "activity_type": "patrol",
                "title": "Night patrol",
                "component": "military",
                "started_on": "2026-03-10",
                "women": 0,
                "men": 0,
                "girls": 0,
                "boys": 0,
            },
        ),
    ],
    ids=lambda value: value._meta.model_name if isinstance(value, type) else "",
)
def test_admin_refuses_a_threat_of_another_mission(
    poc_multi: User,
    mission_a: Mission,
    mission_b: Mission,
    locality: Any,
    model: type[models.Model],
    fields: dict[str, Any],
) -> None:
    # given poc-multi, who sees the threats of both missions
    other_threat = ThreatFactory(mission=mission_b)
    own_threat = ThreatFactory(mission=mission_a)
    tier_phase = {}
    if model is ProtectionActivity:
        tier_phase = {"tier": TierFactory().pk, "phase": PhaseFactory().pk}
    client = signed_in(poc_multi)

    # when a record of mission A is linked to mission B's threat
    refused = client.post(
        url(model, "add"),
        {**fields, **tier_phase, **_record_form(mission_a, locality, other_threat)},
    )
    accepted = client.post(
        url(model, "add"), {**fields, **tier_phase, **_record_form(mission_a, locality, own_threat)}
    )

    # then the form says why and nothing is saved; its own mission's threat is accepted
    assert refused.status_code == 200
    assert "threat" in refused.context["adminform"].form.errors
    assert accepted.status_code == 302, accepted.context["adminform"].form.errors
    assert list(model._default_manager.values_list("threat", flat=True)) == [own_threat.pk]


def test_admin_locked_observation_is_read_only_and_refuses_a_change(
    poc_adviser: User, mission_a: Mission
) -> None:
    observation = ObservationFactory(
        mission=mission_a,
        indicator=IndicatorFactory(),
        state=ObservationState.VALIDATED,
        validated_at=timezone.now(),
    )
    ObservationValueFactory(observation=observation)
    client = signed_in(poc_adviser)

    page = client.get(url(Observation, "change", observation.pk))
    response = client.post(url(Observation, "change", observation.pk), {"note": "x"})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    observation.refresh_from_db()
    assert observation.note == ""


@pytest.mark.parametrize(
    ("model", "field"),
    [(Incident, "reported_by"), (Alert, "logged_by"), (ProtectionActivity, "logged_by")],
)
def test_admin_who_logged_a_record_is_not_a_form_field(
    administrator: User, model: type[models.Model], field: str
) -> None:
    client = signed_in(administrator)

    page = client.get(url(model, "add"))

    assert page.status_code == 200
    assert field not in page.context["adminform"].form.fields


def test_admin_incident_is_logged_by_whoever_adds_it(
    poc_adviser: User, mission_a: Mission, locality: Any, outsider: User
) -> None:
    client = signed_in(poc_adviser)
    page = client.get(url(Incident, "add"))
    data = form_data(
        page,
        mission=mission_a.pk,
        area=locality.pk,
        occurred_on="2026-03-10",
        incident_type=ViolenceType.KILLING_MAIMING,
        perpetrator_category=PerpetratorCategory.UNKNOWN,
        source_type="un_patrol",
        reported_by=outsider.pk,
    )

    response = client.post(url(Incident, "add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Incident.objects.get().reported_by == poc_adviser


def test_admin_adds_an_observation_as_a_draft_whatever_state_is_posted(
    poc_adviser: User, mission_a: Mission
) -> None:
    indicator = IndicatorFactory()
    client = signed_in(poc_adviser)
    page = client.get(url(Observation, "add"))
    data = form_data(
        page,
        indicator=indicator.pk,
        mission=mission_a.pk,
        period_start="2026-03-01",
        period_end="2026-03-31",
        state=ObservationState.SUBMITTED,
        **{"values-0-disaggregation": "total", "values-0-value": "4"},
    )

    response = client.post(url(Observation, "add"), data)

    assert response.status_code == 302
    observation = Observation.objects.get()
    assert observation.state == ObservationState.DRAFT
    assert observation.logged_by == poc_adviser
    assert observation.values.get().value == 4


def test_admin_incident_form_takes_a_mistyped_area(administrator: User, mission_a: Mission) -> None:
    client = signed_in(administrator)

    page = client.get(url(Incident, "add"), {"area": "abc", "mission": "x"})
    posted = client.post(url(Incident, "add"), {"mission": mission_a.pk, "area": "abc"})

    assert page.status_code == 200
    assert posted.status_code == 200
    assert "area" in posted.context["adminform"].form.errors


def test_every_admin_writes_through_services_or_not_at_all(rf: Any, admin_user: User) -> None:
    # a ModelAdmin left on Django's own save paths would be a second way to write
    from django.contrib import admin as django_admin

    from core.admin import ServiceAdmin

    request = rf.get("/")
    request.user = admin_user
    second_paths = [
        model._meta.label
        for model, model_admin in django_admin.site._registry.items()
        if not isinstance(model_admin, ServiceAdmin)
        and (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
    ]
    assert not second_paths


def test_admin_change_is_on_the_audit_trail_for_good(
    administrator: User, mission_a: Mission, locality: Any
) -> None:
    # given an incident, changed by an administrator in the admin
    incident = IncidentFactory(mission=mission_a, area=locality, killed_men=0)
    client = signed_in(administrator)
    page = client.get(url(Incident, "change", incident.pk))
    response = client.post(url(Incident, "change", incident.pk), form_data(page, killed_men=4))
    assert response.status_code == 302, response.context["adminform"].form.errors

    # then the trail says who, when and what, with the request's id
    entry = AuditEntry.objects.get(object_id=incident.pk, action=AuditAction.UPDATE)
    assert entry.actor == administrator
    assert entry.changes == {"killed_men": [0, 4]}
    assert str(entry.request_id) == response.headers["X-Request-ID"]
    assert timezone.now() - entry.at < datetime.timedelta(minutes=1)

    # and nobody can change or delete the entry, in the admin or otherwise
    assert client.post(url(AuditEntry, "change", entry.pk), {"reason": "x"}).status_code == 403
    assert client.post(url(AuditEntry, "delete", entry.pk), {"post": "yes"}).status_code == 403
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.reason == ""


def test_admin_history_page_is_the_audit_trail(
    administrator: User, mission_a: Mission, locality: Any
) -> None:
    client = signed_in(administrator)
    page = client.get(url(Incident, "add"))
    data = form_data(
        page,
        mission=mission_a.pk,
        area=locality.pk,
        occurred_on="2026-03-10",
        incident_type=ViolenceType.KILLING_MAIMING,
        perpetrator_category=PerpetratorCategory.UNKNOWN,
        source_type="un_patrol",
    )
    assert client.post(url(Incident, "add"), data).status_code == 302
    incident = Incident.objects.get()

    history = client.get(url(Incident, "history", incident.pk))

    assert history.status_code == 200
    assert [entry.action for entry in history.context["action_list"]] == [AuditAction.CREATE]


def test_admin_mission_settings_change_rebuilds_its_figures(
    administrator: User,
    mission_a: Mission,
    django_capture_on_commit_callbacks: Any,
    time_machine: Any,
) -> None:
    # given a threat scoring 9, medium under the default bands
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False)
    ThreatFactory(mission=mission_a, likelihood=3, impact=3)
    rollup_rebuild(mission=mission_a)
    march = datetime.date(2026, 3, 1)
    assert monthly_figure(Derivation.HIGH_RISK_THREATS, mission_a, march) is None
    client = signed_in(administrator)
    page = client.get(url(Mission, "change", mission_a.pk))

    # when high risk starts at 9, in the admin
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(Mission, "change", mission_a.pk), form_data(page, risk_high_from=9)
        )

    # then the mission's figures are rebuilt: it counts as high risk
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert monthly_figure(Derivation.HIGH_RISK_THREATS, mission_a, march) == 1


def test_admin_password_change_goes_through_the_service(
    administrator: User, joc_officer: User
) -> None:
    client = signed_in(administrator)
    # Django names the page after its own auth app, whatever the user model
    page = reverse("admin:auth_user_password_change", args=[joc_officer.pk])

    response = client.post(
        page,
        {
            "password1": "a-long-new-pass-2026",
            "password2": "a-long-new-pass-2026",
            "set_usable_password": "true",
        },
    )

    assert response.status_code == 302
    joc_officer.refresh_from_db()
    assert joc_officer.check_password("a-long-new-pass-2026")
    entry = AuditEntry.objects.get(object_id=joc_officer.pk, content_type__model="user")
    assert entry.actor == administrator
    before, after = entry.changes["password"]
    assert after.startswith("sha256:") and "pbkdf2" not in after and "md5" not in after


def test_admin_form_shows_a_service_error_on_a_field_it_lacks(
    administrator: User, mission_a: Mission
) -> None:
    # given a form whose service refuses on a field the form does not show
    from django.contrib import admin as django_admin
    from django.core.exceptions import ValidationError as Refusal

    model_admin = django_admin.site._registry[Membership]
    request = RequestFactory().get("/")
    request.user = administrator
    form_class = model_admin.get_form(request)

    def refuse(form: Any) -> None:
        raise Refusal({"reported_by": "Refused on a hidden field."})

    form_class.write = staticmethod(refuse)
    form = form_class(
        {"user": administrator.pk, "mission": mission_a.pk, "role": MissionRole.LEADERSHIP}
    )

    # then the refusal is the form's own error, not a crash
    assert not form.is_valid()
    assert form.non_field_errors() == ["Refused on a hidden field."]
