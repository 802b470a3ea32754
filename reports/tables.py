"""The report as data: the JSON document, and the one table every file format writes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .selectors import SECTION_TITLES, Figure, Report

# Each column of the report's table: key, header, HXL hashtag.
COLUMNS = [
    ("mission", _("Mission"), "#org+acronym"),
    ("country_code", _("Country code"), "#country+code"),
    ("period_start", _("Period start"), "#date+start"),
    ("period_end", _("Period end"), "#date+end"),
    ("section", _("Section"), "#meta+section"),
    ("indicator_code", _("Indicator code"), "#indicator+code"),
    ("indicator", _("Indicator"), "#indicator+name"),
    ("disaggregation", _("Sex and age"), "#meta+sex_age"),
    ("breakdown", _("Breakdown"), "#meta+breakdown"),
    ("value", _("Value"), "#indicator+value+num"),
    ("previous_value", _("Previous period"), "#indicator+value+previous+num"),
    ("change", _("Change"), "#indicator+change+num"),
    ("target", _("Target"), "#indicator+target+num"),
    ("status", _("Status"), "#status+code"),
    ("as_of", _("As of"), "#date+reported"),
    ("expected_reports", _("Reports expected"), "#meta+reports+expected+num"),
    ("validated_reports", _("Reports validated"), "#meta+reports+validated+num"),
    ("suppressed", _("Hidden (small counts)"), "#meta+suppressed"),
]
NUMBERS = {"value", "previous_value", "change", "target", "expected_reports", "validated_reports"}


def number(value: Decimal | int | None) -> int | float | None:
    """A figure as JSON writes it: a whole number as an integer, else to four places."""
    if value is None:
        return None
    if isinstance(value, int) or value == value.to_integral_value():
        return int(value)
    return float(round(value, 4))


def figure_row(figure: Figure, report: Report) -> dict[str, Any]:
    return {
        "mission": figure.mission.acronym,
        "country_code": figure.mission.host_country_iso3,
        "period_start": report.period.start.isoformat(),
        "period_end": report.period.end.isoformat(),
        "section": figure.section,
        "indicator_code": figure.indicator.code,
        "indicator": figure.indicator.name,
        "disaggregation": figure.disaggregation,
        "breakdown": figure.breakdown,
        "value": number(figure.shown("value")),
        "previous_value": number(figure.shown("previous_value")),
        "change": number(figure.shown("change")),
        "target": number(figure.target),
        "status": figure.status,
        "as_of": figure.as_of.isoformat() if figure.as_of else None,
        "expected_reports": figure.expected_reports,
        "validated_reports": figure.validated_reports,
        "suppressed": sorted(figure.suppressed),
    }


def report_data(report: Report) -> dict[str, Any]:
    """The report as the JSON format gives it; the other formats write its `figures`."""
    return {
        "period": {
            "label": report.period.label,
            "kind": report.period.kind,
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
        },
        "generated_at": timezone.now().isoformat(),
        "figures_changed_at": report.changed_at.isoformat() if report.changed_at else None,
        "small_count_threshold": settings.REPORT_SMALL_COUNT,
        "missions": [
            {
                "id": mission.pk,
                "acronym": mission.acronym,
                "name": mission.name,
                "country": mission.host_country,
                "country_code": mission.host_country_iso3,
                "as_of": day.isoformat() if (day := report.as_of.get(mission.pk)) else None,
                "small_counts_hidden": mission.pk in report.protected,
            }
            for mission in report.missions
        ],
        "sections": {code: str(title) for code, title in SECTION_TITLES.items()},
        "attributions": report.attributions,
        "indicators": [
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "derivation": indicator.derivation,
                "definition": indicator.definition,
            }
            for indicator in sorted(
                {f.indicator.pk: f.indicator for f in report.figures}.values(),
                key=lambda i: i.code,
            )
        ],
        "figures": [figure_row(figure, report) for figure in report.figures],
    }
