"""Supporting documents: the type read from the content, the limits, the storage.

A document is accepted when its first bytes are those of a PDF, JPEG or PNG file *and*
its name's extension says the same type: a PNG renamed ``.pdf`` is refused (an officer
opening it as a PDF would see nothing), and so is anything else renamed ``.pdf``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from nominee.core.errors import ValidationFailed

# Magic numbers: the first bytes each format's specification fixes.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
WORDS = {"application/pdf": "a PDF", "image/jpeg": "a JPEG image", "image/png": "a PNG image"}


def sniff(content: bytes) -> str | None:
    """The content type the bytes begin with (PDF, JPEG, PNG), or None."""
    for magic, kind in SIGNATURES:
        if content.startswith(magic):
            return kind
    return None


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


@dataclass(frozen=True)
class Checked:
    """A document that passed the checks: its type, size and digest."""

    content_type: str
    size: int
    sha256: str


def check(name: str, content: bytes, *, already_stored: int = 0) -> Checked:
    """Check one upload; ValidationFailed with a message under ``file`` naming the problem."""
    shown = os.path.basename(name or "") or "the file"
    limit = settings.CASEWORK_MAX_DOCUMENT_BYTES
    total = settings.CASEWORK_MAX_APPLICATION_BYTES

    def refuse(message: str) -> ValidationFailed:
        return ValidationFailed(message, fields={"file": [message]})

    if not content:
        raise refuse(f"{shown} is empty")
    if len(content) > limit:
        raise refuse(f"{shown} is {_size(len(content))}: the limit is {_size(limit)} a file")
    if already_stored + len(content) > total:
        raise refuse(
            f"{shown} would bring the application's documents to "
            f"{_size(already_stored + len(content))}: the limit is {_size(total)}"
        )
    kind = sniff(content)
    extension = Path(shown).suffix.lower()
    if kind is None:
        raise refuse(f"{shown} is not a PDF, JPEG or PNG file (judged by its content)")
    if extension not in EXTENSIONS[kind]:
        expected = " or ".join(EXTENSIONS[kind])
        raise refuse(f"{shown} is {WORDS[kind]}, not what its name says: name it {expected}")
    return Checked(content_type=kind, size=len(content), sha256=hashlib.sha256(content).hexdigest())


def root() -> Path:
    """The directory documents are stored in (created on first use)."""
    path = Path(settings.CASEWORK_DOCUMENT_ROOT)
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(content: bytes) -> str:
    """Write the bytes under a random name; the caller records the name on the row."""
    name = secrets.token_hex(16)
    target = root() / name
    temporary = target.with_suffix(".part")
    temporary.write_bytes(content)
    temporary.replace(target)
    return name


def path_of(storage_name: str) -> Path:
    """Where a stored document's bytes are."""
    return root() / storage_name


def discard(storage_name: str) -> None:
    """Remove stored bytes whose row was not written (the transaction was refused)."""
    path_of(storage_name).unlink(missing_ok=True)
