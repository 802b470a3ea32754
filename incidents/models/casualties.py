"""Civilian casualties of an incident, by harm and by sex and age."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CasualtyCounts(models.Model):
    """Civilians killed, injured, abducted and survivors of sexual violence, each counted among
    women, men, girls, boys and people whose sex or age is unknown.

    One column per harm and group keeps an incident one row: the JOC entry grid, the exports and
    public conflict-event data all read it that way, and rollups sum the columns in SQL. Every
    column is a PositiveIntegerField, so the database refuses negative counts.
    """

    killed_women = models.PositiveIntegerField(_("killed: women"), default=0)
    killed_men = models.PositiveIntegerField(_("killed: men"), default=0)
    killed_girls = models.PositiveIntegerField(_("killed: girls"), default=0)
    killed_boys = models.PositiveIntegerField(_("killed: boys"), default=0)
    killed_unknown = models.PositiveIntegerField(_("killed: sex or age unknown"), default=0)
    injured_women = models.PositiveIntegerField(_("injured: women"), default=0)
    injured_men = models.PositiveIntegerField(_("injured: men"), default=0)
    injured_girls = models.PositiveIntegerField(_("injured: girls"), default=0)
    injured_boys = models.PositiveIntegerField(_("injured: boys"), default=0)
    injured_unknown = models.PositiveIntegerField(_("injured: sex or age unknown"), default=0)
    abducted_women = models.PositiveIntegerField(_("abducted: women"), default=0)
    abducted_men = models.PositiveIntegerField(_("abducted: men"), default=0)
    abducted_girls = models.PositiveIntegerField(_("abducted: girls"), default=0)
    abducted_boys = models.PositiveIntegerField(_("abducted: boys"), default=0)
    abducted_unknown = models.PositiveIntegerField(_("abducted: sex or age unknown"), default=0)
    sv_women = models.PositiveIntegerField(_("sexual violence survivors: women"), default=0)
    sv_men = models.PositiveIntegerField(_("sexual violence survivors: men"), default=0)
    sv_girls = models.PositiveIntegerField(_("sexual violence survivors: girls"), default=0)
    sv_boys = models.PositiveIntegerField(_("sexual violence survivors: boys"), default=0)
    sv_unknown = models.PositiveIntegerField(
        _("sexual violence survivors: sex or age unknown"), default=0
    )

    class Meta:
        abstract = True

    def casualties(self, harm: str) -> int:
        """Total civilians suffering `harm` (a `Harm` value) in this incident."""
        from ..choices import CASUALTY_GROUPS, casualty_field

        return sum(getattr(self, casualty_field(harm, group)) for group in CASUALTY_GROUPS)
