from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_mission(apps, schema_editor):
    """Give every community at risk its threat's mission."""
    CommunityAtRisk = apps.get_model("threats", "CommunityAtRisk")
    Threat = apps.get_model("threats", "Threat")
    CommunityAtRisk.objects.filter(mission__isnull=True).update(
        mission=Subquery(Threat.objects.filter(pk=OuterRef("threat")).values("mission")[:1])
    )


def clear_mission(apps, schema_editor):
    """Leave the column empty again, as it was before the fill."""
    CommunityAtRisk = apps.get_model("threats", "CommunityAtRisk")
    CommunityAtRisk.objects.update(mission=None)


class Migration(migrations.Migration):

    dependencies = [
        ("threats", "0003_communityatrisk_mission"),
    ]

    operations = [
        migrations.RunPython(fill_mission, clear_mission),
    ]
