"""Template filters of the threat register's pages."""

from __future__ import annotations

from django import template

from missions.choices import RiskLevel

register = template.Library()


@register.filter
def risk_level_label(value: str) -> str:
    """The label of a risk level value, as `Threat.objects.with_risk_level()` annotates it."""
    return str(RiskLevel(value).label)
