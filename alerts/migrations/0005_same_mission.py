from django.db import migrations

from core.migration_operations import SameMissionForeignKey


class Migration(migrations.Migration):
    """Hold an alert's threat and area to the alert's own mission, in the database."""

    dependencies = [
        ("alerts", "0004_drop_redundant_fk_indexes"),
        ("threats", "0003_communityatrisk_mission"),
        ("missions", "0004_same_mission"),
    ]

    operations = [
        SameMissionForeignKey(
            model_name="alert",
            columns=("threat_id", "mission_id"),
            references=("threats_threat", ("id", "mission_id")),
            name="alerts_alert_threat_same_mission",
        ),
        SameMissionForeignKey(
            model_name="alert",
            columns=("area_id", "mission_id"),
            references=("missions_area", ("id", "mission_id")),
            name="alerts_alert_area_same_mission",
        ),
    ]
