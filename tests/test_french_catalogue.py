"""The French catalogue is complete, compiled and up to date with the marked strings.

A page is only as French as its catalogue: an untranslated or fuzzy entry shows English
on a French page, a stale ``.mo`` shows yesterday's French, and a string marked in a
template but never extracted shows English whatever the ``.po`` says.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "nominee"
PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(
    catalogue: polib.POFile,
) -> None:
    assert len(catalogue) > 1000
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert [e.msgid for e in catalogue.obsolete_entries()] == []


def test_translations_keep_the_placeholders_of_their_source(catalogue: polib.POFile) -> None:
    """A lost ``%(count)s`` shows a wrong figure; an extra one raises at render time."""
    import re

    placeholder = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_0-9]*\}")
    wrong = []
    for entry in catalogue.translated_entries():
        expected = sorted(placeholder.findall(entry.msgid_plural or entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            found = sorted(placeholder.findall(text))
            # French singular (n <= 1) may spell out the number: "une invitation".
            if found != expected and not (entry.msgid_plural and set(found) <= set(expected)):
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_the_compiled_catalogue_is_the_source_catalogue(catalogue: polib.POFile) -> None:
    compiled = {_key(e): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(MO))}
    source = {
        _key(e): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
        for e in catalogue.translated_entries()
    }
    compiled.pop(("", "", ""), None)  # the header
    compiled = {k: (s, {int(n): v for n, v in p.items()}) for k, (s, p) in compiled.items()}
    assert compiled == source, "run `make messages` to compile the catalogue"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_the_catalogue_holds_every_marked_string_and_no_other(
    catalogue: polib.POFile, tmp_path: Path
) -> None:
    """Extract the marked strings of a copy of the package and compare the message ids."""
    copy = tmp_path / "nominee"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "*.pyc"),
    )
    (copy / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "fr",
            "--no-location",
            "--settings=nominee.settings",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PACKAGE.parent)},
    )
    extracted = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    missing = {_key(e) for e in extracted} - {_key(e) for e in catalogue}
    stale = {_key(e) for e in catalogue} - {_key(e) for e in extracted}
    assert (sorted(missing), sorted(stale)) == ([], []), "run `make messages`, then translate"
