"""A figure's status: on track, at risk or off track against its target, following the
indicator's polarity; or incomplete, when too few of its reports are validated to judge it.

Each is an SQL expression over a rollup row's columns (value, target, expected_reports,
validated_reports), for the insert that computes a figure and the update that recounts its
reports alike.
"""

from __future__ import annotations

from typing import Any

from ..choices import Polarity, TargetStatus
from ..models import Indicator


def figure_status(indicator: Indicator, threshold: str, params: list[Any]) -> str:
    """Incomplete below the mission's `threshold` (a percentage) of validated reports, else
    the status against the target."""
    judged = target_status(indicator, params)
    return f"""
        CASE WHEN expected_reports > 0 AND validated_reports * 100 < expected_reports * {threshold}
             THEN '{TargetStatus.INCOMPLETE}' ELSE {judged} END"""


def target_status(indicator: Indicator, params: list[Any]) -> str:
    """On track / at risk / off track, following the indicator's polarity."""
    if indicator.polarity == Polarity.NEUTRAL:
        return f"'{TargetStatus.NO_TARGET}'"
    margin = float(indicator.at_risk_margin) / 100
    if indicator.polarity == Polarity.HIGHER_IS_BETTER:
        ok, near, params_ = "value >= target", "value >= target * (1 - %s)", [margin]
    else:
        ok, near, params_ = "value <= target", "value <= target * (1 + %s)", [margin]
    params.extend(params_)
    return f"""
        CASE WHEN target IS NULL OR value IS NULL THEN '{TargetStatus.NO_TARGET}'
             WHEN {ok} THEN '{TargetStatus.ON_TRACK}'
             WHEN {near} THEN '{TargetStatus.AT_RISK}'
             ELSE '{TargetStatus.OFF_TRACK}' END"""
