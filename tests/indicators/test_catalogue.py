"""The shipped catalogue describes what its figures can hold."""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.db.models import Model

from core.choices import SexAge
from indicators.choices import DataSource
from indicators.models import Indicator
from indicators.rollups.facts import FactScope, fact_sql

pytestmark = pytest.mark.django_db


def _sources(indicator: Indicator) -> list[type[Model]]:
    """The models whose tables the indicator's facts read."""
    sql, _ = fact_sql(indicator, FactScope(as_of=datetime.date(2026, 1, 1)))
    tables = set(re.findall(r"\b\w+\b", sql))
    return [m for m in apps.get_models() if m._meta.db_table in tables]


def _records_unknown(model: type[Model]) -> bool:
    """Whether the model has a column for people of unknown sex or age (killed_unknown …)."""
    return any(f.name.endswith(SexAge.UNKNOWN) for f in model._meta.concrete_fields)


def test_indicator_definition_names_an_unknown_group_only_where_its_records_hold_one() -> None:
    derived = list(Indicator.objects.filter(source=DataSource.DERIVED).order_by("code"))
    # the rule bites both ways in the catalogue: records with the group and records without it
    without = [i for i in derived if not any(_records_unknown(m) for m in _sources(i))]
    assert without and len(without) < len(derived)
    for indicator in without:
        sources = [m.__name__ for m in _sources(indicator)]
        assert SexAge.UNKNOWN not in indicator.definition.lower(), (indicator.code, sources)
