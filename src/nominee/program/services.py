"""Program services: the yearly allocations (seeded after migrate, set by a manager) and
the policy versions (seeded from the shipped files after migrate, published by a manager)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from importlib import resources
from typing import Any

from django.db import transaction
from django.utils import timezone

from nominee.audit.services import record
from nominee.core.errors import Conflict, PermissionDenied, ValidationFailed
from nominee.core.timeutil import program_date
from nominee.scoring.policy import stream_registry

from . import policy_source, streams
from .models import (
    Allocation,
    PolicyKind,
    PolicyVersion,
    ProgramChange,
    SpentPolicy,
    StreamAllocation,
)

#: The permission that makes a manager (``accounts.roles`` grants the program app's edit
#: permissions to the manager group only); program sits below accounts and reads it so.
PUBLISH_PERMISSION = "program.add_policyversion"


def seed_allocations(**kwargs: Any) -> None:
    """post_migrate receiver: add the shipped yearly allocations that are missing.

    A year already present is left alone: a manager's figure wins over the shipped one.
    """
    using = kwargs.get("using", "default")
    text = resources.files("nominee.program").joinpath("data", "allocations.csv").read_text()
    for row in csv.DictReader(io.StringIO(text)):
        Allocation.objects.using(using).get_or_create(
            year=int(row["year"]),
            defaults={"nominations": int(row["nominations"]), "source": row["source"]},
        )


@transaction.atomic(durable=True)
def set_allocation(
    *,
    year: int,
    nominations: int,
    actor: Any,
    source: str = "",
    stream: str | None = None,
    when_spent: str | None = None,
) -> Allocation:
    """Set a year's allocation, or with ``stream`` that stream's share of it (a manager's
    act), and optionally what the year does once it is spent (``hold`` or ``return``).

    Never below the nominations already issued; a stream's shares together never above
    the year's figure. Raises ValidationFailed before writing.
    """
    return _set_allocation(
        year=year,
        nominations=nominations,
        actor=actor,
        source=source,
        stream=stream,
        when_spent=when_spent,
    )


def _set_allocation(
    *,
    year: int,
    nominations: int,
    actor: Any,
    source: str = "",
    stream: str | None = None,
    when_spent: str | None = None,
) -> Allocation:
    """The body of ``set_allocation``, in the caller's transaction (the admin's)."""
    if nominations < 0:
        raise ValidationFailed(
            "the allocation must not be negative",
            fields={"nominations": ["must be 0 or more"]},
        )
    if stream is not None and not streams.is_stream(stream):
        raise ValidationFailed(
            f"unknown stream {stream!r}",
            fields={"stream": [f"one of {', '.join(streams.codes())}"]},
        )
    if when_spent is not None and when_spent not in SpentPolicy.values:
        raise ValidationFailed(
            f"unknown policy {when_spent!r}",
            fields={"when_spent": [f"one of {', '.join(SpentPolicy.values)}"]},
        )
    allocation = Allocation.objects.select_for_update().filter(year=year).first()
    if stream is not None:
        return _set_share(
            allocation, year=year, stream=stream, nominations=nominations, actor=actor
        )
    before = None
    if allocation is None:
        allocation = Allocation(year=year, nominations=nominations, source=source)
    else:
        if nominations < allocation.nominations_issued:
            raise ValidationFailed(
                f"{allocation.nominations_issued} nominations were already issued in {year}",
                fields={"nominations": [f"must be at least {allocation.nominations_issued}"]},
            )
        shared = sum(allocation.streams.values_list("nominations", flat=True))
        if nominations < shared:
            raise ValidationFailed(
                f"the streams' shares of {year} add up to {shared}",
                fields={"nominations": [f"must be at least {shared}, the streams' shares"]},
            )
        before = {"nominations": allocation.nominations, "when_spent": allocation.when_spent}
        allocation.nominations = nominations
        allocation.source = source or allocation.source
    if when_spent is not None:
        allocation.when_spent = when_spent
    allocation.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    allocation.save()
    record(
        actor=actor,
        action="allocation.set",
        subject=allocation,
        before=before,
        after={"nominations": nominations, "when_spent": allocation.when_spent},
    )
    return allocation


def _set_share(
    allocation: Allocation | None, *, year: int, stream: str, nominations: int, actor: Any
) -> Allocation:
    if allocation is None:
        raise ValidationFailed(
            f"set the {year} allocation before splitting it by stream",
            fields={"year": [f"no allocation for {year}"]},
        )
    share = (
        StreamAllocation.objects.select_for_update()
        .filter(allocation=allocation, stream=stream)
        .first()
    )
    issued = share.nominations_issued if share is not None else 0
    if nominations < issued:
        raise ValidationFailed(
            f"{issued} {stream} nominations were already issued in {year}",
            fields={"nominations": [f"must be at least {issued}"]},
        )
    others = sum(allocation.streams.exclude(stream=stream).values_list("nominations", flat=True))
    if others + nominations > allocation.nominations:
        raise ValidationFailed(
            f"the streams' shares would add up to {others + nominations}, "
            f"above the {year} allocation of {allocation.nominations}",
            fields={"nominations": [f"at most {allocation.nominations - others}"]},
        )
    before = {"nominations": share.nominations} if share is not None else None
    if share is None:
        # Nominations of the stream issued before the split count against its share. They
        # are read through the reverse link ``issued`` (casework's Nomination), because
        # casework sits above program, which does not import it.
        issued = allocation.issued.filter(stream=stream).count()
        if nominations < issued:
            raise ValidationFailed(
                f"{issued} {stream} nominations were already issued in {year}",
                fields={"nominations": [f"must be at least {issued}"]},
            )
        share = StreamAllocation(
            allocation=allocation, stream=stream, nominations=nominations, nominations_issued=issued
        )
    share.nominations = nominations
    share.save()
    record(
        actor=actor,
        action="allocation.stream_set",
        subject=allocation,
        before=before,
        after={"stream": stream, "nominations": nominations},
    )
    return allocation


# ---- policy versions ------------------------------------------------------------------


def shipped_versions() -> Iterator[tuple[str, date, Any]]:
    """The versions the package ships, as ``(kind, effective_from, document)``: the stream
    registry of ``scoring/data/policy.json`` (dated by the latest date it names, so that a
    shipped registry that opens or closes a stream is a new version), each of its policy
    versions, and each ``scoring/data/grids/<date>.json``."""
    data = resources.files("nominee.scoring").joinpath("data")
    policy = json.loads(data.joinpath("policy.json").read_text("utf-8"))
    # The registry is what exists (streams, and the region tables versions refer to);
    # the versions say what each one's rules are.
    registry = {key: policy[key] for key in ("about", "streams", "region_tables") if key in policy}
    yield PolicyKind.REGISTRY, registry_date(registry), registry
    for version in policy["versions"]:
        yield PolicyKind.POLICY, date.fromisoformat(version["effective_from"]), version
    for entry in sorted(data.joinpath("grids").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            grid = json.loads(entry.read_text("utf-8"))
            yield PolicyKind.GRID, date.fromisoformat(grid["effective_from"]), grid


def registry_date(registry: Any) -> date:
    """The latest program date a registry document names (a stream opening or closing)."""
    dates = []
    for stream in registry.get("streams", []):
        for key in ("effective_from", "until"):
            if stream.get(key):
                dates.append(date.fromisoformat(stream[key]))
    return max(dates)


def seed_policy_versions(**kwargs: Any) -> None:
    """post_migrate receiver: add each shipped version the database lacks.

    A version is known by its kind and effective date; one already present is never
    overwritten (a published version is never edited), so a shipped file changed under an
    existing date does not reach the database: ship it under a new date.
    """
    using = kwargs.get("using", "default")
    present = set(PolicyVersion.objects.using(using).values_list("kind", "effective_from"))
    now = timezone.now()
    added = [
        PolicyVersion(
            kind=kind,
            effective_from=effective_from,
            document=document,
            reason="Shipped with Nominee",
            published_at=now,
        )
        for kind, effective_from, document in shipped_versions()
        if (kind, effective_from) not in present
    ]
    if added:
        PolicyVersion.objects.using(using).bulk_create(added)


def may_publish(user: Any) -> bool:
    """Whether the user may publish a policy version (a manager)."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(PUBLISH_PERMISSION))


def error_messages(error: ValueError) -> list[str]:
    """Every message of an engine ValueError (a pydantic error lists one per location)."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        try:
            return [
                f"{'.'.join(str(part) for part in item['loc']) or 'document'}: {item['msg']}"
                for item in errors()
            ]
        except TypeError:  # a ValueError whose ``errors`` is something else
            pass
    return [str(error)]


def proposed_documents(kind: str, document: Any, effective_from: date) -> policy_source.Documents:
    """The database's documents with ``document`` added as the version of ``kind`` from
    ``effective_from``, validated by the engine's loaders.

    Raises ValidationFailed with every message of the engine's ValueError against
    ``document`` (the kind, the document's shape and its date against their fields).
    """
    if kind not in PolicyKind.values:
        raise ValidationFailed(
            f"unknown kind {kind!r}", fields={"kind": [f"one of {', '.join(PolicyKind.values)}"]}
        )
    if not isinstance(document, dict):
        raise ValidationFailed(
            "the document must be a JSON object", fields={"document": ["must be a JSON object"]}
        )
    document = dict(document)
    if kind != PolicyKind.REGISTRY:
        stated = document.setdefault("effective_from", effective_from.isoformat())
        if stated != effective_from.isoformat():
            raise ValidationFailed(
                "the document's effective_from differs from the effective date",
                fields={"document": [f"effective_from is {stated}, not {effective_from}"]},
            )
    rows = [
        (k, d, doc)
        for k, d, doc in PolicyVersion.objects.values_list("kind", "effective_from", "document")
        if not (k == kind and d == effective_from)
    ]
    rows.append((kind, effective_from, document))
    documents = policy_source.assemble(rows)
    if documents is None:
        raise ValidationFailed(
            "the database lacks a kind of version", fields={"kind": ["no baseline to add to"]}
        )
    try:
        if kind == PolicyKind.REGISTRY:
            _check_registry_keeps_the_past(document, effective_from)
        policy_source.validate(documents, registry_changes=kind == PolicyKind.REGISTRY)
    except ValueError as error:
        raise ValidationFailed(
            "the document does not validate", fields={"document": error_messages(error)}
        ) from None
    return documents


def _check_registry_keeps_the_past(document: Any, effective_from: date) -> None:
    # The engine reads the newest registry whatever its date (each stream carries its own
    # dates), so a registry may not rewrite what was true before its effective date.
    current = {s.code: s for s in stream_registry()}
    entries = document.get("streams") if isinstance(document, dict) else None
    new = {e.get("code"): e for e in entries or [] if isinstance(e, dict)}
    missing = sorted(set(current) - set(new))
    if missing:
        raise ValueError(f"streams are never removed from the registry: keep {', '.join(missing)}")
    for code, info in current.items():
        for key in ("effective_from", "until"):
            old = getattr(info, key)
            raw = new[code].get(key)
            value = date.fromisoformat(raw) if isinstance(raw, str) else raw
            if value != old and any(d is not None and d < effective_from for d in (old, value)):
                raise ValueError(
                    f"stream {code}: {key} may change only to and from dates on or after "
                    f"{effective_from.isoformat()}"
                )


@transaction.atomic(durable=True)
def publish_policy_version(
    *,
    actor: Any,
    kind: str,
    document: Any,
    effective_from: date,
    reason: str,
    now: datetime | None = None,
) -> PolicyVersion:
    """Publish a new version of a policy document (a manager's act), in force from
    ``effective_from``: it applies to what is registered, updated or decided on or after
    that date; what was judged earlier keeps its own versions.

    ``actor`` None is the system (``nominee policy publish`` without ``--as``, run by
    whoever operates the server). Refused before writing: PermissionDenied for anyone
    else but a manager; ValidationFailed for
    an unknown kind, an empty reason, a date not after today, or a document the engine's
    loaders refuse (every message against ``document``); Conflict when a version of that
    kind already has that date. Audited; the engine reloads once it commits.
    """
    now = now or timezone.now()
    if actor is not None and not may_publish(actor):
        raise PermissionDenied("only a program manager may publish a policy version")
    fields: dict[str, list[str]] = {}
    if not isinstance(reason, str) or not reason.strip():
        fields["reason"] = ["say why this version is published"]
    today = program_date(now)
    if not isinstance(effective_from, date) or effective_from <= today:
        fields["effective_from"] = [
            f"must be after today ({today.isoformat()}): a version in force is never edited"
        ]
    if kind not in PolicyKind.values:
        fields["kind"] = [f"one of {', '.join(PolicyKind.values)}"]
    if fields:
        raise ValidationFailed("the version cannot be published", fields=fields)
    # Lock the versions of the kind: two managers publishing the same date wait for each other.
    taken = list(
        PolicyVersion.objects.select_for_update()
        .filter(kind=kind)
        .values_list("effective_from", flat=True)
    )
    if effective_from in taken:
        raise Conflict(
            f"a {kind} version already applies from {effective_from.isoformat()}",
            code="policy.date_taken",
            fields={"effective_from": ["a version of this kind already has this date"]},
        )
    proposed_documents(kind, document, effective_from)
    if kind != PolicyKind.REGISTRY:
        document = {**document, "effective_from": effective_from.isoformat()}
    version = PolicyVersion.objects.create(
        kind=kind,
        effective_from=effective_from,
        document=document,
        author=actor,
        reason=reason.strip(),
        published_at=now,
    )
    record(
        actor=actor,
        action="program.policy_published",
        subject=version,
        after={
            "kind": kind,
            "effective_from": effective_from.isoformat(),
            "reason": reason.strip(),
        },
    )
    transaction.on_commit(policy_source.ensure_fresh)
    return version


def record_change(
    *, kind: str, stream: str, on: date, count: int, actor: Any, now: datetime
) -> ProgramChange:
    """Add an act of the program to its history of changes, in the caller's transaction
    (the service that made the change holds it and records the audit event)."""
    return ProgramChange.objects.create(
        kind=kind,
        stream=stream,
        effective_on=on,
        count=count,
        recorded_at=now,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
