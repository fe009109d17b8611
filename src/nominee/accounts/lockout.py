"""The username that django-axes records for a login attempt, cut to fit its column.

Django's login form does not enforce the username's ``max_length`` (it is set after the
field's validators are built), so any length reaches ``authenticate`` and axes' failed
attempt row, whose ``username`` is a ``varchar(255)``: PostgreSQL refused a longer one with
a DataError (a 500), SQLite stored it. No account has an address over 254 characters, so
the first 255 are as good a lockout key as the whole.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

#: axes' ``AccessAttempt.username`` and ``AccessFailureLog.username`` are 255 characters.
USERNAME_LENGTH = 255


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """axes' own choice (the credentials, else the posted form field), at most 255 characters,
    in lower case: ``BOB@example.com`` is the same account, so it counts the same failures."""
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        value = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return value.strip().lower()[:USERNAME_LENGTH] if isinstance(value, str) else value
