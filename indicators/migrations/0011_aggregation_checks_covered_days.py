"""Check the indicators' method and time aggregation, and give rollups the days they cover."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0010_time_aggregation"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "method__in",
                        ["sum", "mean", "min", "max", "ratio", "share_within_standard", "median"],
                    )
                ),
                name="indicators_indicator_method_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(("time_aggregation__in", ["flow", "stock"])),
                name="indicators_indicator_time_aggregation_valid",
            ),
        ),
        migrations.AddField(
            model_name="rollup",
            name="covered_days",
            field=models.PositiveIntegerField(
                default=0,
                help_text=(
                    "Days of the period gone by and within the mission's records: fewer than "
                    "the period's days for a running or partly recorded period, whose targets "
                    "are pro-rated to them."
                ),
                verbose_name="days covered",
            ),
        ),
    ]
