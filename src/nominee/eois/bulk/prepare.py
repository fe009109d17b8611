"""The bulk import pipeline: parse, check and score JSONL lines, fast.

The work per line (JSON, the engine, the row's JSON columns) is pure, so large files are
spread over worker processes (``fork``: they inherit the reference data and never touch
the database) while the parent writes the previous chunk. Each line becomes either an
``Accepted`` row, already adapted for the database engine (a tuple for SQLite's
executemany, a line of COPY text for PostgreSQL), or a ``Rejected`` with its messages.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, NamedTuple

from nominee.core import jsontext
from nominee.scoring import (
    ProfileError,
    ReferenceData,
    Score,
    check_profile,
    parse_profile,
    score_profile,
)
from nominee.scoring.policy import program_date

from ..documents import eoi_columns, failures_as_flags, normalise_email
from .encoding import copy_escape, copy_text, dumps, sqlite_instant

# Lines per unit of work: large enough to amortise the inter-process traffic.
CHUNK_LINES = 4000
# Below this many lines the import runs in the calling process alone.
PARALLEL_FROM = 2 * CHUNK_LINES


class Accepted(NamedTuple):
    """A valid line: what the parent needs for its checks, and the row's payload."""

    number: int
    external_id: str
    name: str | None
    email: str | None
    stream: str
    is_legacy: bool
    registered_at: datetime
    expires_at: datetime
    payload: Any  # SQLite: tuple with the candidate slot None; PostgreSQL: (head, tail)


class Rejected(NamedTuple):
    """An invalid line and why."""

    number: int
    messages: list[str]


class _Encoder:
    """Per-process caches of the JSON columns that many rows share."""

    def __init__(self) -> None:
        self.breakdowns: dict[tuple[Any, ...], str] = {}

    def breakdown(self, score: Score, rows: list[dict[str, Any]]) -> str:
        key = score.factors
        text = self.breakdowns.get(key)
        if text is None:
            text = dumps(rows)
            if len(self.breakdowns) < 200_000:
                self.breakdowns[key] = text
        return text


def prepare_line(
    number: int, text: str, ref: ReferenceData, vendor: str, encoder: _Encoder
) -> Accepted | Rejected | None:
    """Validate, check (on the registration date) and score one line; None for a blank line."""
    text = text.strip()
    if not text:
        return None
    try:
        data = jsontext.loads(text)
    except ValueError as error:  # JsonTooDeep too
        return Rejected(number, [f"not valid JSON: {error}"])
    if not isinstance(data, dict):
        return Rejected(number, ["must be a JSON object (one profile document per line)"])
    # JSON text holds a NUL only escaped: the walk runs only for the rare line with one.
    if "\\u0000" in text and (nul := list(jsontext.nul_paths(data))):
        return Rejected(number, [f"{path}: must not contain a NUL character" for path in nul])
    errors: list[str] = []
    name = data.pop("candidate_name", None)
    email = data.pop("candidate_email", None)
    if name is not None and (not isinstance(name, str) or not name.strip() or len(name) > 200):
        errors.append("candidate_name: must be a non-empty string of at most 200 characters")
    if email is not None and (
        not isinstance(email, str) or "@" not in email or len(email.strip()) > 254
    ):
        errors.append("candidate_email: must be an e-mail address")
    if (name is None) != (email is None):
        errors.append("candidate_name, candidate_email: give both or neither")
    external_id = data.get("id")
    if not isinstance(external_id, str) or not external_id.strip() or len(external_id) > 40:
        errors.append("id: is required (a string of at most 40 characters)")
    if data.get("registered_at") is None:
        errors.append("registered_at: is required")
    try:
        profile = parse_profile(data, ref=ref)
    except ProfileError as error:
        messages = [str(e) for e in error.errors]
        return Rejected(
            number,
            errors
            + [
                m
                for m in messages
                if m not in errors
                and not (
                    m.startswith("registered_at: is required")
                    and "registered_at: is required" in errors
                )
            ],
        )
    if errors:
        return Rejected(number, errors)
    registered_at = profile.registered_at
    assert registered_at is not None
    assert isinstance(external_id, str)
    failures = check_profile(profile, on=program_date(registered_at), ref=ref)
    refusals = [f for f in failures if f.severity == "refuse"]
    if refusals:
        return Rejected(number, [f"eligibility: {f.message} ({f.rule})" for f in refusals])
    score = score_profile(profile, ref=ref)
    c = eoi_columns(profile, score, ref)
    flags = failures_as_flags([f for f in failures if f.severity != "refuse"], "eligibility")
    profile_json = dumps(c["profile"])
    breakdown_json = encoder.breakdown(score, c["breakdown"])
    flags_json = dumps(flags) if flags else "[]"
    if vendor == "postgresql":
        tail = "\t".join(
            (
                c["stream"],
                "active",
                "t" if c["is_legacy"] else "f",
                registered_at.isoformat(),
                c["expires_at"].isoformat(),
                registered_at.isoformat(),
                copy_escape(profile_json),
                str(c["score"]),
                str(c["max_score"]),
                copy_escape(c["grid"]),
                copy_escape(breakdown_json),
                copy_text(c["noc"]),
                copy_text(c["census_division"]),
                copy_text(c["region"]),
                "t" if c["in_canada"] else "f",
                copy_text(c["education_level"]),
                copy_text(c["french_clb"]),
                copy_escape(flags_json),
                "t" if flags else "f",
                "{}",
                c["policy_version"].isoformat(),
                copy_text(c["pathway"]),
            )
        )
        payload: Any = (copy_escape(external_id), tail + "\n")
    else:
        registered = sqlite_instant(registered_at)
        payload = (
            external_id,
            None,
            c["stream"],
            "active",
            1 if c["is_legacy"] else 0,
            registered,
            sqlite_instant(c["expires_at"]),
            registered,
            profile_json,
            c["score"],
            c["max_score"],
            c["grid"],
            breakdown_json,
            c["noc"],
            c["census_division"],
            c["region"],
            1 if c["in_canada"] else 0,
            c["education_level"],
            c["french_clb"],
            flags_json,
            1 if flags else 0,
            "{}",
            c["policy_version"].isoformat(),
            c["pathway"],
        )
    return Accepted(
        number=number,
        external_id=external_id,
        name=" ".join(name.split()) if isinstance(name, str) else None,
        email=normalise_email(email) if isinstance(email, str) else None,
        stream=profile.stream,
        is_legacy=c["is_legacy"],
        registered_at=registered_at,
        expires_at=c["expires_at"],
        payload=payload,
    )


def with_candidate(item: Accepted, candidate_id: int | None, vendor: str) -> Any:
    """The row payload with its candidate filled in, ready for ``write``."""
    if vendor == "postgresql":
        head, tail = item.payload
        return f"{head}\t{copy_text(candidate_id)}\t{tail}"
    row = item.payload
    return (row[0], candidate_id, *row[2:])


# ---- chunks and workers ----------------------------------------------------------------

_worker_state: dict[str, Any] = {}


def _work(chunk: list[tuple[int, str]]) -> list[Accepted | Rejected]:
    ref, vendor, encoder = _worker_state["ref"], _worker_state["vendor"], _worker_state["encoder"]
    out = []
    for number, text in chunk:
        item = prepare_line(number, text, ref, vendor, encoder)
        if item is not None:
            out.append(item)
    return out


def _chunks(lines: Iterable[str]) -> Iterator[list[tuple[int, str]]]:
    numbered = enumerate(lines, start=1)
    while chunk := list(itertools.islice(numbered, CHUNK_LINES)):
        yield chunk


def prepared_chunks(
    lines: Iterable[str], *, ref: ReferenceData, vendor: str, workers: int | None = None
) -> Iterator[tuple[int, list[Accepted | Rejected]]]:
    """(last line number, items) per chunk of lines, in file order.

    The first chunks run here; once the file proves larger than ``PARALLEL_FROM`` lines
    the rest goes to a pool of forked workers (``workers``, default one per CPU when there
    are several; 0: never).
    """
    _worker_state.update(ref=ref, vendor=vendor, encoder=_Encoder())
    if workers is None:
        # Scoring is ~90% of the work and writing ~10% (profiled on 200,000 lines), so the
        # parent mostly waits: one worker per CPU keeps every core busy. One CPU: no workers.
        cpus = os.cpu_count() or 1
        workers = cpus if cpus > 1 else 0
    chunks = _chunks(lines)
    done = 0
    for chunk in chunks:
        yield chunk[-1][0], _work(chunk)
        done += len(chunk)
        if (
            workers >= 1
            and done >= PARALLEL_FROM
            and "fork" in multiprocessing.get_all_start_methods()
        ):
            break
    else:
        return
    # Back-pressure: the pool reads ahead at most a few chunks per worker, not the file.
    ahead = threading.BoundedSemaphore(workers * 3)

    def throttled() -> Iterator[list[tuple[int, str]]]:
        for chunk in chunks:
            ahead.acquire()
            yield chunk

    context = multiprocessing.get_context("fork")
    with context.Pool(processes=workers) as pool:
        for items in pool.imap(_work, throttled(), chunksize=1):
            ahead.release()
            last = max((i.number for i in items), default=done)
            done = max(done, last)
            yield last, items
