"""The indicator reference: described from the catalogue, rendered, kept current, on the admin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from indicators.choices import CombinationMethod, DataSource, Derivation, TimeAggregation, Unit
from indicators.documentation import describe, render_markdown
from indicators.models import Indicator
from indicators.rollups.facts import STOCK_DERIVATIONS

pytestmark = pytest.mark.django_db

COMMITTED = Path(settings.BASE_DIR) / "docs" / "indicators.md"


def catalogue() -> list[Indicator]:
    return list(Indicator.objects.select_related("key_element__paragraph", "tier"))


def one(**filters: Any) -> Indicator:
    indicator = Indicator.objects.filter(**filters).order_by("code").first()
    assert indicator is not None, f"the catalogue has no indicator with {filters}"
    return indicator


def test_describe_hand_logged_sum_sums_and_names_who_validates() -> None:
    doc = describe(
        one(
            source=DataSource.MANUAL,
            method=CombinationMethod.SUM,
            time_aggregation=TimeAggregation.FLOW,
        )
    )

    assert doc.over_time.startswith("A flow: everything in the period counts")
    assert doc.combination == "Added up across places and, for a flow, over the period."
    assert doc.source.startswith("Logged by hand")
    assert "validated by POC adviser" in doc.source
    assert doc.rules == (
        "Submitted and validated observation values; only validated ones are official.",
    )


def test_describe_ratio_recomputes_from_summed_parts() -> None:
    doc = describe(one(method=CombinationMethod.RATIO, unit=Unit.PERCENTAGE))

    assert doc.combination.startswith(
        "A ratio: recomputed at every level and period from summed numerators and denominators"
    )
    assert doc.combination.endswith("Shown as a percentage.")
    assert doc.numerator and doc.denominator
    assert "every sector, area and locality" in doc.targets


def test_describe_stock_derivation_reads_the_state_at_period_end() -> None:
    doc = describe(one(derivation=Derivation.HIGH_RISK_THREATS))

    assert Derivation.HIGH_RISK_THREATS in STOCK_DERIVATIONS
    assert doc.over_time.startswith("A stock: each place's last reading of the period")
    assert doc.combination.endswith(
        "A record counted in several places counts once in the figure above them."
    )
    assert doc.source == "Derived from records: Open high-risk threats (threats)."
    assert any("assessment in force" in rule for rule in doc.rules)
    # the helper the fact function calls contributes its own rule
    assert any(rule.startswith("Join each record to the days") for rule in doc.rules)
    assert "whole mission's figure only" in doc.targets


def test_describe_derived_count_sums_and_reads_incidents() -> None:
    doc = describe(one(derivation=Derivation.INCIDENTS))

    assert doc.over_time.startswith("A flow")
    assert doc.combination == "Added up across places and, for a flow, over the period."
    assert doc.source == "Derived from records: Incidents recorded (incidents)."
    assert any("only verified ones count in official figures" in rule for rule in doc.rules)


def test_every_definition_says_whether_it_is_a_flow_or_a_stock() -> None:
    for indicator in catalogue():
        kind = "A stock:" if indicator.time_aggregation == TimeAggregation.STOCK else "A flow"
        assert kind in indicator.definition, indicator.code
    stocks = {i.code for i in catalogue() if i.time_aggregation == TimeAggregation.STOCK}
    assert stocks == {"POC-12", "POC-15", "POC-16", "POC-17", "POC-20", "POC-27"}


def test_describe_harm_lists_the_groups_incidents_record() -> None:
    doc = describe(one(derivation=Derivation.CIVILIANS_KILLED))

    assert "sex or age unknown" in doc.disaggregation
    assert (
        "sex or age unknown"
        not in describe(one(derivation=Derivation.PEOPLE_REACHED)).disaggregation
    )


def test_render_markdown_has_a_section_and_contents_line_per_indicator() -> None:
    indicators = catalogue()
    text = render_markdown(indicators)

    assert len(indicators) == 27
    for indicator in indicators:
        assert f"\n## {indicator.code} {indicator.name}\n" in text
        assert f"- [{indicator.code} {indicator.name}](#{indicator.code.lower()})" in text
    assert text == render_markdown(reversed(indicators))


def test_committed_reference_is_current() -> None:
    # the test database holds the migrated catalogue, as the CI check does
    assert COMMITTED.read_text(encoding="utf-8") == render_markdown(catalogue()), (
        "docs/indicators.md is stale: run `make docs` and commit it"
    )


def test_document_indicators_check_fails_on_stale_file_and_passes_on_current(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "indicators.md"
    call_command("document_indicators", output=output, verbosity=0)
    call_command("document_indicators", "--check", output=output)

    output.write_text(output.read_text(encoding="utf-8").replace("POC-01", "POC-00", 1))
    with pytest.raises(CommandError, match="is stale") as stale:
        call_command("document_indicators", "--check", output=output)

    assert stale.value.returncode == 1
    assert "+- [POC-01" in capsys.readouterr().err


def test_admin_change_page_shows_how_it_is_computed(admin_client: Client, settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    indicator = one(derivation=Derivation.HIGH_RISK_THREATS)

    page = admin_client.get(reverse("admin:indicators_indicator_change", args=[indicator.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "How it is computed" in text
    assert "A stock: each place&#x27;s last reading of the period" in text
    assert "assessment in force" in text
