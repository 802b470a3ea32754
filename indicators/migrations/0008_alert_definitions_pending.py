"""Say in POC-10's and POC-11's definitions that an alert awaiting a response while its standard
still runs is not counted as missed.

The figures leave such an alert out of POC-10 until its standard has passed; the definitions
shipped in 0002_catalogue said it counted as outside the standard at once. Rows are keyed by
code; the reverse restores the earlier text.
"""

from django.db import migrations

DEFINITIONS = {
    "POC-10": (
        (
            "Share of alerts received in the period whose response arrived on the ground within "
            "the mission's alert-response standard, measured from receipt to arrival. Alerts "
            "closed as false alarms are excluded; an alert whose response never arrived counts "
            "as outside the standard. Period: calendar month, by time of receipt."
        ),
        (
            "Share of alerts received in the period whose response arrived on the ground within "
            "the mission's alert-response standard, measured from receipt to arrival, among the "
            "alerts answered or missed. Alerts closed as false alarms are excluded. An alert "
            "still awaiting a response while its standard runs is neither answered nor missed "
            "and is left out; once the standard has passed without an arrival it counts as "
            "outside the standard. Judged when the figures are computed: such an alert turns "
            "missed at the next recomputation, at the latest the nightly one. Period: calendar "
            "month, by time of receipt."
        ),
    ),
    "POC-11": (
        (
            "Median number of hours from receipt of an alert to the arrival of the response on "
            "the ground, over alerts received in the period whose response arrived. Alerts "
            "without an arrival are excluded here (POC-10 counts them as missed). Period: "
            "calendar month, by time of receipt."
        ),
        (
            "Median number of hours from receipt of an alert to the arrival of the response on "
            "the ground, over alerts received in the period whose response arrived. Alerts "
            "without an arrival are excluded here (POC-10 counts them as missed once their "
            "standard has passed). Period: calendar month, by time of receipt."
        ),
    ),
}


def _set(apps, which):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, texts in DEFINITIONS.items():
        Indicator.objects.filter(code=code).update(definition=texts[which])


def forward(apps, schema_editor):
    _set(apps, 1)


def backward(apps, schema_editor):
    _set(apps, 0)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0007_record_dates"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
