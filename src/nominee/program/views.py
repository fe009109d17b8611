"""The policy page (``/staff/policy/``): the versions by kind, each one's document, and a
manager's publish form with its preview and confirmation."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nominee.core.errors import DomainError

from . import queries, services
from .forms import PublishVersionForm
from .models import PolicyKind

#: Officers, managers and auditors hold the program app's view permissions
#: (``accounts.roles.ensure_staff_groups``); program sits below accounts and reads them so.
READ_PERMISSION = "program.view_policyversion"


def _require_reader(request: HttpRequest) -> None:
    if not request.user.has_perm(READ_PERMISSION):
        raise Http404


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    """The versions of each kind with their state, author and reason."""
    _require_reader(request)
    rows = queries.policy_versions()
    kinds = [
        (value, label, [r for r in rows if r.version.kind == value])
        for value, label in PolicyKind.choices
    ]
    return render(
        request,
        "program/policy_list.html",
        {"kinds": kinds, "may_publish": services.may_publish(request.user)},
    )


@login_required
def policy_detail(request: HttpRequest, kind: str, effective_from: str) -> HttpResponse:
    """One version's document, readable."""
    _require_reader(request)
    try:
        version = queries.policy_version(kind, date.fromisoformat(effective_from))
    except (ValueError, DomainError):
        raise Http404 from None
    state = next(r.state for r in queries.policy_versions(kind=kind) if r.version == version)
    return render(
        request,
        "program/policy_detail.html",
        {
            "version": version,
            "state": state,
            "text": json.dumps(version.document, indent=2, ensure_ascii=False),
        },
    )


@login_required
def policy_publish(request: HttpRequest) -> HttpResponse:
    """A manager's publication: the form, then its preview and a confirmation, then the
    service. Officers and auditors get 403; anyone else 404."""
    _require_reader(request)
    if not services.may_publish(request.user):
        raise PermissionDenied
    form = PublishVersionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    context: dict[str, Any] = {"form": form}
    if request.method != "POST":
        return render(request, "program/policy_publish.html", context)
    if not form.is_valid():
        return render(request, "program/policy_publish.html", context, status=400)
    data = form.cleaned_data
    try:
        if not data.get("confirm"):
            context["preview"] = queries.preview_policy_version(
                kind=data["kind"], document=data["parsed"], effective_from=data["effective_from"]
            )
            context["confirm_form"] = PublishVersionForm(
                initial={
                    "kind": data["kind"],
                    "effective_from": data["effective_from"].isoformat(),
                    "reason": data["reason"],
                    "document": data["document"],
                    "confirm": True,
                }
            )
            context["kind_label"] = PolicyKind(data["kind"]).label
            return render(request, "program/policy_publish.html", context)
        version = services.publish_policy_version(
            actor=request.user,
            kind=data["kind"],
            document=data["parsed"],
            effective_from=data["effective_from"],
            reason=data["reason"],
        )
    except DomainError as error:
        form.add_service_errors(error.message, error.fields)
        return render(request, "program/policy_publish.html", context, status=400)
    messages.success(
        request,
        _("Published: %(version)s, in force from %(date)s.")
        % {"version": version, "date": version.effective_from.isoformat()},
    )
    return redirect("program:policy_list")
