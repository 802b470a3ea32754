"""The report's file formats: CSV, HXL-tagged CSV and XLSX, each written from the JSON data.

Every format writes the same table (`reports.tables.COLUMNS`), so a figure reads the same in
each; text that could start a spreadsheet formula is quoted (`core.spreadsheets`).
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.renderers import BaseRenderer

from core.spreadsheets import safe_cell

from .tables import COLUMNS, NUMBERS


def _cell(key: str, value: Any) -> Any:
    if key == "suppressed":
        return " ".join(value)
    if value is None:
        return ""
    return value if key in NUMBERS else safe_cell(value)


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    hashtags = False

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow([str(header) for _key, header, _tag in COLUMNS])
        if self.hashtags:
            writer.writerow([tag for _key, _header, tag in COLUMNS])
        for row in data["figures"]:
            writer.writerow([_cell(key, row[key]) for key, _header, _tag in COLUMNS])
        # a BOM, so that spreadsheet programs open the UTF-8 text as such
        return ("\ufeff" + out.getvalue()).encode("utf-8")


class HXLRenderer(CSVRenderer):
    """CSV with HXL hashtags on the second header row (hxlstandard.org)."""

    format = "hxl"
    hashtags = True


class XLSXRenderer(BaseRenderer):
    """A sheet per section (typed cells, frozen header) and a notes sheet."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        from openpyxl import Workbook

        book = Workbook()
        for sheet in book.worksheets:  # the empty sheet a new workbook has
            book.remove(sheet)
        for code, title in data["sections"].items():
            rows = [row for row in data["figures"] if row["section"] == code]
            sheet = book.create_sheet(title=_sheet_title(title))
            sheet.append([str(header) for _key, header, _tag in COLUMNS])
            sheet.freeze_panes = "A2"
            for row in rows:
                sheet.append([_typed(key, row[key]) for key, _header, _tag in COLUMNS])
        notes = book.create_sheet(title=_("Notes")[:31])
        period = data["period"]
        notes.append([_("Period"), period["label"], period["start"], period["end"]])
        notes.append([_("Generated at"), data["generated_at"]])
        notes.append([_("Figures changed at"), data["figures_changed_at"] or ""])
        notes.append(
            [
                _("Small counts"),
                _(
                    "Counts of survivors of sexual violence and of grave violations against "
                    "children below %(threshold)s are hidden, with the cells that would give "
                    "them away, in the missions marked so below."
                )
                % {"threshold": data["small_count_threshold"]},
            ]
        )
        notes.append([])
        notes.append([_("Mission"), _("Country code"), _("As of"), _("Small counts hidden")])
        for mission in data["missions"]:
            notes.append(
                [
                    mission["acronym"],
                    mission["country_code"],
                    _date(mission["as_of"]),
                    _("yes") if mission["small_counts_hidden"] else _("no"),
                ]
            )
        notes.append([])
        notes.append([_("Indicator code"), _("Indicator"), _("Unit"), _("Definition")])
        for indicator in data["indicators"]:
            notes.append([safe_cell(indicator[k]) for k in ("code", "name", "unit", "definition")])
        if data["attributions"]:
            notes.append([])
            notes.append([_("Sources")])
            for attribution in data["attributions"]:
                notes.append([safe_cell(attribution)])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _sheet_title(title: str) -> str:
    # a sheet's name has at most 31 characters and none of : \ / ? * [ ]
    return "".join(c for c in str(title) if c not in ":\\/?*[]")[:31]


def _date(value: str | None) -> Any:
    return datetime.date.fromisoformat(value) if value else ""


def _typed(key: str, value: Any) -> Any:
    if key in ("period_start", "period_end", "as_of"):
        return _date(value)
    if key == "suppressed":
        return " ".join(value)
    return value if key in NUMBERS else safe_cell(value if value is not None else "")


class PDFRenderer(BaseRenderer):
    """The brief: a page or two per mission (reports.briefs)."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        from .briefs import render_brief

        return render_brief(data)
