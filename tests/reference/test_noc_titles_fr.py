"""French NOC titles (issue 13, decision 74): the shipped unofficial translation, the
import of Statistics Canada's French CNP 2021 file, and the one function that chooses the
title a reader sees."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from nominee.audit.models import AuditEvent
from nominee.core.errors import ValidationFailed
from nominee.reference.models import Noc, noc_title
from nominee.reference.queries import noc_titles
from nominee.reference.services import (
    UNOFFICIAL_TITLES_FR,
    UNOFFICIAL_TITLES_FR_SOURCE,
    data_file,
    import_noc_titles_fr,
    load_reference_data,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "Niveau",
    "Structure hiérarchique",
    "Code - CNP 2021 V1.0",
    "Titre de la classe",
    "Définition de la classe",
]
# The levels above the unit groups, as StatCan's file has them before its level-5 rows.
UPPER_ROWS = [
    ["1", "Grande catégorie professionnelle", "2", "Sciences naturelles et appliquées", "…"],
    ["2", "Grand groupe", "21", "Professionnels des sciences naturelles", "…"],
    ["3", "Sous-grand groupe", "212", "Professionnels en informatique", "…"],
    ["4", "Groupe intermédiaire", "2123", "Professionnels en informatique", "…"],
]


def _official(code: str) -> str:
    return f"Titre officiel {code} \N{EN DASH} génie"  # a dash outside Latin-1


def _statcan_file(codes: list[str] | None = None, *, extra: Sequence[list[str]] = ()) -> str:
    """A French classification file in StatCan's layout (definitions with a comma and a
    line break, as the real one has)."""
    codes = codes if codes is not None else list(Noc.objects.values_list("code", flat=True))
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(UPPER_ROWS)
    for code in codes:
        writer.writerow(
            ["5", "Groupe de base", code, _official(code), "Ils conçoivent,\nécrivent…"]
        )
    writer.writerows(extra)
    return out.getvalue()


# ---- the shipped unofficial translation --------------------------------------------------


def test_every_unit_group_has_an_unofficial_french_title_after_migrate() -> None:
    shipped = list(csv.DictReader(io.StringIO(data_file(UNOFFICIAL_TITLES_FR))))
    assert len(shipped) == 516
    assert not Noc.objects.filter(title_fr="").exists()
    assert not Noc.objects.filter(title_fr_official=True).exists()
    noc = Noc.objects.get(code="21231")
    assert noc.title_fr == "Ingénieurs/ingénieures et concepteurs/conceptrices en logiciel"
    assert noc.title_fr_source == UNOFFICIAL_TITLES_FR_SOURCE


def test_migrate_fills_the_french_titles_of_an_upgraded_database() -> None:
    # A database of before issue 13 has its NOCs and no French title: the post-migrate
    # load gives them the shipped one without touching the rest.
    Noc.objects.update(title_fr="", title_fr_source="")
    call_command("migrate", "reference", verbosity=0)
    assert not Noc.objects.filter(title_fr="").exists()
    assert Noc.objects.get(code="00010").title_fr == "Membres des corps législatifs"


# ---- the one choice of title -------------------------------------------------------------


def test_the_title_follows_the_active_language_and_marks_an_unofficial_translation() -> None:
    with translation.override("en"):
        assert noc_title("Civil engineers", "Ingénieurs civils", False) == "Civil engineers"
    with translation.override("fr"):
        assert (
            noc_title("Civil engineers", "Ingénieurs civils", False)
            == "Ingénieurs civils (traduction non officielle)"
        )
        assert noc_title("Civil engineers", "Ingénieurs civils", True) == "Ingénieurs civils"
        # No French title yet: the English one, not an empty line.
        assert noc_title("Civil engineers", "", False) == "Civil engineers"
    assert noc_title("Civil engineers", "Ingénieurs civils", True, language="fr-ca") == (
        "Ingénieurs civils"
    )
    assert noc_title("Civil engineers", "Ingénieurs civils", True, language="en") == (
        "Civil engineers"
    )


def test_pages_reads_of_titles_follow_the_active_language() -> None:
    noc = Noc.objects.get(code="21300")
    with translation.override("fr"):
        assert (
            noc.display_title == "Ingénieurs civils/ingénieures civiles (traduction non officielle)"
        )
        assert noc_titles(["21300", "99999"]) == [
            ("21300", "Ingénieurs civils/ingénieures civiles (traduction non officielle)"),
            ("99999", ""),
        ]
        # The API keeps its English titles whatever the language.
        assert noc_titles(["21300"], language="en") == [("21300", "Civil engineers")]
    with translation.override("en"):
        assert noc.display_title == "Civil engineers"


def test_the_occupation_search_finds_a_french_title() -> None:
    from nominee.employers.queries import resolve_noc, search_nocs

    assert "21300" in [n.code for n in search_nocs("ingénieures civiles")]
    found, _options = resolve_noc("Ingénieurs civils/ingénieures civiles")
    assert found is not None
    assert found.code == "21300"


# ---- the import of Statistics Canada's file -----------------------------------------------


def test_a_good_file_makes_every_title_official_and_is_audited(tmp_path: Path) -> None:
    file = tmp_path / "cnp-2021-v1.0-fr.csv"
    file.write_bytes(_statcan_file().encode("utf-8-sig"))  # with its byte-order mark
    out = io.StringIO()
    call_command("reference", "import-noc-titles-fr", str(file), stdout=out)
    assert "imported 516 official French titles (4 rows of other levels skipped" in out.getvalue()
    assert Noc.objects.filter(title_fr_official=True).count() == 516
    noc = Noc.objects.get(code="21231")
    assert (noc.title_fr, noc.title_fr_source) == (_official("21231"), file.name)
    with translation.override("fr"):
        assert noc.display_title == _official("21231")  # no mark: it is StatCan's
    event = AuditEvent.objects.get(action="reference.noc_titles_fr_imported")
    assert event.data["imported"] == 516
    assert event.data["source"] == file.name
    assert len(event.data["sha256"]) == 64
    # Loading the shipped files again keeps the official titles.
    load_reference_data()
    assert Noc.objects.get(code="21231").title_fr == _official("21231")


def test_a_latin_1_file_is_read(tmp_path: Path) -> None:
    file = tmp_path / "cnp-latin1.csv"
    file.write_bytes(_statcan_file().encode("latin-1", errors="replace"))
    result = import_noc_titles_fr(file.read_bytes(), source=file.name)
    assert result.encoding == "cp1252"
    assert Noc.objects.get(code="21300").title_fr == "Titre officiel 21300 ? génie"
    # Accented letters survive the decoding.
    text = _statcan_file(extra=[["5", "Groupe de base", "00011", "Cadres supérieurs", ""]])
    with pytest.raises(ValidationFailed, match="nothing was imported") as caught:
        import_noc_titles_fr(text.encode("latin-1", errors="replace"), source="x")
    assert caught.value.fields["file"] == [
        "row 522: unit group 00011 is given a second, different title"
    ]
    text = _statcan_file([c for c in Noc.objects.values_list("code", flat=True) if c != "00011"])
    text += '"5","Groupe de base","00011","Cadres supérieurs",""\r\n'
    import_noc_titles_fr(text.encode("latin-1", errors="replace"), source="x")
    assert Noc.objects.get(code="00011").title_fr == "Cadres supérieurs"


def test_a_file_that_is_not_the_french_classification_is_refused_with_exit_2(
    tmp_path: Path,
) -> None:
    file = tmp_path / "wages.csv"
    file.write_text("NOC_CNP,prov,Median_Wage_Salaire_Median\nNOC_21231,ON,50\n", "utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("reference", "import-noc-titles-fr", str(file))
    assert caught.value.returncode == 2
    assert "not Statistics Canada's French NOC 2021 classification" in str(caught.value)
    assert "missing column(s): niveau, titre de la classe, Code - CNP 2021 V1.0" in str(
        caught.value
    )
    assert not Noc.objects.filter(title_fr_official=True).exists()
    assert not AuditEvent.objects.filter(action="reference.noc_titles_fr_imported").exists()


def test_a_bad_line_refuses_the_whole_file_naming_each_line() -> None:
    before = dict(Noc.objects.values_list("code", "title_fr"))
    bad = _statcan_file(
        extra=[
            ["5", "Groupe de base", "ABCDE", "Titre", ""],
            ["5", "Groupe de base", "99999", "Profession inconnue", ""],
            ["5", "Groupe de base", "21232", "", ""],
        ]
    )
    with pytest.raises(ValidationFailed) as caught:
        import_noc_titles_fr(bad.encode("utf-8"), source="bad.csv")
    problems = caught.value.fields["file"]
    assert any("'ABCDE' is not a 5-digit unit group code" in p for p in problems)
    assert any("unit group 99999 is not a NOC 2021 unit group" in p for p in problems)
    assert any("unit group 21232 has no title" in p for p in problems)
    assert "nothing was imported" in caught.value.message
    assert dict(Noc.objects.values_list("code", "title_fr")) == before


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("reference", "import-noc-titles-fr", str(tmp_path / "nope.csv"))
    assert caught.value.returncode == 2


def test_a_partial_file_is_refused_unless_asked_for(tmp_path: Path) -> None:
    file = tmp_path / "part.csv"
    file.write_text(_statcan_file(["21231", "10"]), "utf-8")  # "10": 00010 shortened
    with pytest.raises(CommandError) as caught:
        call_command("reference", "import-noc-titles-fr", str(file))
    assert caught.value.returncode == 2
    assert "the file lacks 514 of the 516 unit groups" in str(caught.value)
    assert not Noc.objects.filter(title_fr_official=True).exists()

    out = io.StringIO()
    call_command("reference", "import-noc-titles-fr", str(file), "--partial", stdout=out)
    assert "imported 2 official French titles" in out.getvalue()
    assert "514 keep their title" in out.getvalue()
    official = set(Noc.objects.filter(title_fr_official=True).values_list("code", flat=True))
    assert official == {"21231", "00010"}
    with translation.override("fr"):
        assert Noc.objects.get(code="00010").display_title == _official("10")
        assert Noc.objects.get(code="21300").display_title.endswith("(traduction non officielle)")


def test_a_file_without_unit_groups_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="nothing was imported") as caught:
        import_noc_titles_fr(_statcan_file([]).encode("utf-8"), source="x", partial=True)
    assert caught.value.fields["file"] == ["the file has no unit group (level 5) rows"]
