"""The stream registry in the policy document: one list, validated, with dates."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from typing import Any

import pytest

from nominee.scoring import STREAMS, stream_codes, stream_info, stream_registry
from nominee.scoring.grids import load_grids
from nominee.scoring.policy import load_policies, load_registry, policy_document


def shipped() -> dict[str, Any]:
    text = resources.files("nominee.scoring").joinpath("data").joinpath("policy.json")
    document: dict[str, Any] = json.loads(text.read_text("utf-8"))
    return document


def test_the_shipped_registry_holds_the_five_streams_of_domain_2_and_the_2026_one() -> None:
    assert STREAMS == stream_codes() == tuple(s.code for s in stream_registry())
    assert stream_codes(job_offer=True) == (*STREAMS[:3], "workforce-priority")
    assert [stream_info(c).id_prefix for c in STREAMS] == ["FW", "IS", "IDS", "MS", "PHD", "WP"]
    assert [stream_info(c).education_required for c in STREAMS] == [
        False,
        True,
        False,
        True,
        True,
        False,
    ]
    assert stream_codes(on=date(2025, 9, 3)) == STREAMS[:5]
    # DOMAIN §9: the five close on 2026-05-30, the new one opens on 2026-06-26.
    assert stream_codes(on=date(2026, 5, 29)) == STREAMS[:5]
    assert stream_codes(on=date(2026, 5, 30)) == ()
    assert stream_codes(on=date(2026, 6, 25)) == ()
    assert stream_codes(on=date(2026, 6, 26)) == ("workforce-priority",)


@pytest.mark.parametrize(
    ("breakage", "words"),
    [
        (lambda d: d["streams"].append(dict(d["streams"][0])), "share a code"),
        (lambda d: d["streams"][1].update(id_prefix="FW"), "share a id_prefix"),
        (lambda d: d["streams"][0].update(until="2020-01-01"), "until must come after"),
        (lambda d: d["streams"][3].update(ita_days={"employer": 14, "candidate": 14}), "window"),
        (lambda d: d["versions"][0]["streams"].update(chess={}), "not in the registry"),
        (lambda d: d["versions"][0]["streams"]["phd"].update(name="PhD"), "belong in the registry"),
        (lambda d: d["versions"][0]["streams"].pop("phd"), "missing phd"),
    ],
)
def test_a_broken_registry_is_refused_with_a_reason(breakage: Any, words: str) -> None:
    document = shipped()
    breakage(document)
    with pytest.raises(ValueError, match=words):
        load_policies(document)


def test_a_closed_stream_needs_no_rules_in_later_versions() -> None:
    document = shipped()
    document["streams"][4]["until"] = "2026-05-30"
    later = json.loads(json.dumps(document["versions"][0]))
    later["effective_from"] = "2026-06-01"
    del later["streams"]["phd"]
    document["versions"].append(later)
    versions = load_policies(document)
    assert "phd" not in versions[1].streams
    registry = load_registry(document)
    assert not registry[4].open_on(date(2026, 5, 30))
    assert registry[4].open_on(date(2026, 5, 29))


def test_a_grid_must_score_every_stream_open_while_it_is_in_force() -> None:
    document = shipped()
    document["streams"].append(
        {
            **document["streams"][3],
            "code": "later",
            "id_prefix": "LT",
            "effective_from": "2025-01-01",
        }
    )
    document["versions"][0]["streams"]["later"] = document["versions"][0]["streams"]["masters"]
    folder = resources.files("nominee.scoring").joinpath("data").joinpath("grids")
    grids = [
        json.loads(folder.joinpath(n).read_text("utf-8"))
        for n in ("2022-11-22.json", "2024-01-01.json", "2026-06-26.json")
    ]
    with (
        pytest.raises(ValueError, match=r"grid 2024-01-01.*missing.*later"),
        policy_document(document, grids),
    ):
        pass
    grids[1]["streams"]["later"] = grids[1]["streams"]["masters"]
    with policy_document(document, grids):
        assert "later" in stream_codes()
        assert load_grids(grids).versions[1].max_for("later") > 0
    assert "later" not in stream_codes()
