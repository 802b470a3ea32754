"""Drop the "unknown" sex-age group from POC-14's definition.

People reached are counted from protection activities, which record women, men, girls and
boys only (core.models.SexAgeCounts); the definition shipped in 0002_catalogue named an
"unknown" group no activity can hold. Incident-derived indicators keep theirs: incidents do
record people of unknown sex or age. The row is keyed by code; the reverse restores the text.
"""

from django.db import migrations

CODE = "POC-14"
BEFORE = (
    "People reached by protection activities that started in the period, by women, "
    "men, girls, boys and unknown, as recorded on each activity. A person reached by "
    "several activities counts once per activity. Excludes audiences of broadcasts. "
    "Period: calendar month, by start date."
)
AFTER = (
    "People reached by protection activities that started in the period, by women, men, "
    "girls and boys, as recorded on each activity (activities record no other group). A "
    "person reached by several activities counts once per activity. Excludes audiences of "
    "broadcasts. Period: calendar month, by start date."
)


def forward(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(code=CODE).update(definition=AFTER)


def backward(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(code=CODE).update(definition=BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0008_alert_definitions_pending"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
