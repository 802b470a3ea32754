"""The PDF brief per mission: headline figures with their trend, the risk matrix, the four
elements, on one or two pages, rendered by WeasyPrint with the fonts shipped in reports/fonts.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from django.db.models import Count
from django.template.loader import render_to_string

from commitments.models import KeyElement
from core.choices import SexAge
from indicators.choices import Derivation as D
from indicators.choices import TargetStatus
from missions.models import Mission
from threats.models import Threat

FONTS = Path(__file__).resolve().parent / "fonts"
# The headline figures, in the order the brief shows them.
HEADLINES = (
    D.CIVILIANS_KILLED,
    D.CIVILIANS_INJURED,
    D.CIVILIANS_ABDUCTED,
    D.SV_SURVIVORS,
    D.INCIDENTS,
    D.INCIDENTS_HOST_STATE,
    D.GRAVE_VIOLATIONS,
    D.PEOPLE_DISPLACED,
    D.ALERTS_RECEIVED,
    D.ALERTS_WITHIN_STANDARD,
    D.ALERT_MEDIAN_RESPONSE,
    D.HIGH_RISK_THREATS,
    D.ACTIVITIES,
    D.PEOPLE_REACHED,
)
SCALE = range(5, 0, -1)


def risk_matrices(mission_ids: list[int]) -> dict[int, list[tuple[int, list[tuple[int, str]]]]]:
    """Open threats by likelihood (rows, 5 at the top) and impact (columns), counted in SQL,
    each cell with the risk level its score has under the mission's bands."""
    counts = (
        Threat.objects.open()
        .filter(mission_id__in=mission_ids)
        .values("mission_id", "likelihood", "impact")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)
    for row in counts:
        cells[row["mission_id"]][(row["likelihood"], row["impact"])] = row["n"]
    missions = Mission.objects.in_bulk(mission_ids)
    return {
        pk: [
            (
                likelihood,
                [
                    (
                        cells[pk].get((likelihood, impact), 0),
                        missions[pk].risk_level(likelihood * impact).value,
                    )
                    for impact in range(1, 6)
                ],
            )
            for likelihood in SCALE
        ]
        for pk in mission_ids
    }


def _labelled(figure: dict[str, Any]) -> dict[str, Any]:
    return {
        **figure,
        "trend": _trend(figure["change"]),
        "status_label": TargetStatus(figure["status"]).label,
        "group_label": SexAge(figure["disaggregation"]).label,
    }


def _trend(change: Any) -> str:
    if change is None:
        return ""
    return "▲" if change > 0 else "▼" if change < 0 else "="


def brief_context(data: dict[str, Any]) -> dict[str, Any]:
    """What the brief template shows of each mission, from the report's own data."""
    derivation = {i["code"]: i["derivation"] for i in data["indicators"]}
    elements = dict(KeyElement.objects.values_list("code", "label"))
    matrices = risk_matrices([m["id"] for m in data["missions"]])
    missions = []
    for mission in data["missions"]:
        rows = [f for f in data["figures"] if f["mission"] == mission["acronym"]]
        totals = {
            derivation[f["indicator_code"]]: f
            for f in rows
            if not f["breakdown"] and f["disaggregation"] == "total"
        }
        headlines = [_labelled(totals[d]) for d in HEADLINES if d in totals]
        by_group = [
            _labelled(f)
            for f in rows
            if derivation[f["indicator_code"]] == D.CIVILIANS_KILLED
            and not f["breakdown"]
            and f["disaggregation"] != "total"
        ]
        key_elements = [
            {
                **_labelled(f),
                "label": elements.get(f["breakdown"].removeprefix("element:"), f["breakdown"]),
            }
            for f in rows
            if f["breakdown"].startswith("element:")
        ]
        missions.append(
            {
                **mission,
                "headlines": headlines,
                "killed_by_group": by_group,
                "key_elements": key_elements,
                "matrix": matrices[mission["id"]],
                "off_target": [f for f in rows if f["section"] == "off_target"],
            }
        )
    return {**data, "briefs": missions, "fonts": FONTS.as_uri()}


def render_brief(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/poc_brief.html", brief_context(data))
    pdf: bytes = HTML(string=html, base_url=str(FONTS)).write_pdf()
    return pdf
