"""The French catalogue is complete, compiled from its current text, and in use.

Guards against strings added without a translation (or left fuzzy, which Django ignores),
against a `.po` edited without re-running `compilemessages` (Django reads only the `.mo`), and
against the catalogue silently not being found at run time.
"""

import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from commitments.models import Tier
from core.choices import Component, SexAge
from indicators.models import Rollup
from threats.choices import ViolenceType
from threats.models import Threat

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f"}
ESCAPE = re.compile(r"\\(.)")
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$")
# %(name)s, %s, %d, %02d ... and str.format's {name}; %% is a literal percent sign
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifgeExXrc]|\{[^{}]*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


def unquote(literal: str) -> str:
    """The text of one PO string literal, e.g. `"a \\"b\\"\\n"` -> `a "b"` + newline."""
    assert literal.startswith('"') and literal.endswith('"'), literal
    return ESCAPE.sub(lambda m: ESCAPES[m.group(1)], literal[1:-1])


def parse_po(text: str) -> list[Entry]:
    """Entries of a PO file (obsolete `#~` entries left out), with their flags."""
    entries: list[Entry] = []
    entry, target = Entry(), None  # target: (attribute, plural index) continuation lines extend

    def finish() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if target is not None and target[0] == "msgstr":
                finish()  # a comment opens the next entry
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith('"'):
            assert target is not None, f"line {number}: string outside an entry"
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += unquote(line)
            else:
                setattr(entry, name, getattr(entry, name) + unquote(line))
            continue
        match = KEYWORD.match(line)
        assert match, f"line {number}: cannot parse {raw!r}"
        keyword, index, literal = match.groups()
        if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
            finish()
        if keyword.startswith("msgstr"):
            target = ("msgstr", int(index or 0))
            entry.msgstr[target[1]] = unquote(literal)
        else:
            target = (keyword, None)
            setattr(entry, keyword, unquote(literal))
    finish()
    return entries


@cache
def catalogue() -> list[Entry]:
    return parse_po(CATALOGUE.read_text(encoding="utf-8"))


def messages() -> list[Entry]:
    return [entry for entry in catalogue() if not entry.is_header]


def label(entry: Entry) -> str:
    return entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}|{entry.msgid}"


def test_parser_reads_escapes_continuations_plurals_and_flags() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "menu"\nmsgid ""\n"%(n)d \\"file\\""\n'
        'msgid_plural "%(n)d files"\nmsgstr[0] "%(n)d fichier"\nmsgstr[1] ""\n"%(n)d fichiers"\n'
        '#~ msgid "gone"\n#~ msgstr "parti"\n'
    )

    header, entry = parse_po(text)

    assert header.is_header and header.msgstr == {0: "Language: fr\n"}
    assert entry.msgctxt == "menu" and entry.msgid == '%(n)d "file"'
    assert entry.msgid_plural == "%(n)d files"
    assert entry.msgstr == {0: "%(n)d fichier", 1: "%(n)d fichiers"}
    assert entry.flags == {"fuzzy", "python-format"}


def test_french_catalogue_has_a_french_header() -> None:
    header = catalogue()[0]

    assert header.is_header and "fuzzy" not in header.flags
    assert "Language: fr\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);\n" in header.msgstr[0]


def test_french_catalogue_is_complete() -> None:
    entries = messages()
    untranslated = [
        label(e) for e in entries if not e.msgstr or not all(s.strip() for s in e.msgstr.values())
    ]
    fuzzy = [label(e) for e in entries if "fuzzy" in e.flags]
    missing_forms = [label(e) for e in entries if e.msgid_plural and sorted(e.msgstr) != [0, 1]]

    assert len(entries) > 400  # the parser really read the catalogue
    assert untranslated == []
    assert fuzzy == []
    assert missing_forms == []


def test_french_translations_keep_the_placeholders() -> None:
    def placeholders(text: str) -> list[str]:
        return sorted(PLACEHOLDER.findall(text.replace("%%", "")))

    changed = [
        label(e)
        for e in messages()
        for text in e.msgstr.values()
        if placeholders(text) != placeholders(e.msgid_plural or e.msgid)
    ]

    assert changed == []


def test_compiled_catalogue_matches_the_po_file() -> None:
    with COMPILED.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    # for each plural index, a count that selects it under the catalogue's plural rule
    counts = {compiled.plural(n): n for n in reversed(range(200))}

    stale = []
    for e in messages():
        for index, expected in e.msgstr.items():
            if e.msgid_plural is None and e.msgctxt is not None:
                actual = compiled.pgettext(e.msgctxt, e.msgid)
            elif e.msgid_plural is None:
                actual = compiled.gettext(e.msgid)
            elif e.msgctxt is not None:
                actual = compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, counts[index])
            else:
                actual = compiled.ngettext(e.msgid, e.msgid_plural, counts[index])
            if actual != expected:
                stale.append(label(e))

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
