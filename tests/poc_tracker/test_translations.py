"""The French catalogue is complete, compiled from its current text, and in use.

Guards against strings added without a translation (or left fuzzy, which Django ignores),
against a `.po` edited without re-running `compilemessages` (Django reads only the `.mo`), and
against the catalogue silently not being found at run time.
"""

import re
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from commitments.models import Tier
from core.choices import Component, SexAge
from indicators.models import Rollup
from threats.choices import ViolenceType
from threats.models import Threat

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# %(name)s, %s, %d, %02d ... and str.format's {name}; %% is a literal percent sign
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifgeExXrc]|\{[^{}]*\}")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def label(entry: polib.POEntry) -> str:
    return entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}|{entry.msgid}"


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_french_catalogue_has_a_french_header(catalogue: polib.POFile) -> None:
    assert catalogue.metadata["Language"] == "fr"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


def test_french_catalogue_is_complete(catalogue: polib.POFile) -> None:
    assert len(catalogue) > 400  # the catalogue really was read
    assert [label(e) for e in catalogue.untranslated_entries()] == []
    assert [label(e) for e in catalogue.fuzzy_entries()] == []
    assert [label(e) for e in catalogue if not all(s.strip() for s in translations(e))] == []


def test_french_translations_keep_the_placeholders(catalogue: polib.POFile) -> None:
    def placeholders(text: str) -> list[str]:
        return sorted(PLACEHOLDER.findall(text.replace("%%", "")))

    changed = [
        label(e)
        for e in catalogue
        for text in translations(e)
        if placeholders(text) != placeholders(e.msgid_plural or e.msgid)
    ]

    assert changed == []


def test_compiled_catalogue_matches_the_po_file(catalogue: polib.POFile) -> None:
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    compiled_entries = {(e.msgctxt, e.msgid): translations(e) for e in compiled}

    stale = [
        label(e)
        for e in catalogue.translated_entries()
        if compiled_entries.get((e.msgctxt, e.msgid)) != translations(e)
    ]

    assert stale == [], "run `manage.py compilemessages` after editing the .po"


@pytest.mark.parametrize(
    ("text", "french"),
    [
        (lambda: Threat._meta.verbose_name, "menace"),
        (lambda: Threat._meta.verbose_name_plural, "menaces"),
        (lambda: Tier._meta.verbose_name, "niveau POC"),
        (lambda: Rollup._meta.verbose_name, "agrégat"),
        (lambda: SexAge.GIRLS.label, "Filles"),
        (lambda: SexAge.UNKNOWN.label, "Sexe ou âge inconnu"),
        (lambda: Component.JOC.label, "Centre d’opérations conjoint (JOC)"),
        (lambda: ViolenceType.SEXUAL_VIOLENCE.label, "Violences sexuelles liées aux conflits"),
    ],
)
def test_domain_strings_come_out_in_french(text: Callable[[], object], french: str) -> None:
    with translation.override("fr"):
        assert str(text()) == french
    with translation.override("en"):
        assert str(text()) != french
