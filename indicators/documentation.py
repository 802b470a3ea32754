"""Describe how each indicator is computed, from its catalogue row and the engine's own tables.

Nothing here restates a rule by hand: the combination follows the indicator's method and
derivation as the rollup engine reads them (`STOCK_DERIVATIONS`, `INTENSIVE`), the records a
derived indicator reads are the docstrings of its fact functions (`rollups/facts.py`), and who
logs and validates hand-logged values comes from the mission policy. Change the engine or a
docstring and `docs/indicators.md` goes stale, which `manage.py document_indicators --check`
(run in CI) and the test suite report.

The sentences are English. Headings are translatable, so the admin shows them in the user's
language, while `render_markdown` renders under English: `docs/indicators.md`, like the rest of
`docs/`, is the English reference.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from types import CodeType, FunctionType
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.choices import Component, SexAge
from incidents.choices import CASUALTY_GROUPS
from missions.choices import MissionRole
from missions.permissions import MISSION_POLICY, Action

from .choices import (
    CombinationMethod,
    DataSource,
    Derivation,
    Disaggregation,
    Frequency,
    Polarity,
    TimeAggregation,
    Unit,
)
from .models import Indicator
from .rollups import completeness, engine, facts

# The sex-age groups each fact function counts in; hand-logged values use every SexAge group.
SEX_AGE_GROUPS: dict[Callable[..., Any], tuple[str, ...]] = {
    facts.harm: CASUALTY_GROUPS,
    facts.people_reached: facts.SexAgeColumns,
}

METHOD_SENTENCES: dict[str, str] = {
    CombinationMethod.SUM: "Added up across places and, for a flow, over the period.",
    CombinationMethod.MEAN: (
        "A mean weighted by what each value averages (its denominator, or 1): across places "
        "and groups the values are pooled, never a mean of means."
    ),
    CombinationMethod.MIN: "The lowest value across places and the period.",
    CombinationMethod.MAX: "The highest value across places and the period.",
    CombinationMethod.MEDIAN: (
        "The median of every value of the places and period, pooled: never a median of medians."
    ),
    CombinationMethod.RATIO: (
        "A ratio: recomputed at every level and period from summed numerators and "
        "denominators, never averaged from the places' ratios."
    ),
    CombinationMethod.SHARE_WITHIN_STANDARD: (
        "A share: recomputed at every level and period from summed numerators and "
        "denominators, never averaged from the places' shares."
    ),
}
TIME_SENTENCES: dict[str, str] = {
    TimeAggregation.FLOW: (
        "A flow: everything in the period counts, so a quarter takes in all its months."
    ),
    TimeAggregation.STOCK: (
        "A stock: each place's last reading of the period (today's, for a period still "
        "running), whatever its state, so a quarter is its last reading, never the sum of its "
        "months; a reading still awaiting validation leaves its place out of the official "
        "figure rather than letting an older one stand in."
    ),
}
DISTINCT_SENTENCE = "A record counted in several places counts once in the figure above them."


@dataclass(frozen=True)
class IndicatorDoc:
    """How one indicator is computed, in plain sentences."""

    code: str
    name: str
    definition: str
    unit: str
    frequency: str
    over_time: str
    combination: str
    source: str
    rules: tuple[str, ...]
    numerator: str
    denominator: str
    targets: str
    empty: str
    completeness: str
    status: str
    disaggregation: str
    key_element: str
    tier: str
    responsible_component: str
    data_source: str

    def rows(self) -> list[tuple[Promise, str]]:
        """The labelled facts shown under the definition, in reading order (blanks left out)."""
        rows: list[tuple[Promise, str]] = [
            (_("Unit"), self.unit),
            (_("Over time"), self.over_time),
            (_("Across places"), self.combination),
            (_("Numerator"), self.numerator),
            (_("Denominator"), self.denominator),
            (_("Disaggregation"), self.disaggregation),
            (_("Source"), self.source),
            (_("Reporting frequency"), self.frequency),
            (_("Targets"), self.targets),
            (_("Periods without records"), self.empty),
            (_("Status"), self.status),
            (_("Completeness"), self.completeness),
            (_("A4P key element"), self.key_element),
            (_("POC tier"), self.tier),
            (_("Responsible component"), self.responsible_component),
            (_("Data source"), self.data_source),
        ]
        return [(label, value) for label, value in rows if value]


def _paragraphs(text: str | None) -> list[str]:
    """Split a docstring into paragraphs, each on one line."""
    if not text:
        return []
    blocks = inspect.cleandoc(text).split("\n\n")
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks]


def _builder(indicator: Indicator) -> Callable[..., Any]:
    return facts.BUILDERS[indicator.derivation] if indicator.derivation else facts.observations


def _rules(builder: Callable[..., Any]) -> tuple[str, ...]:
    """The docstrings of a fact function and of the facts helpers it calls, in that order."""
    paragraphs = _paragraphs(builder.__doc__)
    for name in _names(builder.__code__):
        helper = getattr(facts, name, None)
        if isinstance(helper, FunctionType) and helper is not builder:
            paragraphs.extend(p for p in _paragraphs(helper.__doc__) if p not in paragraphs)
    return tuple(paragraphs)


def _names(code: CodeType) -> list[str]:
    """The global names a function's code uses, including in its comprehensions."""
    names = list(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names.extend(name for name in _names(const) if name not in names)
    return names


def _roles(action: Action) -> str:
    roles = [
        str(MissionRole(role).label) for role, held in MISSION_POLICY.items() if action in held
    ]
    return ", ".join(sorted(roles)) or "nobody"


def _combination(indicator: Indicator) -> str:
    sentence = METHOD_SENTENCES[indicator.method]
    if indicator.derivation in facts.STOCK_DERIVATIONS:
        sentence += " " + DISTINCT_SENTENCE
    if indicator.method in (CombinationMethod.RATIO, CombinationMethod.SHARE_WITHIN_STANDARD):
        if indicator.unit == Unit.PERCENTAGE:
            sentence += " Shown as a percentage."
    return sentence


def _source(indicator: Indicator) -> str:
    frequency = str(Frequency(indicator.frequency).label).lower()
    if indicator.source == DataSource.MANUAL:
        return (
            f"Logged by hand, {frequency}, by {_roles(Action.LOG)}; a value counts in the "
            f"official figure once validated by {_roles(Action.VALIDATE)}."
        )
    return f"Derived from records: {Derivation(indicator.derivation).label}."


def _targets(indicator: Indicator) -> str:
    if engine.is_intensive(indicator):
        return "A mission target applies unchanged to every sector, area and locality."
    return "A mission target is compared with the whole mission's figure only."


def _empty(indicator: Indicator) -> str:
    if engine.counts_zero(indicator):
        return (
            "0, with its status and change, for the whole mission and each sector, from the "
            'day the mission\'s records are all in (its "figures from" date); no figure '
            "before it."
        )
    if indicator.source == DataSource.MANUAL:
        return "No figure: a missing report is not a zero."
    return "No figure where no record is counted."


def _completeness(indicator: Indicator) -> str:
    if indicator.source != DataSource.MANUAL:
        return ""
    return " ".join(_paragraphs(completeness.__doc__)[1:])


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _status(indicator: Indicator) -> str:
    if indicator.polarity == Polarity.NEUTRAL:
        return "A context figure (neither higher nor lower is better): no target status."
    margin = _percent(indicator.at_risk_margin)
    if indicator.polarity == Polarity.HIGHER_IS_BETTER:
        return (
            f"Higher is better: on track at or above the target, at risk up to {margin} "
            "below it, off track further below."
        )
    return (
        f"Lower is better: on track at or below the target, at risk up to {margin} above it, "
        "off track further above."
    )


def _disaggregation(indicator: Indicator, builder: Callable[..., Any]) -> str:
    if indicator.disaggregation == Disaggregation.NONE:
        return "None: one figure per area and period."
    groups = SEX_AGE_GROUPS.get(builder, tuple(g for g in SexAge.values if g != SexAge.TOTAL))
    labels = ", ".join(str(SexAge(group).label).lower() for group in groups)
    return f"By sex and age ({labels}); the total combines every group by the same rule."


def describe(indicator: Indicator) -> IndicatorDoc:
    """Describe how `indicator` is computed, from its catalogue row and the engine's tables."""
    builder = _builder(indicator)
    return IndicatorDoc(
        code=indicator.code,
        name=indicator.name,
        definition=indicator.definition,
        unit=str(Unit(indicator.unit).label),
        frequency=str(Frequency(indicator.frequency).label),
        over_time=TIME_SENTENCES[indicator.time_aggregation],
        combination=_combination(indicator),
        source=_source(indicator),
        rules=_rules(builder),
        numerator=indicator.numerator_label,
        denominator=indicator.denominator_label,
        targets=_targets(indicator),
        empty=_empty(indicator),
        completeness=_completeness(indicator),
        status=_status(indicator),
        disaggregation=_disaggregation(indicator, builder),
        key_element=str(indicator.key_element) if indicator.key_element else "",
        tier=str(indicator.tier) if indicator.tier else "",
        responsible_component=str(Component(indicator.responsible_component).label),
        data_source=indicator.data_source,
    )


def _anchor(doc: IndicatorDoc) -> str:
    return doc.code.lower()


def render_markdown(indicators: Iterable[Indicator]) -> str:
    """Render the English reference: a table of contents and one section per indicator.

    Sections follow the codes' order and nothing depends on the time, so the same catalogue
    always gives the same text.
    """
    with translation.override("en"):
        target_rule = _paragraphs(engine._target.__doc__)[:2]
        docs = sorted((describe(indicator) for indicator in indicators), key=lambda d: d.code)
        lines = [
            "# Indicators: how each figure is computed",
            "",
            "<!-- Generated by `python manage.py document_indicators` from the indicator "
            "catalogue and the rollup engine; do not edit by hand. -->",
            "",
            "Every figure is computed by the rollup engine (`indicators/rollups/`) from the "
            "records below; official figures count validated observations and verified "
            "incidents only, and the provisional figure beside them counts everything "
            "submitted.",
            "",
            *(f"Targets, as the engine matches them to periods: {rule}" for rule in target_rule),
            "",
            "## Contents",
            "",
        ]
        lines += [f"- [{doc.code} {doc.name}](#{_anchor(doc)})" for doc in docs]
        for doc in docs:
            lines += ["", f'<a id="{_anchor(doc)}"></a>', "", f"## {doc.code} {doc.name}", ""]
            lines += [doc.definition.strip(), ""]
            lines += [f"- **{label}:** {value}" for label, value in doc.rows()]
            if doc.rules:
                lines += ["", f"**{_('Records and rules')}**", ""]
                for rule in doc.rules:
                    lines += [rule, ""]
                lines.pop()
        return "\n".join(lines) + "\n"
