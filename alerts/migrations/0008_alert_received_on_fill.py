import zoneinfo

from django.db import migrations

BATCH = 1000


def local_dates(apps, schema_editor):
    """Date every alert on the day it was received in its mission's time zone."""
    Alert = apps.get_model("alerts", "Alert")
    Mission = apps.get_model("missions", "Mission")
    for mission in Mission.objects.order_by("pk"):
        zone = zoneinfo.ZoneInfo(mission.time_zone)
        alerts = list(Alert.objects.filter(mission_id=mission.pk).only("pk", "received_at"))
        for alert in alerts:
            alert.received_on = alert.received_at.astimezone(zone).date()
        Alert.objects.bulk_update(alerts, ["received_on"], batch_size=BATCH)


def no_dates(apps, schema_editor):
    """Nothing to undo: reversing the schema migration drops the column."""


class Migration(migrations.Migration):

    dependencies = [
        ("alerts", "0007_alert_received_on"),
    ]

    operations = [
        migrations.RunPython(local_dates, no_dates),
    ]
