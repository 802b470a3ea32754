"""The reference data in French: every shipped row translated, read in the active language,
in the admin's forms and in the API as the request's Accept-Language asks."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import translation
from modeltranslation.translator import translator
from rest_framework.test import APIClient

from accounts.models import User
from commitments.models import KeyElement, Paragraph, Phase, PriorityArea, Tier
from incidents.models import GraveViolation
from indicators.models import Indicator
from missions.models import Mission

pytestmark = pytest.mark.django_db

REFERENCE_MODELS: list[type[models.Model]] = [
    PriorityArea,
    Paragraph,
    KeyElement,
    Tier,
    Phase,
    GraveViolation,
    Indicator,
]
# the same word in both languages: the French text is there, and rightly equal
SAME_IN_BOTH = {"Protection", "Consolidation"}
FRENCH_LOADERS = [
    ("commitments.migrations.0006_reference_data_fr", "load_french"),
    ("incidents.migrations.0011_grave_violations_fr", "load_french"),
    ("indicators.migrations.0018_catalogue_fr", "load_french"),
]


def _translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(translator.get_options_for_model(model).fields)


def _untranslated(model: type[models.Model]) -> list[str]:
    """The rows' texts with no French, or a French copied from the English."""
    missing = []
    for row in model._default_manager.all():
        for field in _translated_fields(model):
            english, french = getattr(row, f"{field}_en") or "", getattr(row, f"{field}_fr") or ""
            if not english:
                continue  # nothing to translate: an indicator that is not a ratio
            if not french or (french == english and english not in SAME_IN_BOTH):
                missing.append(f"{model.__name__} {row.pk} {field}: {english!r}")
    return missing


@pytest.mark.parametrize("model", REFERENCE_MODELS, ids=lambda model: model.__name__)
def test_every_shipped_text_has_its_french(model: type[models.Model]) -> None:
    assert model._default_manager.exists()
    assert _untranslated(model) == []


@pytest.mark.parametrize("model", REFERENCE_MODELS, ids=lambda model: model.__name__)
def test_english_columns_hold_the_shipped_texts(model: type[models.Model]) -> None:
    # the migration copied each text into its English column: none is left empty
    for field in _translated_fields(model):
        required = not model._meta.get_field(field).blank
        empty = model._default_manager.filter(
            models.Q(**{f"{field}_en__isnull": True}) | models.Q(**{f"{field}_en": ""})
        )
        assert not (required and empty.exists()), field


def test_the_four_key_elements_are_named_in_french() -> None:
    with translation.override("fr"):
        labels = list(
            KeyElement.objects.filter(paragraph__number=10)
            .order_by("number")
            .values_list("label", flat=True)
        )

    assert labels == [
        "Approches adaptées au contexte",
        "Protection des femmes et des enfants",
        "Tous les moyens nécessaires",
        "Communication stratégique et dialogue avec la population locale",
    ]


def test_a_tier_reads_in_the_active_language() -> None:
    tier = Tier.objects.get(number=1)

    with translation.override("fr"):
        assert tier.label == "Protection par le dialogue et la mobilisation"
        assert str(tier) == "Protection par le dialogue et la mobilisation"
        assert tier.description.startswith("Protéger les civils par des moyens politiques")
    with translation.override("en"):
        assert tier.label == "Protection through dialogue and engagement"


def test_phases_and_indicators_read_in_french() -> None:
    with translation.override("fr"):
        phases = list(Phase.objects.order_by("number").values_list("label", flat=True))
        indicator = Indicator.objects.get(code="POC-16")

        assert phases == ["Prévention", "Préemption", "Réponse", "Consolidation"]
        assert indicator.name == "Comités locaux de protection fonctionnels"
        assert indicator.definition.startswith("Part des comités locaux de protection")
        assert indicator.numerator_label == "Comités locaux de protection fonctionnels"


def test_a_missing_french_text_shows_the_english_one() -> None:
    Tier.objects.filter(number=2).update(label_fr="")
    tier = Tier.objects.get(number=2)

    with translation.override("fr"):
        assert tier.label == "Provision of physical protection"


def test_a_lookup_by_text_finds_the_row_in_the_active_language() -> None:
    with translation.override("fr"):
        assert Phase.objects.get(label="Préemption").number == 2
    with translation.override("en"):
        assert Phase.objects.get(label="Pre-emption").number == 2


def test_french_loaders_are_idempotent() -> None:
    before = {model: model._default_manager.count() for model in REFERENCE_MODELS}
    with translation.override("fr"):
        names = dict(Indicator.objects.values_list("code", "name"))

    for module, loader in FRENCH_LOADERS:
        getattr(import_module(module), loader)(apps, None)

    assert {model: model._default_manager.count() for model in REFERENCE_MODELS} == before
    with translation.override("fr"):
        assert dict(Indicator.objects.values_list("code", "name")) == names
    assert Indicator.objects.get(code="POC-01").name_en == "Civilians killed"


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Protection par le dialogue et la mobilisation"),
        ("en", "Protection through dialogue and engagement"),
    ],
)
def test_the_api_answers_in_the_language_asked(
    mission_a: Mission, poc_adviser: User, language: str, expected: str
) -> None:
    response = _api(poc_adviser).get("/api/v1/tiers/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    labels = {row["number"]: row["label"] for row in response.json()["results"]}
    assert labels[1] == expected


def test_the_api_names_an_indicator_in_french(mission_a: Mission, poc_adviser: User) -> None:
    pk = Indicator.objects.get(code="POC-07").pk

    response = _api(poc_adviser).get(f"/api/v1/indicators/{pk}/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert response.json()["name"] == "Violations graves commises contre des enfants"


def test_an_api_write_in_french_sets_the_french_text(administrator: User) -> None:
    indicator = Indicator.objects.get(code="POC-24")

    response = _api(administrator).patch(
        f"/api/v1/indicators/{indicator.pk}/",
        {"name": "Déploiements rapides dans les zones sensibles"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Déploiements rapides dans les zones sensibles"
    indicator.refresh_from_db()
    assert indicator.name_fr == "Déploiements rapides dans les zones sensibles"
    assert indicator.name_en == "Rapid deployments to hotspots"


def test_a_text_written_in_french_alone_still_shows_in_english() -> None:
    Tier.objects.filter(number=3).update(label_en="")
    tier = Tier.objects.get(number=3)

    with translation.override("en"):
        assert tier.label == "Instauration d’un environnement protecteur"


def test_the_admin_edits_both_languages(administrator: User) -> None:
    client = Client()
    client.force_login(administrator)
    tier = Tier.objects.get(number=2)
    url = f"/admin/commitments/tier/{tier.pk}/change/"

    page = client.get(url)
    assert page.status_code == 200
    assert {"label_en", "label_fr", "description_en", "description_fr"} <= set(
        page.context["adminform"].form.fields
    )
    assert "label" not in page.context["adminform"].form.fields

    response = client.post(
        url,
        {
            "number": 2,
            "label_en": tier.label_en,
            "label_fr": "Fourniture d’une protection physique",
            "description_en": tier.description_en,
            "description_fr": tier.description_fr,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    tier.refresh_from_db()
    assert tier.label_fr == "Fourniture d’une protection physique"
    assert tier.label_en == "Provision of physical protection"
