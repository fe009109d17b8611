"""Demo step: replay the draws of 2025-09-02 and 2025-09-03 on the generated pool.

Which draws: every row of ``nominee/data/oinp_draws.csv`` dated 2025-09-02 or
2025-09-03 that names a single stream, targeted with a named occupation list —
2025-09-02: the priority health list (``priority-health-2025-09-02``), each stream taking
the list's codes whose ``streams`` column names it (FW and IS: the ten health and early
childhood codes; IDS: 44101), Foreign Worker restricted to candidates in Canada as the
source says; 2025-09-03: the 11 known codes of the 77 (``targeted-2025-09-03``) for FW
and IS. The registration window is the row's ``profiles_from``..``profiles_to``.

How many: OINP publishes no pool size. We assume about ``REAL_POOL`` live EOIs across the
streams at the time and scale each published count by ``demo pool / REAL_POOL`` (at
least 1). The published minimum score is NOT imposed: the generated pool's scores are not
the real ones, so the replay reports its own cut-off beside the published one.

Who: officer@demo.nominee.test proposes, manager@demo.nominee.test approves (the
two-person rule), the officer executes: the record shows all three.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any, TextIO

from nominee.accounts.models import User
from nominee.draws.criteria import parse_criteria
from nominee.draws.services import replay_draw
from nominee.eois.models import EOI
from nominee.program import streams
from nominee.reference.models import OccupationList
from nominee.reference.services import data_file

REPLAY_DATES = (date(2025, 9, 2), date(2025, 9, 3))
REAL_POOL = 100_000
LIST_BY_DATE = {
    date(2025, 9, 2): "priority-health-2025-09-02",
    date(2025, 9, 3): "targeted-2025-09-03",
}
OFFICER = "officer@demo.nominee.test"
MANAGER = "manager@demo.nominee.test"


def replayable_rows() -> list[dict[str, Any]]:
    """The published draws of the replay dates that the data allows, in order."""
    # The employer streams' published names (the demo pool holds their job offers).
    by_name = {
        streams.name(code): (code, streams.info(code).id_prefix)
        for code in streams.employer_codes()
    }
    rows = []
    for row in csv.DictReader(io.StringIO(data_file("oinp_draws.csv"))):
        day = date.fromisoformat(row["date"])
        if day not in REPLAY_DATES or row["stream"] not in by_name:
            continue
        if not row["invitations"]:
            continue
        stream, short = by_name[row["stream"]]
        rows.append(
            {
                "date": day,
                "stream": stream,
                "short": short,
                "invitations": int(row["invitations"]),
                "min_score": int(row["min_score"]) if row["min_score"] else None,
                "from": date.fromisoformat(row["profiles_from"]) if row["profiles_from"] else None,
                "to": date.fromisoformat(row["profiles_to"]) if row["profiles_to"] else None,
                "in_canada": "living in Canada" in row["targeting_notes"],
                "notes": row["targeting_notes"],
            }
        )
    return rows


def _codes(slug: str, short: str) -> list[str]:
    occupation_list = OccupationList.objects.get(slug=slug)
    codes = []
    for entry in occupation_list.entries.order_by("noc_id"):
        streams = {s.strip() for s in entry.note.split(";") if s.strip()}
        # Lists with a streams column name the streams per code; others apply to all.
        if not streams or short in streams or not streams <= {"FW", "IS", "IDS"}:
            codes.append(entry.noc_id)
    return codes


def load(out: TextIO | Any) -> None:
    """Replay the draws (in the demo command's transaction)."""

    officer = User.objects.get(email=OFFICER)
    manager = User.objects.get(email=MANAGER)
    pool = EOI.objects.count()
    scale = pool / REAL_POOL
    out.write(f"  replaying the draws of 2025-09-02/03 on {pool:,} EOIs (scale {scale:.3f})\n")
    for row in replayable_rows():
        slug = LIST_BY_DATE[row["date"]]
        codes = _codes(slug, row["short"])
        count = max(1, round(row["invitations"] * scale))
        criteria = parse_criteria(
            {
                "stream": row["stream"],
                "invitations": count,
                "noc_codes": codes,
                "registered_from": row["from"],
                "registered_to": row["to"],
                "in_canada_only": row["in_canada"],
                "draw_date": row["date"],
            }
        )
        note = (
            f"Replay of the OINP draw of {row['date']}: {row['invitations']:,} invitations, "
            f"lowest score {row['min_score']}, scaled to {count} for the demo pool "
            f"(occupation list {slug}: {len(codes)} NOC codes)."
        )
        result = replay_draw(
            proposer=officer, approver=manager, executor=officer, criteria=criteria, note=note
        )
        out.write(
            f"  {row['date']} {row['stream']:22} {len(codes):2} NOCs: "
            f"{result.invitations:4}/{count:4} invited of {result.eligible:5} eligible, "
            f"cut-off {result.min_score} (published {row['min_score']})\n"
        )
