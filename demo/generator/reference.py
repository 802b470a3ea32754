"""Read-only look-ups of the reference data the migrations ship.

Rows are found by number or code, never by label, so an administrator's corrections to labels
change nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass

from commitments.models import KeyElement, Phase, Tier
from incidents.models import GraveViolation
from indicators.choices import DataSource
from indicators.models import Indicator

KEY_ELEMENT_PARAGRAPH = 10
TIER_NUMBERS = (1, 2, 3)
PHASE_NUMBERS = (1, 2, 3, 4)


class ReferenceDataMissing(RuntimeError):
    """The reference data the demo needs is not in the database (migrations not applied)."""


@dataclass(frozen=True)
class IndicatorInfo:
    pk: int
    code: str
    source: str
    derivation: str
    unit: str
    method: str
    time_aggregation: str
    polarity: str
    disaggregation: str
    frequency: str

    @property
    def is_manual(self) -> bool:
        return self.source == DataSource.MANUAL


@dataclass(frozen=True)
class Reference:
    tiers: dict[int, int]  # number → pk
    phases: dict[int, int]
    key_elements: tuple[tuple[str, int], ...]  # (code, pk) of paragraph 10, by number
    grave_violations: dict[int, int]
    indicators: tuple[IndicatorInfo, ...]

    @property
    def manual_indicators(self) -> tuple[IndicatorInfo, ...]:
        return tuple(indicator for indicator in self.indicators if indicator.is_manual)


INDICATOR_FIELDS = (
    "pk",
    "code",
    "source",
    "derivation",
    "unit",
    "method",
    "time_aggregation",
    "polarity",
    "disaggregation",
    "frequency",
)


def load_reference() -> Reference:
    """Read the tiers, phases, paragraph-10 key elements, grave violations and indicators."""
    tiers = dict(Tier.objects.filter(number__in=TIER_NUMBERS).values_list("number", "pk"))
    phases = dict(Phase.objects.filter(number__in=PHASE_NUMBERS).values_list("number", "pk"))
    if len(tiers) < len(TIER_NUMBERS) or len(phases) < len(PHASE_NUMBERS):
        raise ReferenceDataMissing("POC tiers 1-3 and phases 1-4 are missing: run migrate first.")
    elements = KeyElement.objects.filter(paragraph__number=KEY_ELEMENT_PARAGRAPH).order_by("number")
    indicators = Indicator.objects.filter(is_active=True).order_by("code")
    return Reference(
        tiers=tiers,
        phases=phases,
        key_elements=tuple(elements.values_list("code", "pk")),
        grave_violations=dict(GraveViolation.objects.values_list("number", "pk")),
        indicators=tuple(IndicatorInfo(*row) for row in indicators.values_list(*INDICATOR_FIELDS)),
    )
