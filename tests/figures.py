"""Read the rollup figure of one bucket in tests."""

import datetime
from decimal import Decimal

from indicators.models import Rollup
from missions.models import Area, Mission


def monthly_figure(
    derivation: str,
    mission: Mission,
    month: datetime.date,
    *,
    area: Area | None = None,
    disaggregation: str = "total",
) -> Decimal | None:
    """Read the official headline value of a derived indicator for a month, at mission level
    unless an area is given; None when the bucket has no rollup row (no record counts in it)."""
    row = Rollup.objects.filter(
        indicator__derivation=derivation,
        mission=mission,
        area=area,
        period="month",
        period_start=month,
        disaggregation=disaggregation,
        breakdown="",
    ).first()
    return None if row is None else row.value


STORED_COLUMNS = (
    "mission",
    "indicator",
    "area_key",
    "period",
    "period_start",
    "disaggregation",
    "breakdown",
    "value",
    "previous_value",
    "target",
    "status",
    "covered_days",
    "expected_reports",
    "received_reports",
    "on_time_reports",
    "validated_reports",
)


def stored_rollups() -> list[tuple]:
    """Every stored rollup's bucket and figures, in a stable order: to compare a refresh with
    a rebuild."""
    return sorted(Rollup.objects.values_list(*STORED_COLUMNS))
