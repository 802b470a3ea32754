from django.db import migrations

from core.migration_operations import SameMissionForeignKey


class Migration(migrations.Migration):
    """Hold an incident's threat and area to the incident's own mission, in the database."""

    dependencies = [
        ("incidents", "0005_drop_redundant_fk_indexes"),
        ("threats", "0003_communityatrisk_mission"),
        ("missions", "0004_same_mission"),
    ]

    operations = [
        SameMissionForeignKey(
            model_name="incident",
            columns=("threat_id", "mission_id"),
            references=("threats_threat", ("id", "mission_id")),
            name="incidents_incident_threat_same_mission",
        ),
        SameMissionForeignKey(
            model_name="incident",
            columns=("area_id", "mission_id"),
            references=("missions_area", ("id", "mission_id")),
            name="incidents_incident_area_same_mission",
        ),
    ]
