import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alerts.models import Alert
from tests.factories.alerts import AlertFactory

UNDATED = ("alerts", "0007_alert_received_on")
DATED = ("alerts", "0008_alert_received_on_fill")


def _migrate(target: tuple[str, str]) -> None:
    MigrationExecutor(connection).migrate([target])


def _migrate_to_latest() -> None:
    # leave the schema as the other tests expect it, every migration applied
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_alert_received_on_fill_dates_each_alert_in_its_missions_zone() -> None:
    # 00:44 on 1 February in Kinshasa, the factories' zone
    received_at = datetime.datetime(2026, 1, 31, 23, 44, tzinfo=datetime.UTC)
    alert = AlertFactory(received_at=received_at)
    try:
        # given the fill reversed and a stale day in the column
        _migrate(UNDATED)
        Alert.objects.filter(pk=alert.pk).update(received_on=datetime.date(1900, 1, 1))

        # when the fill runs forward
        _migrate(DATED)

        # then the alert is dated on its local day
        received_on = Alert.objects.values_list("received_on", flat=True).get(pk=alert.pk)
        assert received_on == datetime.date(2026, 2, 1)
    finally:
        _migrate_to_latest()
