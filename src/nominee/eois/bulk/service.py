"""The bulk import service: ``nominee eoi import`` and ``POST``-free loads of a pool.

All or nothing by default, one durable transaction, one audit event with the counts;
``prepare`` checks and scores the lines (in worker processes for a large file), ``write``
stores them with the engine's bulk path.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.audit.services import record
from nominee.core.errors import ValidationFailed
from nominee.reference.queries import reference_data
from nominee.scoring import ReferenceData

from ..models import EOI, Candidate
from . import write as bulkwrite
from .prepare import Accepted, Rejected, prepared_chunks, with_candidate


@dataclass
class ImportResult:
    """What an import did: EOIs and candidates written, and the invalid lines by number."""

    imported: int = 0
    candidates: int = 0
    lines: int = 0
    invalid: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def invalid_count(self) -> int:
        """How many lines were refused."""
        return len(self.invalid)


class ImportRefused(ValidationFailed):
    """Some lines are invalid and ``skip_invalid`` was not given: nothing was written."""

    code = "import.invalid"

    def __init__(self, result: ImportResult, limit: int = 100) -> None:
        fields = {f"line {number}": messages for number, messages in result.invalid[:limit]}
        more = len(result.invalid) - limit
        if more > 0:
            fields["more"] = [f"{more} more invalid line(s) not listed"]
        super().__init__(
            _("%(count)d of %(lines)d line(s) are invalid; nothing was imported")
            % {"count": len(result.invalid), "lines": result.lines},
            fields=fields,
        )
        self.result = result


Window = tuple[datetime, datetime]


class _Pool:
    """What the import knows of the pool while it runs: ids, candidates, live windows."""

    def __init__(self) -> None:
        self.seen_ids: set[str] = set()
        self.candidate_ids: dict[str, int] = {}
        for cid, email in Candidate.objects.values_list("id", "email").iterator(chunk_size=50_000):
            self.candidate_ids.setdefault(email.lower(), cid)
        self.stored_candidates = set(self.candidate_ids)
        self.live: dict[tuple[str, str], list[Window]] = {}
        self.empty = not EOI.objects.exists()

    def existing_ids(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        if self.empty:
            return found  # nothing stored before: the file's own duplicates are caught apart
        for start in range(0, len(ids), 900):
            found.update(
                EOI.objects.filter(external_id__in=ids[start : start + 900]).values_list(
                    "external_id", flat=True
                )
            )
        return found

    def stored_live(self, items: list[Accepted]) -> dict[tuple[int, str], list[Window]]:
        """Live EOIs already stored for the chunk's known candidates, by (candidate, stream)."""
        ids = sorted(
            {self.candidate_ids[i.email] for i in items if i.email in self.stored_candidates}
        )
        out: dict[tuple[int, str], list[Window]] = {}
        for start in range(0, len(ids), 900):
            for cid, stream, reg, exp in EOI.objects.filter(
                candidate_id__in=ids[start : start + 900],
                status=EOI.Status.ACTIVE,
                is_legacy=False,
            ).values_list("candidate_id", "stream", "registered_at", "expires_at"):
                out.setdefault((cid, stream), []).append((reg, exp))
        return out

    def clash(self, item: Accepted, stored: dict[tuple[int, str], list[Window]]) -> str | None:
        """One live EOI per stream per candidate: overlapping validity windows clash."""
        if item.email is None or item.is_legacy:
            return None
        start, end = item.registered_at, item.expires_at
        cid = self.candidate_ids.get(item.email)
        for other_start, other_end in stored.get((cid, item.stream), []) if cid else []:
            if start < other_end and other_start < end:
                return f"candidate_email: {item.email} already has a live EOI in {item.stream}"
        windows = self.live.setdefault((item.email, item.stream), [])
        for other_start, other_end in windows:
            if start < other_end and other_start < end:
                return (
                    f"candidate_email: {item.email} has another live EOI in {item.stream} "
                    "in this file"
                )
        windows.append((start, end))
        return None


@transaction.atomic(durable=True)
def import_eois(
    *,
    actor: Any,
    lines: Iterable[str],
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
    now: datetime | None = None,
    source: str = "",
    workers: int | None = None,
) -> ImportResult:
    """Load profile documents, one per line (INTERFACES §3 ``nominee eoi import``).

    Each line is a profile document with ``id`` and ``registered_at``, and optionally
    ``candidate_name`` and ``candidate_email`` (a candidate without an account is created
    per new e-mail address; an existing candidate with that address is reused). Every
    line is validated, checked against the eligibility the document shows (on its
    registration date) and scored; an ``id`` already present or twice in the file, and a
    second live EOI in a stream for one candidate, are refused. All or nothing: when any
    line is invalid, ImportRefused names each bad line (by number) and nothing is
    written, unless ``skip_invalid`` (the valid lines are imported, the bad reported).
    EOIs keep their registration time, so each is live, expired or legacy as registered.
    ``progress`` is called with the number of lines read so far; ``workers`` bounds the
    processes scoring a large file (default: the CPU count).
    """
    now = now or timezone.now()
    ref = reference_data()
    vendor = connection.vendor
    result = ImportResult()
    known = _Pool()
    bulkwrite.tune_for_bulk()

    def write(items: list[Accepted]) -> None:
        new = [i for i in items if i.email is not None and i.email not in known.candidate_ids]
        fresh: dict[str, str] = {}
        for item in new:
            assert item.email is not None
            fresh.setdefault(item.email, item.name or "")
        ids = bulkwrite.reserve_candidate_ids(len(fresh))
        for cid, email in zip(ids, fresh, strict=True):
            known.candidate_ids[email] = cid
        bulkwrite.write_candidates(
            (cid, fresh[email], email, now) for cid, email in zip(ids, fresh, strict=True)
        )
        result.candidates += len(fresh)
        result.imported += bulkwrite.write_prepared(
            [
                with_candidate(i, known.candidate_ids[i.email] if i.email else None, vendor)
                for i in items
            ]
        )

    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the cyclic collector only costs time here
    deferred = bulkwrite.DeferredIndexes() if known.empty else contextlib.nullcontext()
    try:
        with deferred:
            _import_chunks(
                lines, ref, vendor, workers, known, result, skip_invalid, progress, write
            )
    finally:
        if gc_was_enabled:
            gc.enable()
    result.invalid.sort()
    if result.invalid and not skip_invalid:
        raise ImportRefused(result)
    record(
        actor=actor,
        action="eois.imported",
        subject_type="eois.import",
        subject_id=now.strftime("%Y%m%dT%H%M%S.%fZ"),
        data={
            "source": source,
            "lines": result.lines,
            "imported": result.imported,
            "candidates": result.candidates,
            "invalid": len(result.invalid),
        },
    )
    return result


def _import_chunks(
    lines: Iterable[str],
    ref: ReferenceData,
    vendor: str,
    workers: int | None,
    known: _Pool,
    result: ImportResult,
    skip_invalid: bool,
    progress: Callable[[int], None] | None,
    write: Callable[[list[Accepted]], None],
) -> None:
    """The import's loop: check each prepared chunk against the pool, write what passes."""
    for last, items in prepared_chunks(lines, ref=ref, vendor=vendor, workers=workers):
        result.lines = last
        accepted: list[Accepted] = []
        for item in items:
            if isinstance(item, Rejected):
                result.invalid.append((item.number, item.messages))
            elif item.external_id in known.seen_ids:
                result.invalid.append(
                    (item.number, [f"id: {item.external_id} appears twice in the file"])
                )
            else:
                known.seen_ids.add(item.external_id)
                accepted.append(item)
        present = known.existing_ids([i.external_id for i in accepted])
        stored = known.stored_live(accepted)
        rows = []
        for item in accepted:
            if item.external_id in present:
                result.invalid.append(
                    (item.number, [f"id: {item.external_id} is already in the pool"])
                )
            elif message := known.clash(item, stored):
                result.invalid.append((item.number, [message]))
            else:
                rows.append(item)
        if skip_invalid or not result.invalid:
            write(rows)
        if progress is not None:
            progress(result.lines)
