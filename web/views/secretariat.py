"""`/secretariat/`: every mission the user may read side by side for a period, from the POC
report's own selectors, with the report's downloads.

Open to whoever may read a mission, as the report's API is: the Secretariat and administrators
see every mission, mission staff their own; a user who may read none is refused.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.choices import SexAge
from indicators.choices import PeriodKind, TargetStatus
from missions.permissions import can_view_somewhere
from reports.periods import Period, parse_period, period_containing
from reports.selectors import SECTION_TITLES, Figure, Report, poc_report, report_missions

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

FORMATS = [("csv", "CSV"), ("hxl", "HXL"), ("xlsx", "XLSX"), ("pdf", "PDF")]


class PeriodForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A year (2026), a quarter (2026-Q3), a month (2026-09) or a week (2026-W05)."),
    )

    def clean_period(self) -> Period:
        try:
            return parse_period(self.cleaned_data["period"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


@dataclass(frozen=True)
class Cell:
    figure: Figure
    status_label: str


@dataclass
class Row:
    """One headline figure across the missions: a cell per mission, None where it has none."""

    section: str
    code: str
    name: str
    cells: list[Cell | None]

    @property
    def section_title(self) -> str:
        return str(SECTION_TITLES[self.section])


def side_by_side(report: Report) -> list[Row]:
    """The report's headline figures (totals, no breakdown), one row per indicator, in the
    report's section order."""
    columns = {mission.pk: index for index, mission in enumerate(report.missions)}
    rows: dict[tuple[str, str], Row] = {}
    for figure in report.figures:
        if figure.breakdown or figure.disaggregation != SexAge.TOTAL:
            continue
        key = (figure.section, figure.indicator.code)
        if key not in rows:
            cells: list[Cell | None] = [None] * len(columns)
            rows[key] = Row(figure.section, figure.indicator.code, figure.indicator.name, cells)
        status = str(TargetStatus(figure.status).label) if figure.status else ""
        rows[key].cells[columns[figure.mission.pk]] = Cell(figure, status)
    order = list(SECTION_TITLES)
    return sorted(rows.values(), key=lambda row: (order.index(row.section), row.code))


def last_month(today: datetime.date) -> Period:
    return period_containing(PeriodKind.MONTH, today.replace(day=1) - datetime.timedelta(days=1))


class SecretariatView(LoginRequiredMixin, TemplateView):
    template_name = "web/secretariat/secretariat.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not can_view_somewhere(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        default = last_month(timezone.localdate())
        form = PeriodForm(self.request.GET or {"period": default.label})
        context = super().get_context_data(form=form, **kwargs)
        if not form.is_valid():
            return context
        period: Period = form.cleaned_data["period"]
        missions = report_missions(self.request.user)
        report = poc_report(user=self.request.user, period=period, missions=missions)
        api = reverse("api:report-poc")
        downloads = [
            (label, f"{api}?{urlencode({'period': period.label, 'format': fmt})}")
            for fmt, label in FORMATS
        ]
        return context | {"report": report, "rows": side_by_side(report), "downloads": downloads}


urlpatterns = [path("", SecretariatView.as_view(), name="secretariat")]
