"""Domain errors: raised by services before they write anything.

Views turn them into form errors or 4xx responses, the API into the shared error schema,
commands into a message on stderr with exit code 2. A ``DomainError`` is always the
caller's fault (bad input, a rule of the program); anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from nominee.scoring import ProfileError


class DomainError(Exception):
    """A refusal by a rule of the program, with a message per field where one applies.

    ``code`` is a stable slug for scripts (``allocation.spent``); ``fields`` maps a field
    name (dotted for nested documents) to its messages; ``status`` is the HTTP status the
    API answers with (400 bad input, 403 forbidden, 404 not found, 409 conflict with the
    current state, 422 a valid request that a program rule refuses).
    """

    status = 422
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: Mapping[str, Sequence[str]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.fields: dict[str, list[str]] = {k: list(v) for k, v in (fields or {}).items()}

    def as_dict(self) -> dict[str, object]:
        """The shared error document (see ``nominee.core.schemas.Error``)."""
        return {"code": self.code, "message": self.message, "fields": self.fields}


class ValidationFailed(DomainError):
    """The input is malformed: a field is missing, of the wrong type or out of range."""

    status = 400
    code = "validation"


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it exists."""

    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    """The caller is known but may not do this."""

    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The request clashes with the current state (already done, already taken)."""

    status = 409
    code = "conflict"


class RateLimited(DomainError):
    """Too many requests of one kind from one client or account (``nominee.core.ratelimits``).

    ``retry_after`` is how many seconds until the limit's window ends: the API sends it as
    the ``Retry-After`` header with status 429, the pages show it in words.
    """

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


# A profile document the engine refuses is well-formed JSON whose content the program
# refuses: 422, as INTERFACES §1 says ("refused as bad input (exit 2 / 422)").
PROFILE_INVALID_STATUS = 422


def profile_invalid(error: ProfileError) -> ValidationFailed:
    """The one answer to a profile document the engine refuses, on every endpoint.

    ``POST /api/v1/score``, ``POST /api/v1/eois``, the pages and the commands all turn a
    ``ProfileError`` into this: a message per field path, status 422.
    """
    return ValidationFailed(
        _("the profile document is invalid"),
        fields=error.by_field(),
        status=PROFILE_INVALID_STATUS,
    )


def profile_refused(fields: Mapping[str, Sequence[str]]) -> ValidationFailed:
    """``profile_invalid`` for what a service checks of the document before the engine
    parses it (not an object, an unknown stream): the same message and status."""
    return ValidationFailed(
        _("the profile document is invalid"), fields=fields, status=PROFILE_INVALID_STATUS
    )
