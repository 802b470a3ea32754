from django.db import migrations

BATCH = 1000


def first_assessments(apps, schema_editor):
    """Give every threat without a history its first assessment, from its current scores.

    It takes effect on the day the threat was identified: the register kept no earlier
    re-scoring, so the current values are the best account of its whole life. Who scored it
    was not kept either, so `assessed_by` stays empty rather than guessed.
    """
    Threat = apps.get_model("threats", "Threat")
    ThreatAssessment = apps.get_model("threats", "ThreatAssessment")
    threats = Threat.objects.filter(assessments__isnull=True).order_by("pk")
    ThreatAssessment.objects.bulk_create(
        (
            ThreatAssessment(
                threat_id=threat.pk,
                mission_id=threat.mission_id,
                valid_from=threat.identified_on,
                likelihood=threat.likelihood,
                impact=threat.impact,
                trend=threat.trend,
                phase_id=threat.phase_id,
                assessed_at=threat.created_at,
            )
            for threat in threats.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )


def forget_assessments(apps, schema_editor):
    """Empty the risk history again, as it was before the fill."""
    apps.get_model("threats", "ThreatAssessment").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("threats", "0007_threatassessment"),
    ]

    operations = [
        migrations.RunPython(first_assessments, forget_assessments),
    ]
