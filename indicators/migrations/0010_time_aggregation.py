"""Give every indicator how it aggregates over time beside how it combines across places.

A flow takes in everything in the period (civilians killed, activities, alerts); a stock each
place's last reading of it (open threats, functional committees, a share at the quarter's end),
which adding up months would inflate. The former "latest" method was a stock summed across
places: it becomes the sum method with the stock setting. Each definition gains a sentence
saying which its figure is, and why; the reverse restores the method and the texts. The check
constraints on the two fields follow in the next migration: PostgreSQL alters no table in the
transaction that updated its rows.
"""

from django.db import migrations, models

FLOW_HARM = (
    "A flow: people harmed in the period add up over weeks, months and years, and across places."
)
FLOW_EVENTS = "A flow: events of the period add up over time and across places."
WHY = {
    "POC-01": FLOW_HARM,
    "POC-02": FLOW_HARM,
    "POC-03": FLOW_HARM,
    "POC-04": FLOW_HARM,
    "POC-05": FLOW_EVENTS,
    "POC-06": FLOW_EVENTS,
    "POC-07": FLOW_EVENTS,
    "POC-08": (
        "A flow: new displacement in the period adds up over time and across places (people "
        "already displaced are a stock, counted in POC-27)."
    ),
    "POC-09": FLOW_EVENTS,
    "POC-10": (
        "A flow of alerts: the share is recomputed from the alerts of the whole period and "
        "place, never averaged from months or areas."
    ),
    "POC-11": (
        "A flow of alerts: the median is taken over every answered alert of the period and "
        "place, never a median of medians."
    ),
    "POC-12": (
        "A stock: the threats open at the period's end; a quarter is its last day, never the "
        "sum of its months."
    ),
    "POC-13": FLOW_EVENTS,
    "POC-14": (
        "A flow: people reached by the period's activities add up over time and across places."
    ),
    "POC-15": (
        "A stock: the elements' status at the period's end, out of four; months never add up."
    ),
    "POC-16": (
        "A stock: each area's last reading of the period, with committees and functional "
        "ones summed across areas and the share recomputed from them."
    ),
    "POC-17": (
        "A stock: focal points active at each place's last reading, summed across places; a "
        "quarter is its last month, never the sum of its months."
    ),
    "POC-18": (
        "A flow: the year's survey round, the share recomputed from respondents summed across "
        "places and groups."
    ),
    "POC-19": FLOW_EVENTS,
    "POC-20": (
        "A stock: each area's last reading of the period, with members and women members "
        "summed across areas and the share recomputed from them."
    ),
    "POC-21": ("A flow: children received in the period add up over time and across places."),
    "POC-22": "A flow: people trained in the period add up over time and across places.",
    "POC-23": (
        "A flow of decisions: the share is recomputed from the decisions of the whole period "
        "and place."
    ),
    "POC-24": FLOW_EVENTS,
    "POC-25": "A flow: hours broadcast in the period add up over time and across places.",
    "POC-26": ("A flow: participants of the period's projects add up over time and across places."),
    "POC-27": (
        "A stock: people in the sites at each site's last reading of the period, summed across "
        "sites; a quarter is its last month, never the sum of its months."
    ),
}
STOCKS = {"POC-12", "POC-15", "POC-16", "POC-17", "POC-20", "POC-27"}


def forward(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(method="latest").update(method="sum", time_aggregation="stock")
    Indicator.objects.filter(code__in=STOCKS).update(time_aggregation="stock")
    for indicator in Indicator.objects.filter(code__in=WHY):
        why = WHY[indicator.code]
        if why not in indicator.definition:
            indicator.definition = f"{indicator.definition.rstrip()} {why}"
            indicator.save(update_fields=["definition"])


def backward(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(method="sum", time_aggregation="stock").update(method="latest")
    for indicator in Indicator.objects.filter(code__in=WHY):
        suffix = " " + WHY[indicator.code]
        if indicator.definition.endswith(suffix):
            indicator.definition = indicator.definition[: -len(suffix)]
            indicator.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0004_record_dates"),
        ("indicators", "0009_people_reached_definition"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="indicator",
            name="indicators_indicator_method_valid",
        ),
        migrations.AddField(
            model_name="indicator",
            name="time_aggregation",
            field=models.CharField(
                choices=[
                    ("flow", "Flow: everything in the period"),
                    ("stock", "Stock: the last reading of the period"),
                ],
                default="flow",
                help_text=(
                    "A flow takes in everything in the period; a stock each place's last "
                    "reading of it."
                ),
                max_length=10,
                verbose_name="over time",
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="method",
            field=models.CharField(
                choices=[
                    ("sum", "Sum"),
                    ("mean", "Mean"),
                    ("min", "Minimum"),
                    ("max", "Maximum"),
                    ("ratio", "Ratio of numerator to denominator"),
                    ("share_within_standard", "Share within the time standard"),
                    ("median", "Median"),
                ],
                max_length=30,
                verbose_name="combination method",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
