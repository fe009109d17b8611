"""Demo step: the published 2024-2026 record, which the public pages show.

Imports ``nominee/data/oinp_draws.csv`` (shipped in the package) as the published
record, replacing any earlier import of it. The draws step, which runs before this one,
replayed 2025-09-02/03 in Nominee on the scaled-down demo pool: those replays are not
public (decision 70), so the public pages, feeds and totals state the published figures
(week 36 of 2025: 4,536 invitations).
"""

from __future__ import annotations

from typing import Any

from nominee.publication.services import _import_rows
from nominee.reference.services import data_file

DEMO_FILE = "oinp_draws.csv"


def load(out: Any) -> None:
    """Import the shipped record of OINP draws (the demo command holds the transaction)."""
    result = _import_rows(
        text=data_file(DEMO_FILE), source_file=DEMO_FILE, actor=None, replace=True
    )
    out.write(
        f"  publication: {result.created} published draws imported from {DEMO_FILE} "
        f"({result.unchanged} already there)"
    )
