"""The database keeps every record's threat and area in the record's own mission.

Each rule of `core.migration_operations.SAME_MISSION_RULES` is walked: written through raw
updates and inserts that no form or service sees, a pair that crosses missions is refused by
the rule's own constraint (or trigger, on SQLite), and a matching pair is accepted.
"""

from functools import partial

import pytest
from django.apps import apps
from django.db import models

from activities.models import ProtectionActivity
from alerts.models import Alert
from core.migration_operations import SAME_MISSION_RULES, SameMissionRule
from incidents.models import Incident
from indicators.models import Observation
from missions.models import Area, Mission
from tests.factories.activities import ProtectionActivityFactory
from tests.factories.alerts import AlertFactory
from tests.factories.incidents import IncidentFactory
from tests.factories.indicators import ObservationFactory
from tests.factories.missions import LocalityFactory, MissionFactory
from tests.factories.threats import (
    CommunityAtRiskFactory,
    ThreatAssessmentFactory,
    ThreatFactory,
)
from tests.integrity import check_deferred_constraints, rejected_by
from threats.models import CommunityAtRisk, Threat

CHILD_FACTORIES = {
    "incidents_incident": IncidentFactory,
    "alerts_alert": AlertFactory,
    "activities_protectionactivity": ProtectionActivityFactory,
    "indicators_observation": ObservationFactory,
    "threats_communityatrisk": CommunityAtRiskFactory,
    "threats_threatassessment": ThreatAssessmentFactory,
}
# a threat without its first assessment: the row under test is then the only one pointing at it
PARENT_FACTORIES = {
    "threats_threat": partial(ThreatFactory, assessments=False),
    "missions_area": LocalityFactory,
}

THREAT_RULE = next(rule for rule in SAME_MISSION_RULES if rule.referenced_table == "threats_threat")
rules = pytest.mark.parametrize("rule", SAME_MISSION_RULES, ids=lambda rule: rule.name)


def _model(table: str) -> type[models.Model]:
    return next(model for model in apps.get_models() if model._meta.db_table == table)


def _reference(rule: SameMissionRule) -> str:
    return rule.columns[0].removesuffix("_id")


def _parent(rule: SameMissionRule, mission: Mission) -> models.Model:
    return PARENT_FACTORIES[rule.referenced_table](mission=mission)


def _child(rule: SameMissionRule, mission: Mission, parent: models.Model) -> models.Model:
    """Insert a row of the rule's child table, in `mission`, pointing at `parent`."""
    factory = CHILD_FACTORIES[rule.table]
    if factory is ThreatAssessmentFactory:
        return factory(threat=parent, mission=mission)
    if factory is CommunityAtRiskFactory:
        # a community's threat is the rest of the row; keep it in `mission` unless under test
        threat = parent if _reference(rule) == "threat" else _parent(THREAT_RULE, mission)
        return factory(**{"threat": threat, "mission": mission, _reference(rule): parent})
    return factory(**{"mission": mission, _reference(rule): parent})


@pytest.mark.django_db
@rules
def test_same_mission_rule_refuses_an_update_to_another_missions_parent(
    rule: SameMissionRule,
) -> None:
    # given a row linked within its mission, and a parent in another mission
    mission = MissionFactory()
    child = _child(rule, mission, _parent(rule, mission))
    elsewhere = _parent(rule, MissionFactory())

    # when a raw update links the row to it, then
    with rejected_by(rule.name):
        type(child).objects.filter(pk=child.pk).update(**{_reference(rule): elsewhere})
        check_deferred_constraints()


@pytest.mark.django_db
@rules
def test_same_mission_rule_refuses_an_insert_with_another_missions_parent(
    rule: SameMissionRule,
) -> None:
    mission, elsewhere = MissionFactory(), MissionFactory()

    with rejected_by(rule.name):
        _child(rule, mission, _parent(rule, elsewhere))
        check_deferred_constraints()


@pytest.mark.django_db
@rules
def test_same_mission_rule_refuses_moving_the_row_to_another_mission(
    rule: SameMissionRule,
) -> None:
    # given a row linked within its mission
    mission, elsewhere = MissionFactory(), MissionFactory()
    child = _child(rule, mission, _parent(rule, mission))
    # its other links follow it, so that only this rule is broken
    moved = {
        _reference(other): _parent(other, elsewhere)
        for other in SAME_MISSION_RULES
        if other.table == rule.table and other != rule
    }

    # when a raw update moves the row alone to another mission, then
    with rejected_by(rule.name):
        type(child).objects.filter(pk=child.pk).update(mission=elsewhere, **moved)
        check_deferred_constraints()


@pytest.mark.django_db
@rules
def test_same_mission_rule_accepts_a_parent_of_the_same_mission(rule: SameMissionRule) -> None:
    # given a row linked within its mission, and another parent in the same mission
    mission = MissionFactory()
    child = _child(rule, mission, _parent(rule, mission))
    other = _parent(rule, mission)

    # when a raw update links the row to it
    type(child).objects.filter(pk=child.pk).update(**{_reference(rule): other})
    check_deferred_constraints()

    # then the link holds
    child.refresh_from_db()
    assert getattr(child, rule.columns[0]) == other.pk


@pytest.mark.django_db
@rules
def test_same_mission_rule_refuses_moving_a_parent_its_rows_point_at(
    rule: SameMissionRule,
) -> None:
    # given a parent with a row of its mission pointing at it
    mission = MissionFactory()
    parent = _parent(rule, mission)
    _child(rule, mission, parent)

    # when the parent moves to another mission, then
    with rejected_by(rule.name):
        type(parent).objects.filter(pk=parent.pk).update(mission=MissionFactory())
        check_deferred_constraints()


@pytest.mark.django_db
@pytest.mark.parametrize("factory", PARENT_FACTORIES.values(), ids=PARENT_FACTORIES.keys())
def test_same_mission_rules_let_an_unused_parent_move(factory: type) -> None:
    parent = factory()
    other = MissionFactory()

    type(parent).objects.filter(pk=parent.pk).update(mission=other)
    check_deferred_constraints()

    parent.refresh_from_db()
    assert parent.mission == other


@pytest.mark.django_db
def test_same_mission_rules_ignore_records_without_a_threat_or_area() -> None:
    mission = MissionFactory()

    IncidentFactory(mission=mission, threat=None)
    ObservationFactory(mission=mission, area=None)
    check_deferred_constraints()

    assert Incident.objects.filter(mission=mission).exists()
    assert Observation.objects.filter(mission=mission).exists()


def _linked_to(threat: Threat) -> list[models.Model]:
    """One record of every kind linked to `threat`, each in its mission and area."""
    mission = threat.mission
    area = LocalityFactory(mission=mission)
    return [
        IncidentFactory(mission=mission, area=area, threat=threat),
        AlertFactory(mission=mission, area=area, threat=threat),
        ProtectionActivityFactory(mission=mission, area=area, threat=threat),
        ObservationFactory(mission=mission, area=area),
        CommunityAtRiskFactory(threat=threat, area=area),
    ]


@pytest.mark.django_db
def test_threat_delete_keeps_its_incidents_alerts_and_activities() -> None:
    # given a threat with an incident, an alert, an activity and a community
    threat = ThreatFactory()
    incident, alert, activity, _, community = _linked_to(threat)

    # when it is deleted
    threat.delete()
    check_deferred_constraints()

    # then the records stay, unlinked, and the community goes with its threat
    for record in (incident, alert, activity):
        record.refresh_from_db()
        assert record.threat_id is None
    assert not CommunityAtRisk.objects.filter(pk=community.pk).exists()


@pytest.mark.django_db
def test_mission_delete_takes_every_record_along() -> None:
    # given a mission with linked records of every kind, and another mission's records
    threat = ThreatFactory()
    _linked_to(threat)
    kept = _linked_to(ThreatFactory())

    # when the mission is deleted
    mission_id = threat.mission_id
    threat.mission.delete()
    check_deferred_constraints()

    # then nothing of it is left, and the other mission's records stay
    for model in (Incident, Alert, ProtectionActivity, Observation, CommunityAtRisk, Threat, Area):
        assert not model.objects.filter(mission_id=mission_id).exists(), model
    assert all(type(record).objects.filter(pk=record.pk).exists() for record in kept)
