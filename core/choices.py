"""Choices shared across the domain apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SexAge(models.TextChoices):
    """The sex and age groups every disaggregated figure uses (girls and boys are under 18)."""

    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    GIRLS = "girls", _("Girls")
    BOYS = "boys", _("Boys")
    UNKNOWN = "unknown", _("Sex or age unknown")
    TOTAL = "total", _("Total")


class Component(models.TextChoices):
    """Mission components and partners that own actions, activities and indicators."""

    LEADERSHIP = "leadership", _("Mission leadership")
    POC_UNIT = "poc_unit", _("POC unit")
    MILITARY = "military", _("Military")
    POLICE = "police", _("Police")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil Affairs")
    HUMAN_RIGHTS = "human_rights", _("Human Rights")
    CHILD_PROTECTION = "child_protection", _("Child Protection")
    WOMEN_PROTECTION = "women_protection", _("Women Protection")
    POLITICAL_AFFAIRS = "political_affairs", _("Political Affairs")
    STRATEGIC_COMMUNICATIONS = (
        "strategic_communications",
        _("Public Information / Strategic Communications"),
    )
    JMAC = "jmac", _("Joint Mission Analysis Centre")
    JOC = "joc", _("Joint Operations Centre")
    DDR_CVR = "ddr_cvr", _("DDR / Community Violence Reduction")
    JUSTICE_CORRECTIONS = "justice_corrections", _("Justice and Corrections")
    SSR = "ssr", _("Security Sector Reform")
    PARTNERS = "partners", _("Partners")
