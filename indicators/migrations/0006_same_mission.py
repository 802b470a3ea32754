from django.db import migrations

from core.migration_operations import SameMissionForeignKey


class Migration(migrations.Migration):
    """Hold an observation's area to the observation's own mission, in the database."""

    dependencies = [
        ("indicators", "0005_observation_refresh_index"),
        ("missions", "0004_same_mission"),
    ]

    operations = [
        SameMissionForeignKey(
            model_name="observation",
            columns=("area_id", "mission_id"),
            references=("missions_area", ("id", "mission_id")),
            name="indicators_observation_area_same_mission",
        ),
    ]
