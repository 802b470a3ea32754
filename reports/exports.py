"""Write the all-missions, all-years, locality-level export: every rollup row a reader may read.

Streamed from one query in chunks to a CSV file (with HXL hashtags on a second header row for
HXL), so its memory stays flat however many rows it holds. A file that leaves a mission (more
than one mission, HXL, or a reader who may not see restricted records) holds no figure of
sexual violence or grave violations against children: at locality level, across every period,
small counts could be worked out from sums in too many ways to protect cell by cell; the
period report (`/api/v1/reports/poc/`) gives those figures with small counts protected.
"""

from __future__ import annotations

import csv
from typing import IO, TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import safe_cell
from indicators.models import Rollup
from missions.models import Mission

from .selectors import (
    RESTRICTED_BREAKDOWNS,
    RESTRICTED_DERIVATIONS,
    cleared_missions,
    leaves_mission,
)
from .tables import number

if TYPE_CHECKING:
    from accounts.models import User

CHUNK = 5000
COLUMNS = [
    ("mission__acronym", _("Mission"), "#org+acronym"),
    ("mission__host_country_iso3", _("Country code"), "#country+code"),
    ("level", _("Level"), "#meta+level"),
    ("area__sector__name", _("Sector"), "#adm1+name"),
    ("area__aor__name", _("Area of responsibility"), "#adm2+name"),
    ("area__name", _("Area"), "#loc+name"),
    ("area__pcode", _("Area p-code"), "#loc+code"),
    ("period", _("Period"), "#date+period"),
    ("period_start", _("Period start"), "#date+start"),
    ("period_end", _("Period end"), "#date+end"),
    ("indicator__code", _("Indicator code"), "#indicator+code"),
    ("disaggregation", _("Sex and age"), "#meta+sex_age"),
    ("breakdown", _("Breakdown"), "#meta+breakdown"),
    ("value", _("Value"), "#indicator+value+num"),
    ("previous_value", _("Previous period"), "#indicator+value+previous+num"),
    ("change", _("Change"), "#indicator+change+num"),
    ("target", _("Target"), "#indicator+target+num"),
    ("status", _("Status"), "#status+code"),
]
NUMBERS = {"value", "previous_value", "change", "target"}
SENSITIVE = Q(indicator__derivation__in=sorted(RESTRICTED_DERIVATIONS)) | Q(
    breakdown__in=sorted(RESTRICTED_BREAKDOWNS)
)


def export_rows(
    user: User, missions: list[Mission], *, hxl: bool
) -> tuple[QuerySet[Rollup, tuple[Any, ...]], bool]:
    """The rows of the export, as a lazy queryset of tuples, and whether sensitive figures
    are left out."""
    rows = Rollup.objects.filter(mission__in=missions)
    leaves = bool(leaves_mission(missions, cleared_missions(user, missions), hxl=hxl))
    if leaves:
        rows = rows.exclude(SENSITIVE)
    ordered = rows.order_by(
        "mission__acronym", "indicator__code", "level", "area_id", "period", "period_start",
        "disaggregation", "breakdown",
    )  # fmt: skip
    return ordered.values_list(*(key for key, _h, _t in COLUMNS)), leaves


def write_export(rows: QuerySet[Rollup, tuple[Any, ...]], out: IO[str], *, hxl: bool) -> int:
    """Write the rows as CSV into `out`; return how many."""
    writer = csv.writer(out)
    writer.writerow([str(header) for _key, header, _tag in COLUMNS])
    if hxl:
        writer.writerow([tag for _key, _header, tag in COLUMNS])
    written = 0
    for values in rows.iterator(chunk_size=CHUNK):
        writer.writerow(
            [_cell(key, value) for (key, _header, _tag), value in zip(COLUMNS, values, strict=True)]
        )
        written += 1
    return written


def _cell(key: str, value: Any) -> Any:
    if value is None:
        return ""
    if key in NUMBERS:
        return number(value)
    return safe_cell(value.isoformat() if hasattr(value, "isoformat") else value)
