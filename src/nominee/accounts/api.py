"""JSON API of the accounts app (mounted under /api/v1/ by nominee.api.root).

``/me`` (who am I), personal API tokens (``/tokens``), and a representative's
appointments (``/appointments``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.http import HttpRequest
from ninja import Router, Schema, Status

from nominee.core.errors import NotFound
from nominee.core.ratelimits import limit
from nominee.core.schemas import ERRORS

from . import queries, services
from .models import ApiToken, Appointment, User
from .roles import Role, has_role

router = Router(tags=["accounts"])


def _me(request: HttpRequest) -> User:
    """The signed-in user (views and operations here require authentication)."""
    return cast(User, request.user)


class MeOut(Schema):
    """The caller's account and roles."""

    email: str
    full_name: str
    email_confirmed: bool
    roles: list[str]


class TokenIn(Schema):
    """A name for the new token."""

    name: str


class TokenOut(Schema):
    """A token as listed: never the token itself."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    """A token just created: ``token`` is shown this once only."""

    token: str


class AppointmentOut(Schema):
    """An appointment of a representative by an employer or a candidate."""

    id: int
    representative: str
    employer_id: int | None
    employer_name: str | None
    candidate_id: int | None
    appointed_at: datetime
    revoked_at: datetime | None


def _token_out(row: ApiToken) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "prefix": row.prefix,
        "created_at": row.created_at,
        "last_used_at": row.last_used_at,
        "revoked_at": row.revoked_at,
    }


def _appointment_out(a: Appointment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "representative": a.representative.user.email,
        "employer_id": a.employer_id,
        "employer_name": str(a.employer) if a.employer else None,
        "candidate_id": a.candidate_id,
        "appointed_at": a.appointed_at,
        "revoked_at": a.revoked_at,
    }


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who am I")
def me(request: HttpRequest) -> dict[str, Any]:
    """The caller's e-mail, name and roles."""
    user: Any = _me(request)
    return {
        "email": user.email,
        "full_name": user.full_name,
        "email_confirmed": user.email_confirmed_at is not None,
        "roles": [role.value for role in Role if has_role(user, role)],
    }


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="Your API tokens")
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's tokens, newest first (only their prefixes)."""
    return [_token_out(t) for t in queries.tokens_of(_me(request))]


@router.post(
    "/tokens",
    response={201: NewTokenOut, **ERRORS},
    summary="Create an API token",
    description="The answer's `token` is shown this once: Nominee stores only its digest.",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    """Create a personal API token."""
    limit(request, "api_token", str(request.user.pk))
    row, token = services.create_api_token(user=_me(request), name=payload.name)
    return Status(201, {**_token_out(row), "token": token})


@router.delete(
    "/tokens/{token_id}", response={200: TokenOut, **ERRORS}, summary="Revoke an API token"
)
def revoke_token(request: HttpRequest, token_id: int) -> dict[str, Any]:
    """Revoke one of the caller's tokens (404 for anybody else's)."""
    row = queries.token_of(_me(request), pk=token_id)
    if row is None:
        raise NotFound("no such token")
    return _token_out(services.revoke_api_token(actor=_me(request), token=row))


@router.get(
    "/appointments",
    response={200: list[AppointmentOut], **ERRORS},
    summary="Your appointments as a representative",
)
def list_appointments(request: HttpRequest) -> list[dict[str, Any]]:
    """The appointments of the caller as representative, live first."""
    rows = queries.appointments_of(_me(request))
    return [_appointment_out(a) for a in rows]


@router.delete(
    "/appointments/{appointment_id}",
    response={200: AppointmentOut, **ERRORS},
    summary="Revoke an appointment",
    description="By the party that appointed (the employer's signing officer, the "
    "candidate) or by the representative. The appointment is kept as history.",
)
def revoke_appointment(request: HttpRequest, appointment_id: int) -> dict[str, Any]:
    """End an appointment."""
    appointment = Appointment.objects.filter(pk=appointment_id).first()
    if appointment is None:
        raise NotFound("no such appointment")
    revoked = services.revoke_appointment(actor=_me(request), appointment=appointment)
    return _appointment_out(revoked)
