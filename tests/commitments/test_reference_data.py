"""The reference data that `migrate` ships: the A4P frame, tiers, phases, grave violations and
the standard indicator catalogue."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db.models import Count, Q

from commitments.models import KeyElement, Paragraph, Phase, PriorityArea, Tier
from incidents.models import GraveViolation
from indicators.choices import CombinationMethod, DataSource, Derivation
from indicators.models import Indicator

pytestmark = pytest.mark.django_db

POC_PARAGRAPH = 10

LOADERS = [
    ("commitments.migrations.0003_reference_data", "load_reference_frame"),
    ("incidents.migrations.0002_grave_violations", "load_grave_violations"),
    # the catalogue as 0002 shipped it names the "latest" method 0010 retired, so 0002's loader
    # runs only at its own point of history; the later catalogue updates run again here
    ("indicators.migrations.0009_people_reached_definition", "forward"),
    ("indicators.migrations.0010_time_aggregation", "forward"),
]
REFERENCE_MODELS = [PriorityArea, Paragraph, KeyElement, Tier, Phase, GraveViolation, Indicator]


def test_priority_areas_are_the_eight_of_a4p() -> None:
    assert list(PriorityArea.objects.values_list("number", flat=True)) == list(range(1, 9))


def test_paragraphs_cover_those_poc_work_touches() -> None:
    numbers = set(Paragraph.objects.values_list("number", flat=True))

    assert {3, 5, 8, 9, 10, 15, 18, 19, 22} <= numbers


def test_paragraphs_have_a_label_summary_and_area() -> None:
    assert not Paragraph.objects.filter(Q(label="") | Q(summary="")).exists()
    assert not Paragraph.objects.filter(priority_area__isnull=True).exists()


def test_paragraph_10_has_exactly_four_key_elements() -> None:
    numbers = KeyElement.objects.filter(paragraph__number=POC_PARAGRAPH).values_list(
        "number", flat=True
    )

    assert list(numbers) == [1, 2, 3, 4]


def test_tiers_are_numbered_one_to_three() -> None:
    assert list(Tier.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_phases_are_numbered_one_to_four() -> None:
    assert list(Phase.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_tiers_and_phases_have_descriptions() -> None:
    assert not Tier.objects.filter(description="").exists()
    assert not Phase.objects.filter(description="").exists()


def test_grave_violations_are_the_six_of_resolution_1612() -> None:
    assert list(GraveViolation.objects.values_list("number", flat=True)) == list(range(1, 7))


def test_indicator_catalogue_has_at_least_twenty_indicators() -> None:
    assert Indicator.objects.count() >= 20


def test_indicator_catalogue_gives_each_key_element_two_indicators() -> None:
    counts = dict(
        KeyElement.objects.filter(paragraph__number=POC_PARAGRAPH)
        .annotate(n=Count("indicators"))
        .values_list("code", "n")
    )

    assert len(counts) == 4
    assert all(n >= 2 for n in counts.values()), counts


def test_indicator_catalogue_gives_each_tier_two_indicators() -> None:
    counts = dict(Tier.objects.annotate(n=Count("indicators")).values_list("number", "n"))

    assert len(counts) == 3
    assert all(n >= 2 for n in counts.values()), counts


def test_indicator_catalogue_has_one_derived_indicator_per_derivation() -> None:
    derivations = list(
        Indicator.objects.filter(source=DataSource.DERIVED).values_list("derivation", flat=True)
    )

    assert sorted(derivations) == sorted(Derivation.values)


def test_indicator_catalogue_mixes_derived_and_manual() -> None:
    derived = Indicator.objects.filter(source=DataSource.DERIVED).count()
    manual = Indicator.objects.filter(source=DataSource.MANUAL).count()

    assert derived >= 10
    assert manual >= 10


def test_indicators_have_definition_data_source_and_component() -> None:
    incomplete = Indicator.objects.filter(
        Q(definition="") | Q(data_source="") | Q(responsible_component="")
    )

    assert list(incomplete.values_list("code", flat=True)) == []


def test_ratio_indicators_name_numerator_and_denominator() -> None:
    ratios = Indicator.objects.filter(method=CombinationMethod.RATIO)
    unlabelled = ratios.filter(Q(numerator_label="") | Q(denominator_label=""))

    assert ratios.exists()
    assert list(unlabelled.values_list("code", flat=True)) == []


def test_indicators_pass_full_clean() -> None:
    for indicator in Indicator.objects.all():
        indicator.full_clean()


def test_reference_data_loaders_are_idempotent() -> None:
    # given the rows the migrations shipped
    before = {model: set(model.objects.values_list("pk", flat=True)) for model in REFERENCE_MODELS}
    definitions = dict(Indicator.objects.values_list("code", "definition"))

    # when every loader runs again
    for module, loader in LOADERS:
        getattr(import_module(module), loader)(apps, None)

    # then the same rows are there, updated in place
    after = {model: set(model.objects.values_list("pk", flat=True)) for model in REFERENCE_MODELS}
    assert after == before
    assert dict(Indicator.objects.values_list("code", "definition")) == definitions
