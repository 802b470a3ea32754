"""Abstract building blocks shared by every domain app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that remembers when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SexAgeCounts(models.Model):
    """Counts of people disaggregated by sex and age: women, men, girls and boys.

    Girls and boys are under 18. Concrete models prefix nothing: the four columns are the
    population a record is about (people reached, population at risk).
    """

    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    girls = models.PositiveIntegerField(_("girls"), default=0)
    boys = models.PositiveIntegerField(_("boys"), default=0)

    class Meta:
        abstract = True

    @property
    def total_people(self) -> int:
        return self.women + self.men + self.girls + self.boys
