"""The reference frame: A4P priority areas, paragraphs and key elements; POC tiers and phases.

Shipped by data migrations and editable by administrators. Code never reads a label: it keys on
`number` or `code`, which stay put when a label is corrected or translated.
"""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from core.models import TimeStampedModel


class PriorityArea(TimeStampedModel):
    """One of the eight priority areas that group the A4P Declaration's commitments."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("label"), max_length=200)

    # the texts are translated (translation.py): queries read the active language
    objects: ClassVar[MultilingualManager["PriorityArea"]] = MultilingualManager()

    class Meta:
        verbose_name = _("A4P priority area")
        verbose_name_plural = _("A4P priority areas")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.label


class Paragraph(TimeStampedModel):
    """A numbered paragraph of the A4P Declaration; a paragraph can hold several commitments."""

    number = models.PositiveSmallIntegerField(_("paragraph number"), unique=True)
    label = models.CharField(_("short label"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    priority_area = models.ForeignKey(
        PriorityArea,
        on_delete=models.PROTECT,
        related_name="paragraphs",
        verbose_name=_("priority area"),
    )

    # the texts are translated (translation.py): queries read the active language
    objects: ClassVar[MultilingualManager["Paragraph"]] = MultilingualManager()

    class Meta:
        verbose_name = _("A4P paragraph")
        verbose_name_plural = _("A4P paragraphs")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"§{self.number} {self.label}"


class KeyElement(TimeStampedModel):
    """A key element of an A4P paragraph; paragraph 10 on POC has four."""

    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.PROTECT,
        related_name="key_elements",
        verbose_name=_("paragraph"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("label"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    # the texts are translated (translation.py): queries read the active language
    objects: ClassVar[MultilingualManager["KeyElement"]] = MultilingualManager()

    class Meta:
        verbose_name = _("A4P key element")
        verbose_name_plural = _("A4P key elements")
        ordering = ["paragraph__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "number"], name="%(app_label)s_%(class)s_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph.number}.{self.number} {self.label}"


class Tier(TimeStampedModel):
    """A tier of POC: I dialogue and engagement, II physical protection, III protective
    environment. Tiers run at the same time, not in sequence."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    label = models.CharField(_("label"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    # the texts are translated (translation.py): queries read the active language
    objects: ClassVar[MultilingualManager["Tier"]] = MultilingualManager()

    class Meta:
        verbose_name = _("POC tier")
        verbose_name_plural = _("POC tiers")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="%(app_label)s_%(class)s_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Phase(TimeStampedModel):
    """A phase of response: prevention, pre-emption, response, consolidation.

    A phase belongs to a threat or an area, not to a mission: areas can be in different phases.
    """

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    label = models.CharField(_("label"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    # the texts are translated (translation.py): queries read the active language
    objects: ClassVar[MultilingualManager["Phase"]] = MultilingualManager()

    class Meta:
        verbose_name = _("phase of response")
        verbose_name_plural = _("phases of response")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="%(app_label)s_%(class)s_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.label
