"""Small counts protected: nothing hidden can be worked out from what a report publishes.

Counts of survivors of sexual violence and of grave violations against children (and of the
incidents of those types) from 1 to the threshold less one are hidden ("primary" cells). A
hidden cell could still be recovered by subtracting the published parts of a total from the
total, so every equation the report publishes (a total = its five sex-age groups; a total = its
breakdowns by perpetrator, type or violation) that hides one cell hides a second one too, the
smallest part that is not zero; that may leave another equation with a single hidden cell, so
the rule runs until none is left. The period before is protected the same way, and a change is
hidden whenever either of its two values is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from core.choices import SexAge

from .selectors import GROUPS, SECTION_OF, Figure

COLUMNS = ("value", "previous_value")


def equations(figures: Iterable[Figure]) -> list[tuple[Figure, list[Figure]]]:
    """Every (total, parts) the figures publish: per mission and indicator, the sex-age
    groups and each breakdown's values add up to the total."""
    by_indicator: dict[tuple[int, int], list[Figure]] = defaultdict(list)
    for figure in figures:
        by_indicator[(figure.mission.pk, figure.indicator.pk)].append(figure)
    found = []
    for group in by_indicator.values():
        total = next(
            (f for f in group if not f.breakdown and f.disaggregation == SexAge.TOTAL), None
        )
        if total is None:
            continue
        section = SECTION_OF.get(total.indicator.derivation)
        sex_age = [f for f in group if not f.breakdown and f.disaggregation in GROUPS]
        if sex_age:
            found.append((total, sex_age))
        for prefix in section.breakdowns if section else ():
            parts = [f for f in group if f.breakdown.startswith(prefix)]
            if parts:
                found.append((total, parts))
    return found


def protect(figures: list[Figure], threshold: int) -> None:
    """Hide the small sensitive counts among `figures`, and what would give them away."""
    sensitive_indicators = {(f.mission.pk, f.indicator.pk) for f in figures if f.sensitive}
    relevant = [f for f in figures if (f.mission.pk, f.indicator.pk) in sensitive_indicators]
    linked = equations(relevant)
    for column in COLUMNS:
        for figure in relevant:
            value = getattr(figure, column)
            if figure.sensitive and value is not None and 0 < value < threshold:
                figure.suppressed.add(column)
        _complete(linked, column)
    for figure in relevant:
        if figure.suppressed & set(COLUMNS):
            figure.suppressed.add("change")


def _complete(linked: list[tuple[Figure, list[Figure]]], column: str) -> None:
    changed = True
    while changed:
        changed = False
        for total, parts in linked:
            cells = [total, *parts]
            hidden = [f for f in cells if column in f.suppressed]
            if len(hidden) != 1:
                continue
            candidates = [
                f for f in parts if column not in f.suppressed and getattr(f, column) is not None
            ]
            candidates.sort(key=lambda f: (_amount(f, column) == 0, _amount(f, column)))
            extra = candidates[0] if candidates else total
            if column in extra.suppressed:  # only the total is left, and it is the one hidden
                continue
            extra.suppressed.add(column)
            changed = True


def _amount(figure: Figure, column: str) -> Decimal:
    value: Decimal | None = getattr(figure, column)
    return value if value is not None else Decimal(0)
