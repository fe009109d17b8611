"""``/api/v1/policy/...``: the published policy versions (public: the program's rules are
public), and a manager's preview and publication of a new one (token or session)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from nominee.core.errors import NotFound, PermissionDenied
from nominee.core.schemas import ERRORS

from . import queries, services
from .models import PolicyKind

router = Router(tags=["policy"])


class VersionOut(Schema):
    """One version: its kind, date and state today, why it was published and when."""

    kind: str
    effective_from: date
    state: str
    reason: str
    published_at: datetime
    seeded: bool


class VersionDocumentOut(VersionOut):
    """A version with its document."""

    document: Any


class PreviewIn(Schema):
    """A proposed version."""

    kind: str
    effective_from: date
    document: dict[str, Any]


class PublishIn(PreviewIn):
    """A version to publish, with the reason."""

    reason: str


def _row(row: queries.VersionRow, *, document: bool = False) -> dict[str, Any]:
    v = row.version
    out: dict[str, Any] = {
        "kind": v.kind,
        "effective_from": v.effective_from,
        "state": row.state.value,
        "reason": v.reason,
        "published_at": v.published_at,
        "seeded": v.seeded,
    }
    if document:
        out["document"] = v.document
    return out


def _require_manager(request: HttpRequest) -> None:
    if not services.may_publish(request.user):
        raise PermissionDenied("only a program manager may preview or publish a policy version")


@router.get(
    "/policy/versions",
    auth=None,
    response={200: list[VersionOut], **ERRORS},
    summary="List the policy versions",
    description="Every published version (registry, policy, grid) with its state today.",
)
def list_versions(request: HttpRequest, kind: str | None = None) -> list[dict[str, Any]]:
    """The versions, by kind, newest first."""
    return [_row(r) for r in queries.policy_versions(kind=kind)]


@router.get(
    "/policy/versions/{kind}/{effective_from}",
    auth=None,
    response={200: VersionDocumentOut, **ERRORS},
    summary="Show one policy version with its document",
)
def show_version(request: HttpRequest, kind: str, effective_from: date) -> dict[str, Any]:
    """One version and its JSON document; 404 when there is none."""
    for row in queries.policy_versions(kind=kind):
        if row.version.effective_from == effective_from:
            return _row(row, document=True)
    raise NotFound(f"no {kind} version applies from {effective_from.isoformat()}")


@router.post(
    "/policy/preview",
    response={200: dict[str, Any], **ERRORS},
    summary="Preview a policy version (managers)",
    description=(
        "What the version would change: the rules against the version in force on its date, "
        "and how many live EOIs would change score. Writes nothing."
    ),
)
def preview(request: HttpRequest, payload: PreviewIn) -> dict[str, Any]:
    """The preview document (the same as ``nominee policy publish --dry-run --json``)."""
    _require_manager(request)
    return queries.preview_policy_version(
        kind=payload.kind, document=payload.document, effective_from=payload.effective_from
    ).as_dict()


@router.post(
    "/policy/versions",
    response={201: VersionDocumentOut, **ERRORS},
    summary="Publish a policy version (managers)",
)
def publish(request: HttpRequest, payload: PublishIn) -> Status:
    """Publish through ``services.publish_policy_version``; 201 with the version."""
    version = services.publish_policy_version(
        actor=request.user,
        kind=payload.kind,
        document=payload.document,
        effective_from=payload.effective_from,
        reason=payload.reason,
    )
    row = next(r for r in queries.policy_versions(kind=version.kind) if r.version == version)
    return Status(201, _row(row, document=True))


__all__ = ["PolicyKind", "router"]
