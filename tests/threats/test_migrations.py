import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories.threats import CommunityAtRiskFactory
from threats.models import CommunityAtRisk

NULLABLE = ("threats", "0003_communityatrisk_mission")
FILLED = ("threats", "0005_same_mission")


def _migrate(target: tuple[str, str]) -> None:
    MigrationExecutor(connection).migrate([target])


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
        _migrate(FILLED)
