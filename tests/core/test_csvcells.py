"""CSV injection (Decision 79): the helper, and that no CSV is written without it."""

from __future__ import annotations

import ast
import csv
import inspect
import io
from decimal import Decimal
from pathlib import Path

import pytest

import nominee
from nominee.core import csvcells

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "@SUM(1)", "-2+3", "+1+1", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_like_text_cell_gets_an_apostrophe(value: str) -> None:
    assert csvcells.cell(value) == "'" + value
    assert csvcells.restore(csvcells.cell(value)) == value


@pytest.mark.parametrize("value", [-5, -2.5, Decimal("-3.10"), 0, 1134])
def test_numbers_stay_numbers(value: object) -> None:
    assert csvcells.cell(value) is value


@pytest.mark.parametrize("text", ["-12", "+3.5", "-0.25", "1134", ""])
def test_text_that_is_a_plain_number_is_left_as_it_is(text: str) -> None:
    assert csvcells.cell(text) == text


@pytest.mark.parametrize("text", ["Bob's Bakery", "2025-09-03", "'quoted", "a=b", "foreign-worker"])
def test_ordinary_text_is_left_as_it_is(text: str) -> None:
    assert csvcells.cell(text) == text
    assert csvcells.restore(text) == text


def test_an_apostrophe_before_a_sign_is_doubled_so_that_it_reads_back_exactly() -> None:
    assert csvcells.cell("'=1") == "''=1"
    assert csvcells.restore("''=1") == "'=1"


def test_none_is_an_empty_cell_and_the_writer_neutralises_every_cell() -> None:
    out = io.StringIO()
    csvcells.writer(out, lineterminator="\n").writerows([["=1", None, -4, "ok"]])
    assert out.getvalue() == "'=1,,-4,ok\n"
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1", "", "-4", "ok"]


def test_no_csv_is_written_but_through_the_helper() -> None:
    root = Path(inspect.getfile(nominee)).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "csvcells.py" and path.parent.name == "core":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("writer", "DictWriter")
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []
