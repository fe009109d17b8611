"""The hash chain of the audit log: how an event's content is serialised and hashed.

No database access: ``record`` uses it to seal events, ``verify`` and the migration
that chained an upgraded log use it to check them. The format is version 1 and frozen:
changing a byte of it would break every chain already written (docs/audit.md).

An event's hash is SHA-256 over, in UTF-8::

    nominee-audit-v1 LF <seq> LF <previous event's hash> LF <content>

where ``<content>`` is the canonical JSON of the object with the keys ``action``,
``actor`` (the user's id or null), ``after``, ``at`` (UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``),
``before``, ``data``, ``subject_id`` and ``subject_type``: keys sorted, no whitespace,
ASCII only (``\\uXXXX`` escapes), and every float with an integral value written as an
integer. The first event's previous hash is ``GENESIS``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

VERSION = b"nominee-audit-v1"
GENESIS = "0" * 64


def _number(text: str) -> float | int:
    # PostgreSQL's jsonb keeps numbers as the decimals Python wrote and gives 2.5e+300
    # back as 25 and 299 zeros, which Python then reads as an int, and 1.0 as 1.0: the
    # same number must serialise the same whichever way it comes back.
    value = float(text)
    return int(Decimal(text)) if value.is_integer() else value


# Made once: verify runs these for every event of the log.
_DECODER = json.JSONDecoder(parse_float=_number)
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def load(text: str | None) -> Any:
    """A JSON column's text as the chain reads it (integral numbers as integers)."""
    return None if text is None else _DECODER.decode(text)


def stored_json(value: Any) -> Any:
    """A value as a JSON column gives it back: what ``DjangoJSONEncoder`` makes of dates,
    decimals, UUIDs, tuples and non-string keys, read as ``load`` reads it."""
    return None if value is None else load(json.dumps(value, cls=DjangoJSONEncoder))


def content(
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: str,
    before: Any,
    after: Any,
    data: Any,
) -> bytes:
    """The canonical serialisation of an event's content; ``before``, ``after`` and
    ``data`` as ``load`` or ``stored_json`` give them, ``at`` aware."""
    document = {
        "action": action,
        "actor": actor_id,
        "after": after,
        "at": at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z",
        "before": before,
        "data": data,
        "subject_id": subject_id,
        "subject_type": subject_type,
    }
    return _ENCODER.encode(document).encode()


def link(*, seq: int, prev_hash: str, content: bytes) -> str:
    """The hash of the event at position ``seq`` whose predecessor's hash is ``prev_hash``."""
    digest = hashlib.sha256(VERSION)
    digest.update(b"\n%d\n%s\n" % (seq, prev_hash.encode("ascii")))
    digest.update(content)
    return digest.hexdigest()
