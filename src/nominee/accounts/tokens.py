"""API token primitives: the format, a fresh token, and the digest it is stored under.

Account primitives, so that ``accounts.services.create_api_token`` needs nothing from the
``api`` app above it; ``api.auth`` reads tokens with the same ``digest``.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "nom_"  # noqa: S105 - a public marker of token format, not a secret


def digest(token: str) -> str:
    """The SHA-256 digest under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str, str]:
    """A fresh token: (the token shown once, its prefix, its digest)."""
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return token, prefix, digest(token)
