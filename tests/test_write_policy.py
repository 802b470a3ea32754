"""Every write service, as every role, on its own mission, another mission and a restricted
record, checked against the declared policy.

The expected answer is computed here from the policy's tables alone (`WRITE_POLICY`,
`MISSION_POLICY`, `GLOBAL_POLICY`), not from `can()`: a service that forgets to ask, asks for
the wrong verb, or reads the wrong scope fails, and so does a new service nobody declared.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import io
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from accounts.choices import GlobalRole
from accounts.models import User
from alerts.choices import AlertSource, Severity
from audit.models import AuditEntry
from commitments.choices import ActionStatus
from core.choices import Component
from imports.choices import ImportStatus
from imports.models import IncidentImport
from incidents.choices import SourceType
from incidents.models import Incident
from indicators.choices import ObservationState
from missions.choices import AreaKind, MissionRole
from missions.models import Mission
from missions.permissions import (
    GLOBAL_POLICY,
    MISSION_POLICY,
    WRITE_POLICY,
    Action,
    Verb,
)
from tests.factories.accounts import AdministratorFactory, SecretariatFactory, UserFactory
from tests.factories.activities import ProtectionActivityFactory
from tests.factories.alerts import RECEIVED_AT, AlertFactory
from tests.factories.commitments import (
    CommitmentActionFactory,
    CommitmentImplementationFactory,
    KeyElementFactory,
    PhaseFactory,
    TierFactory,
)
from tests.factories.incidents import IncidentFactory
from tests.factories.indicators import (
    IndicatorFactory,
    IndicatorTargetFactory,
    ObservationFactory,
    ObservationValueFactory,
)
from tests.factories.missions import LocalityFactory, MembershipFactory, MissionFactory
from tests.factories.threats import (
    CommunityAtRiskFactory,
    ResponseActionFactory,
    ThreatFactory,
)
from threats.choices import PerpetratorCategory, ViolenceType

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)

# Public functions of the services modules that write nothing themselves.
NOT_WRITES = {
    "rollup_ranges",
    "require_areas_in_mission",
    "editable_fields",
    "model_update",
    "validate",
    "validate_field",
    "create_record",  # the audited helpers every service builds on: covered through them
    "update_record",
    "delete_record",
    "import_progress",  # reads where a running import has got to
}
# Writes of a person's own authenticator, outside the mission policy, as a user's own tokens
# are: tests/accounts/test_two_factor.py.
OWN_ACCOUNT_WRITES = {"two_factor_start", "two_factor_confirm"}
# An import is on the audit trail once, as the run that wrote records (tests/imports); the
# recipes' files hold no row, so these write none.
AUDITED_WHEN_THEY_IMPORT = {"import_create", "import_confirm", "import_execute"}


def _service_modules() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if config.name == "audit":
            continue  # it records writes; it makes none of its own
        if config.name == "api":
            continue  # a user's own tokens, outside the mission policy: tests/api/test_tokens.py
        if config.name == "reports":
            continue  # a user's own exports, outside the mission policy: tests/reports
        for name in ("services", "services.observations", "services.catalogue"):
            try:
                modules.append(importlib.import_module(f"{config.name}.{name}"))
            except ModuleNotFoundError:
                continue
    return modules


def _write_services() -> dict[str, Callable[..., Any]]:
    return {
        name: function
        for module in _service_modules()
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and name not in NOT_WRITES | OWN_ACCOUNT_WRITES
    }


class World:
    """One mission's records, read afresh for every call (a rolled-back call may have
    changed the instances it was given)."""

    def __init__(self, mission: Mission, reporter: User) -> None:
        self.mission = mission
        locality = LocalityFactory(mission=mission)
        threat = ThreatFactory(mission=mission, areas=[locality])
        indicator = IndicatorFactory()
        self.tier, self.phase = TierFactory(), PhaseFactory()
        self.key_element = KeyElementFactory()
        self.pks: dict[str, tuple[type[models.Model], int]] = {}
        records: dict[str, models.Model] = {
            "mission": mission,
            "locality": locality,
            "sector": locality.sector,
            "spare_sector": LocalityFactory(mission=mission).sector,
            "threat": threat,
            "community": CommunityAtRiskFactory(threat=threat, area=locality),
            "response_action": ResponseActionFactory(threat=threat),
            "incident": IncidentFactory(mission=mission, area=locality, threat=threat),
            "restricted_incident": IncidentFactory(
                mission=mission,
                area=locality,
                incident_type=ViolenceType.SEXUAL_VIOLENCE,
                is_restricted=True,
                sv_women=1,
                reported_by=reporter,
            ),
            "alert": AlertFactory(mission=mission, area=locality),
            "activity": ProtectionActivityFactory(mission=mission, area=locality),
            "implementation": CommitmentImplementationFactory(mission=mission),
            "commitment_action": CommitmentActionFactory(
                implementation__mission=mission, status=ActionStatus.PLANNED
            ),
            "indicator": indicator,
            "target": IndicatorTargetFactory(mission=mission, indicator=indicator),
            "membership": MembershipFactory(mission=mission, role=MissionRole.JOC_OFFICER),
            "staff": UserFactory(),
        }
        for month, state in enumerate(ObservationState, start=1):
            start = datetime.date(2025, month, 1)
            observation = ObservationFactory(
                mission=mission,
                indicator=indicator,
                period_start=start,
                period_end=datetime.date(2025, month + 1, 1) - datetime.timedelta(days=1),
                state=state,
                validated_at=timezone.now() if state == ObservationState.VALIDATED else None,
            )
            ObservationValueFactory(observation=observation)
            records[f"observation_{state}"] = observation
        for name, record in records.items():
            self.pks[name] = (type(record), record.pk)

    def __getitem__(self, name: str) -> Any:
        model, pk = self.pks[name]
        return model._default_manager.get(pk=pk)


def _incident_fields() -> dict[str, Any]:
    return {
        "occurred_on": datetime.date(2026, 3, 10),
        "incident_type": ViolenceType.KILLING_MAIMING,
        "perpetrator_category": PerpetratorCategory.UNKNOWN,
        "source_type": SourceType.UN_PATROL,
    }


@dataclass(frozen=True)
class Recipe:
    """How to call one service on a world's records, and what the policy says it needs."""

    label: str
    verb: Verb
    call: Callable[[User, World], Any]
    target: str = "mission"  # the record whose mission decides; "" for global records
    restricted_target: Callable[[User, World], Any] | None = None


def _threat_fields(w: World) -> dict[str, Any]:
    return {
        "title": "Raids",
        "threat_type": ViolenceType.ABDUCTION,
        "perpetrator_category": PerpetratorCategory.UNKNOWN,
        "likelihood": 2,
        "impact": 2,
        "phase": w.phase,
        "identified_on": MARCH,
    }


GED_HEADER = (
    b"id,type_of_violence,side_a,side_b,date_start,date_end,deaths_civilians,latitude,longitude\n"
)


def _import_run(w: World, *, checked: bool = False) -> IncidentImport:
    """A recorded import of a GED file into the world's mission: queued, or a checked dry run."""
    run = IncidentImport(
        mission=w["mission"],
        file_name="ged.csv",
        file_size=len(GED_HEADER),
        preset="ucdp-ged",
        source_name="UCDP GED",
        dry_run=checked,
        status=ImportStatus.CHECKED if checked else ImportStatus.QUEUED,
    )
    run.file.save("ged.csv", ContentFile(GED_HEADER), save=False)
    run.save()
    return run


def _observation(state: str) -> str:
    return f"observation_{state}"


RECIPES: dict[str, Recipe] = {
    # accounts: administrators only
    "user_create": Recipe(
        "accounts.user",
        Verb.CREATE,
        lambda by, w: _svc("accounts").user_create(by=by, username="new-person"),
        target="",
    ),
    "user_update": Recipe(
        "accounts.user",
        Verb.CHANGE,
        lambda by, w: _svc("accounts").user_update(
            user=w["staff"], by=by, data={"first_name": "Ana"}
        ),
        target="",
    ),
    "user_set_password": Recipe(
        "accounts.user",
        Verb.CHANGE,
        lambda by, w: _svc("accounts").user_set_password(
            user=w["staff"], by=by, password="a-new-pass-2026"
        ),
        target="",
    ),
    "user_delete": Recipe(
        "accounts.user",
        Verb.DELETE,
        lambda by, w: _svc("accounts").user_delete(user=w["staff"], by=by),
        target="",
    ),
    "two_factor_reset": Recipe(
        "accounts.user",
        Verb.CHANGE,
        lambda by, w: (
            _svc("accounts").two_factor_start(user=w["staff"]),  # an authenticator to remove
            _svc("accounts").two_factor_reset(user=w["staff"], by=by),
        ),
        target="",
    ),
    # missions
    "mission_create": Recipe(
        "missions.mission",
        Verb.CREATE,
        lambda by, w: _svc("missions").mission_create(
            by=by, acronym="MNEW", name="New", host_country="Newland"
        ),
        target="",
    ),
    "mission_update": Recipe(
        "missions.mission",
        Verb.CHANGE,
        lambda by, w: _svc("missions").mission_update(
            mission=w["mission"], by=by, data={"name": "Renamed"}
        ),
    ),
    "mission_update_settings": Recipe(
        "missions.mission",
        Verb.CHANGE,
        lambda by, w: _svc("missions").mission_update_settings(
            mission=w["mission"], by=by, data={"alert_response_standard_hours": 12}
        ),
    ),
    "mission_delete": Recipe(
        "missions.mission",
        Verb.DELETE,
        lambda by, w: _svc("missions").mission_delete(mission=w["mission"], by=by),
    ),
    "area_create": Recipe(
        "missions.area",
        Verb.CREATE,
        lambda by, w: _svc("missions").area_create(
            by=by, mission=w["mission"], kind=AreaKind.SECTOR, name="Far East"
        ),
    ),
    "area_update": Recipe(
        "missions.area",
        Verb.CHANGE,
        lambda by, w: _svc("missions").area_update(
            area=w["locality"], by=by, data={"name": "Renamed"}
        ),
    ),
    "area_move": Recipe(
        "missions.area",
        Verb.CHANGE,
        lambda by, w: _svc("missions").area_move(
            area=w["locality"].parent, parent=w["spare_sector"], by=by
        ),
    ),
    "area_delete": Recipe(
        "missions.area",
        Verb.DELETE,
        lambda by, w: _svc("missions").area_delete(
            area=w["spare_sector"].children.get().children.get(), by=by
        ),
    ),
    "membership_create": Recipe(
        "missions.membership",
        Verb.CREATE,
        lambda by, w: _svc("missions").membership_create(
            by=by, user=w["staff"], mission=w["mission"], role=MissionRole.LEADERSHIP
        ),
    ),
    "membership_update": Recipe(
        "missions.membership",
        Verb.CHANGE,
        lambda by, w: _svc("missions").membership_update(
            membership=w["membership"], by=by, role=MissionRole.POC_ADVISER
        ),
    ),
    "membership_delete": Recipe(
        "missions.membership",
        Verb.DELETE,
        lambda by, w: _svc("missions").membership_delete(membership=w["membership"], by=by),
    ),
    # commitments
    "implementation_create": Recipe(
        "commitments.commitmentimplementation",
        Verb.CREATE,
        lambda by, w: _svc("commitments").implementation_create(
            by=by,
            mission=w["mission"],
            key_element=KeyElementFactory(),
            responsible_component=Component.POC_UNIT,
        ),
    ),
    "implementation_update": Recipe(
        "commitments.commitmentimplementation",
        Verb.CHANGE,
        lambda by, w: _svc("commitments").implementation_update(
            implementation=w["implementation"], by=by, data={"summary": "On track"}
        ),
    ),
    "implementation_delete": Recipe(
        "commitments.commitmentimplementation",
        Verb.DELETE,
        lambda by, w: _svc("commitments").implementation_delete(
            implementation=w["implementation"], by=by
        ),
    ),
    "commitment_action_create": Recipe(
        "commitments.commitmentaction",
        Verb.CREATE,
        lambda by, w: _svc("commitments").commitment_action_create(
            by=by, implementation=w["implementation"], description="Train", component=Component.JMAC
        ),
    ),
    "commitment_action_update": Recipe(
        "commitments.commitmentaction",
        Verb.CHANGE,
        lambda by, w: _svc("commitments").commitment_action_update(
            action=w["commitment_action"], by=by, data={"description": "Train twice"}
        ),
    ),
    "commitment_action_delete": Recipe(
        "commitments.commitmentaction",
        Verb.DELETE,
        lambda by, w: _svc("commitments").commitment_action_delete(
            action=w["commitment_action"], by=by
        ),
    ),
    # threats
    "threat_create": Recipe(
        "threats.threat",
        Verb.CREATE,
        lambda by, w: _svc("threats").threat_create(
            by=by, mission=w["mission"], **_threat_fields(w)
        ),
    ),
    "threat_update": Recipe(
        "threats.threat",
        Verb.CHANGE,
        lambda by, w: _svc("threats").threat_update(
            threat=w["threat"], by=by, data={"likelihood": 5}
        ),
    ),
    "threat_close": Recipe(
        "threats.threat",
        Verb.CLOSE,
        lambda by, w: _svc("threats").threat_close(
            threat=w["threat"], by=by, closed_on=datetime.date(2026, 4, 1)
        ),
    ),
    "threat_delete": Recipe(
        "threats.threat",
        Verb.DELETE,
        lambda by, w: _svc("threats").threat_delete(threat=w["threat"], by=by),
    ),
    "community_create": Recipe(
        "threats.communityatrisk",
        Verb.CREATE,
        lambda by, w: _svc("threats").community_create(
            by=by, threat=w["threat"], name="Camp", women=3
        ),
    ),
    "community_update": Recipe(
        "threats.communityatrisk",
        Verb.CHANGE,
        lambda by, w: _svc("threats").community_update(
            community=w["community"], by=by, data={"women": 9}
        ),
    ),
    "community_delete": Recipe(
        "threats.communityatrisk",
        Verb.DELETE,
        lambda by, w: _svc("threats").community_delete(community=w["community"], by=by),
    ),
    "response_action_create": Recipe(
        "threats.responseaction",
        Verb.CREATE,
        lambda by, w: _svc("threats").response_action_create(
            by=by,
            threat=w["threat"],
            tier=w.tier,
            phase=w.phase,
            description="Patrol",
            component=Component.MILITARY,
        ),
    ),
    "response_action_update": Recipe(
        "threats.responseaction",
        Verb.CHANGE,
        lambda by, w: _svc("threats").response_action_update(
            action=w["response_action"], by=by, data={"lead": "Sector commander"}
        ),
    ),
    "response_action_delete": Recipe(
        "threats.responseaction",
        Verb.DELETE,
        lambda by, w: _svc("threats").response_action_delete(action=w["response_action"], by=by),
    ),
    # incidents: the restricted record is a sexual-violence incident someone else reported
    "incident_create": Recipe(
        "incidents.incident",
        Verb.CREATE,
        lambda by, w: _svc("incidents").incident_create(
            by=by, mission=w["mission"], area=w["locality"], **_incident_fields()
        ),
    ),
    "incident_import_write": Recipe(
        "incidents.incident",
        Verb.CREATE,
        lambda by, w: _svc("incidents").incident_import_write(
            by=by,
            run=_import_run(w),
            created=[Incident(mission=w["mission"], area=w["locality"], **_incident_fields())],
            changed=[],
            refresh=True,
        ),
    ),
    "import_create": Recipe(
        "imports.incidentimport",
        Verb.CREATE,
        lambda by, w: _svc("imports").import_create(
            by=by,
            mission=w["mission"],
            file=io.BytesIO(GED_HEADER),
            file_name="ged.csv",
            preset="ucdp-ged",
            keep_file=False,
        ),
    ),
    "import_execute": Recipe(
        "imports.incidentimport",
        Verb.CREATE,
        lambda by, w: _svc("imports").import_execute(
            run=_import_run(w), by=by, stream=io.BytesIO(GED_HEADER)
        ),
    ),
    "import_confirm": Recipe(
        "imports.incidentimport",
        Verb.CREATE,
        lambda by, w: _svc("imports").import_confirm(by=by, run=_import_run(w, checked=True)),
    ),
    "incident_bulk_create": Recipe(
        "incidents.incident",
        Verb.CREATE,
        lambda by, w: _svc("incidents").incident_bulk_create(
            by=by, rows=[{"mission": w["mission"], "area": w["locality"], **_incident_fields()}]
        ),
    ),
    "incident_update": Recipe(
        "incidents.incident",
        Verb.CHANGE,
        lambda by, w: _svc("incidents").incident_update(
            incident=w["incident"], by=by, data={"killed_men": 4}
        ),
        restricted_target=lambda by, w: _svc("incidents").incident_update(
            incident=w["restricted_incident"], by=by, data={"sv_girls": 1}
        ),
    ),
    "incident_delete": Recipe(
        "incidents.incident",
        Verb.DELETE,
        lambda by, w: _svc("incidents").incident_delete(incident=w["incident"], by=by),
        restricted_target=lambda by, w: _svc("incidents").incident_delete(
            incident=w["restricted_incident"], by=by
        ),
    ),
    # alerts
    "alert_create": Recipe(
        "alerts.alert",
        Verb.CREATE,
        lambda by, w: _svc("alerts").alert_create(
            by=by,
            mission=w["mission"],
            area=w["locality"],
            source=AlertSource.PATROL,
            severity=Severity.HIGH,
            summary="Shots",
            received_at=RECEIVED_AT,
        ),
    ),
    "alert_bulk_create": Recipe(
        "alerts.alert",
        Verb.CREATE,
        lambda by, w: _svc("alerts").alert_bulk_create(
            by=by,
            rows=[
                {
                    "mission": w["mission"],
                    "area": w["locality"],
                    "source": AlertSource.PATROL,
                    "severity": Severity.HIGH,
                    "summary": "Shots",
                    "received_at": RECEIVED_AT,
                }
            ],
        ),
    ),
    "alert_update": Recipe(
        "alerts.alert",
        Verb.CHANGE,
        lambda by, w: _svc("alerts").alert_update(
            alert=w["alert"], by=by, data={"summary": "Shots heard"}
        ),
    ),
    "alert_delete": Recipe(
        "alerts.alert",
        Verb.DELETE,
        lambda by, w: _svc("alerts").alert_delete(alert=w["alert"], by=by),
    ),
    "alert_acknowledge": Recipe(
        "alerts.alert",
        Verb.ACKNOWLEDGE,
        lambda by, w: _svc("alerts").alert_acknowledge(
            alert=w["alert"], by=by, at=RECEIVED_AT + datetime.timedelta(hours=1)
        ),
    ),
    "alert_record_response": Recipe(
        "alerts.alert",
        Verb.RESPOND,
        lambda by, w: _svc("alerts").alert_record_response(
            alert=w["alert"], by=by, tier=w.tier, decided="Patrol"
        ),
    ),
    # activities
    "activity_create": Recipe(
        "activities.protectionactivity",
        Verb.CREATE,
        lambda by, w: _svc("activities").activity_create(
            by=by, mission=w["mission"], area=w["locality"], **_activity_fields(w)
        ),
    ),
    "activity_update": Recipe(
        "activities.protectionactivity",
        Verb.CHANGE,
        lambda by, w: _svc("activities").activity_update(
            activity=w["activity"], by=by, data={"women": 41}
        ),
    ),
    "activity_delete": Recipe(
        "activities.protectionactivity",
        Verb.DELETE,
        lambda by, w: _svc("activities").activity_delete(activity=w["activity"], by=by),
    ),
    # indicators: the catalogue is global, targets and observations belong to a mission
    "indicator_create": Recipe(
        "indicators.indicator",
        Verb.CREATE,
        lambda by, w: _svc("indicators.services.catalogue", app=False).indicator_create(
            by=by, **_indicator_fields()
        ),
        target="",
    ),
    "indicator_update": Recipe(
        "indicators.indicator",
        Verb.CHANGE,
        lambda by, w: _svc("indicators.services.catalogue", app=False).indicator_update(
            indicator=w["indicator"], by=by, data={"name": "Renamed"}
        ),
        target="",
    ),
    "indicator_delete": Recipe(
        "indicators.indicator",
        Verb.DELETE,
        lambda by, w: _svc("indicators.services.catalogue", app=False).indicator_delete(
            indicator=IndicatorFactory(), by=by
        ),
        target="",
    ),
    "target_create": Recipe(
        "indicators.indicatortarget",
        Verb.CREATE,
        lambda by, w: _svc("indicators.services.catalogue", app=False).target_create(
            by=by,
            indicator=IndicatorFactory(),
            mission=w["mission"],
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            target=5,
        ),
    ),
    "target_update": Recipe(
        "indicators.indicatortarget",
        Verb.CHANGE,
        lambda by, w: _svc("indicators.services.catalogue", app=False).target_update(
            target=w["target"], by=by, data={"target": 30}
        ),
    ),
    "target_delete": Recipe(
        "indicators.indicatortarget",
        Verb.DELETE,
        lambda by, w: _svc("indicators.services.catalogue", app=False).target_delete(
            target=w["target"], by=by
        ),
    ),
    "observation_create": Recipe(
        "indicators.observation",
        Verb.CREATE,
        lambda by, w: _obs().observation_create(
            by=by,
            indicator=w["indicator"],
            mission=w["mission"],
            area=w["locality"],
            period_start=MARCH,
            period_end=datetime.date(2026, 3, 31),
            values={"total": {"value": 4}},
        ),
    ),
    "observation_bulk_create": Recipe(
        "indicators.observation",
        Verb.CREATE,
        lambda by, w: _obs().observation_bulk_create(
            by=by,
            rows=[
                {
                    "indicator": w["indicator"],
                    "mission": w["mission"],
                    "area": w["locality"],
                    "period_start": MARCH,
                    "period_end": datetime.date(2026, 3, 31),
                    "values": {"total": {"value": 4}},
                }
            ],
        ),
    ),
    "observation_update": Recipe(
        "indicators.observation",
        Verb.CHANGE,
        lambda by, w: _obs().observation_update(
            observation=w[_observation(ObservationState.DRAFT)], by=by, data={"note": "Checked"}
        ),
    ),
    "observation_update_values": Recipe(
        "indicators.observation",
        Verb.CHANGE,
        lambda by, w: _obs().observation_update_values(
            observation=w[_observation(ObservationState.RETURNED)],
            by=by,
            values={"total": {"value": 7}},
        ),
    ),
    "observation_submit": Recipe(
        "indicators.observation",
        Verb.SUBMIT,
        lambda by, w: _obs().observation_submit(
            observation=w[_observation(ObservationState.DRAFT)], by=by
        ),
    ),
    "observation_validate": Recipe(
        "indicators.observation",
        Verb.VALIDATE,
        lambda by, w: _obs().observation_validate(
            observation=w[_observation(ObservationState.SUBMITTED)], by=by
        ),
    ),
    "observation_return": Recipe(
        "indicators.observation",
        Verb.RETURN,
        lambda by, w: _obs().observation_return(
            observation=w[_observation(ObservationState.SUBMITTED)], by=by, reason="Check the total"
        ),
    ),
    "observation_reopen": Recipe(
        "indicators.observation",
        Verb.REOPEN,
        lambda by, w: _obs().observation_reopen(
            observation=w[_observation(ObservationState.VALIDATED)], by=by, reason="Late report"
        ),
    ),
    "observation_delete": Recipe(
        "indicators.observation",
        Verb.DELETE,
        lambda by, w: _obs().observation_delete(
            observation=w[_observation(ObservationState.DRAFT)], by=by
        ),
    ),
}


def _svc(name: str, *, app: bool = True) -> ModuleType:
    return importlib.import_module(f"{name}.services" if app else name)


def _obs() -> ModuleType:
    return importlib.import_module("indicators.services.observations")


def _activity_fields(w: World) -> dict[str, Any]:
    return {
        "activity_type": "patrol",
        "title": "Night patrol",
        "tier": w.tier,
        "phase": w.phase,
        "component": Component.MILITARY,
        "started_on": MARCH,
    }


def _indicator_fields() -> dict[str, Any]:
    model = IndicatorFactory.build()
    return {
        field.name: getattr(model, field.name)
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in ("created_at", "updated_at")
    }


@dataclass(frozen=True)
class Cast:
    name: str
    role: str = ""  # a mission role in mission A
    global_role: str = ""


CAST = [
    *(Cast(role.value, role=role) for role in MissionRole),
    Cast("secretariat", global_role=GlobalRole.SECRETARIAT),
    Cast("administrator", global_role=GlobalRole.ADMINISTRATOR),
]


def _policy_allows(cast: Cast, recipe: Recipe, *, own: bool, restricted: bool) -> bool:
    """What the declared tables say, computed without asking the code under test."""
    action = WRITE_POLICY[recipe.label][recipe.verb]
    if cast.global_role:
        return action in GLOBAL_POLICY[cast.global_role]
    if not recipe.target or not own:
        return False
    held = MISSION_POLICY[cast.role]
    return action in held and (not restricted or Action.VIEW_RESTRICTED in held)


def _user(cast: Cast, mission: Mission) -> User:
    if cast.global_role == GlobalRole.SECRETARIAT:
        return SecretariatFactory()
    if cast.global_role == GlobalRole.ADMINISTRATOR:
        return AdministratorFactory()
    return MembershipFactory(mission=mission, role=cast.role).user


def _outcome(call: Callable[[], Any]) -> tuple[bool, int]:
    """Run a write and roll it back: whether the policy allowed it, and how many audit entries
    it wrote."""
    try:
        with transaction.atomic():
            before = AuditEntry.objects.count()
            call()
            raise _Undo(AuditEntry.objects.count() - before)
    except _Undo as undone:
        return True, undone.args[0]
    except PermissionDenied:
        return False, 0


def _is_atomic(function: Callable[..., Any]) -> bool:
    """Whether `function` is decorated with `transaction.atomic` (its closure holds one)."""
    cells = getattr(function, "__closure__", None) or ()
    return any(isinstance(cell.cell_contents, transaction.Atomic) for cell in cells)


class _Undo(Exception):
    pass


def test_every_write_service_has_a_recipe_and_a_declared_policy() -> None:
    services = set(_write_services())
    assert services - set(RECIPES) == set(), "write services without a recipe"
    assert set(RECIPES) - services == set(), "recipes of services that no longer exist"
    for name, recipe in RECIPES.items():
        assert recipe.verb in WRITE_POLICY.get(recipe.label, {}), f"{name}: no declared policy"


def test_every_write_service_is_one_transaction() -> None:
    # a write and its audit entry and refresh stand or fall together
    outside = [name for name, function in _write_services().items() if not _is_atomic(function)]
    assert not outside


@pytest.mark.parametrize("service", sorted(RECIPES))
def test_write_service_follows_the_declared_policy(
    service: str, django_capture_on_commit_callbacks: Any
) -> None:
    # given both missions' records and one user of each role in mission A
    mission_a, mission_b = MissionFactory(), MissionFactory()
    reporter = UserFactory()
    worlds = {"own": World(mission_a, reporter), "other": World(mission_b, reporter)}
    recipe = RECIPES[service]
    targets: list[tuple[str, Callable[[User, World], Any], World, bool]] = [
        ("own", recipe.call, worlds["own"], False),
        ("other", recipe.call, worlds["other"], False),
    ]
    if recipe.restricted_target:
        targets.append(("restricted", recipe.restricted_target, worlds["own"], True))

    # when each of them calls the service on each target, then the policy's answer holds
    mismatches = []
    for cast in CAST:
        user = _user(cast, mission_a)
        for target, call, world, restricted in targets:
            expected = _policy_allows(cast, recipe, own=target != "other", restricted=restricted)
            with django_capture_on_commit_callbacks():
                allowed, audited = _outcome(
                    lambda call=call, world=world, user=user: call(user, world)
                )
            if allowed != expected:
                mismatches.append(f"{cast.name} on {target}: allowed={allowed}")
            # and every write allowed leaves its audit entry (a refusal writes nothing)
            if allowed and not audited and service not in AUDITED_WHEN_THEY_IMPORT:
                mismatches.append(f"{cast.name} on {target}: no audit entry")
    assert not mismatches, f"{service}: " + "; ".join(mismatches)
