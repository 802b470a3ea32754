"""A date dimension: every day with the week, month, quarter and year it falls in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """One day and the periods that contain it (ISO weeks start on Monday).

    Rollups join source dates to this table instead of doing date arithmetic in SQL, which keeps
    the same statements valid on PostgreSQL and SQLite. `ordinal` numbers the days (as
    `date.toordinal()`), so a period's length or the day before it is plain integer arithmetic.
    """

    day = models.DateField(_("day"), primary_key=True)
    ordinal = models.IntegerField(_("ordinal"), unique=True)
    week_start = models.DateField(_("week start"))
    week_end = models.DateField(_("week end"))
    month_start = models.DateField(_("month start"))
    month_end = models.DateField(_("month end"))
    quarter_start = models.DateField(_("quarter start"))
    quarter_end = models.DateField(_("quarter end"))
    year_start = models.DateField(_("year start"))
    year_end = models.DateField(_("year end"))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return self.day.isoformat()
