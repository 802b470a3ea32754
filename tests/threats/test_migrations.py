import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories.threats import CommunityAtRiskFactory, ThreatFactory
from threats.models import CommunityAtRisk, ThreatAssessment

NULLABLE = ("threats", "0003_communityatrisk_mission")
FILLED = ("threats", "0005_same_mission")
NO_HISTORY = ("threats", "0007_threatassessment")
FIRST_ASSESSED = ("threats", "0008_threatassessment_fill")


def _migrate(target: tuple[str, str]) -> None:
    MigrationExecutor(connection).migrate([target])


def _migrate_to_latest() -> None:
    # leave the schema as the other tests expect it, every migration applied
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_community_at_risk_mission_is_filled_from_its_threat_and_emptied_on_reverse() -> None:
    community = CommunityAtRiskFactory()
    try:
        # given the column back to nullable and emptied by the reverse of the fill
        _migrate(NULLABLE)
        assert CommunityAtRisk.objects.filter(pk=community.pk, mission=None).exists()

        # when the fill runs forward
        _migrate(FILLED)

        # then the community has its threat's mission again
        community.refresh_from_db()
        assert community.mission_id == community.threat.mission_id
    finally:
        _migrate_to_latest()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_threat_assessment_fill_gives_each_threat_its_first_and_reverse_empties_them() -> None:
    threat = ThreatFactory(likelihood=4, impact=5, assessments=False)
    try:
        # given the reverse of the fill, which empties the history
        ThreatFactory()
        _migrate(NO_HISTORY)
        assert not ThreatAssessment.objects.exists()

        # when the fill runs forward
        _migrate(FIRST_ASSESSED)

        # then each threat has one assessment from its identification, with its scores
        first = ThreatAssessment.objects.get(threat=threat)
        assert (first.valid_from, first.valid_to) == (threat.identified_on, None)
        assert (first.likelihood, first.impact, first.risk_score) == (4, 5, 20)
        assert (first.trend, first.phase_id, first.mission_id) == (
            threat.trend,
            threat.phase_id,
            threat.mission_id,
        )
        assert first.assessed_by is None
        assert ThreatAssessment.objects.count() == 2
    finally:
        _migrate_to_latest()
