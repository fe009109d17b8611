"""Domain errors: raised by services before they write anything.

Views turn them into form errors or 4xx responses, the API into the shared error schema,
commands into a message on stderr with exit code 2. A ``DomainError`` is always the
caller's fault (bad input, a rule of the program); anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


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
