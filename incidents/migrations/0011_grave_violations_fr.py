"""The six grave violations against children in French, and their English names in their own
column.

0010 gave the name a column per language; here the English column takes the name each row
already holds, and the French column the terms of the monitoring and reporting mechanism's
French texts. Rows are keyed by number, as in 0002. An English name already filled is kept.
"""

from django.db import migrations
from django.db.models import F, Q

GRAVE_VIOLATIONS = {
    1: "Meurtres et mutilations",
    2: "Recrutement et utilisation par des forces ou groupes armés",
    3: "Violences sexuelles",
    4: "Attaques contre des écoles ou des hôpitaux",
    5: "Enlèvements",
    6: "Refus d’accès humanitaire",
}


def load_french(apps, schema_editor):
    GraveViolation = apps.get_model("incidents", "GraveViolation")
    GraveViolation.objects.filter(Q(label_en__isnull=True) | Q(label_en="")).update(
        label_en=F("label")
    )
    for number, label in GRAVE_VIOLATIONS.items():
        GraveViolation.objects.filter(number=number).update(label_fr=label)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0010_translations"),
    ]

    operations = [
        # the reverse drops the columns themselves (0010)
        migrations.RunPython(load_french, migrations.RunPython.noop),
    ]
