"""The officer pages under /staff/draws/: list, propose with preview, detail, approve, execute.

Officers and managers act; auditors read everything and change nothing (403 on any
action); everyone else gets 404, as if the pages did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from nominee.accounts.roles import Role, has_role, is_staff_reader
from nominee.core.confirm import confirmation
from nominee.core.errors import DomainError
from nominee.core.views import page_not_found, permission_denied
from nominee.program import streams
from nominee.reference.models import region_label
from nominee.reference.queries import noc_titles
from nominee.scoring.policy import region_table_on

from . import services
from .criteria import EDUCATION_LABELS, DrawCriteria
from .forms import CancelForm, DrawForm
from .models import Draw
from .queries import draw_invitations, draws_for_staff, preview

View = Callable[..., HttpResponse]


def staff_reader(view: View) -> View:
    """Officers, managers and auditors only; 404 for anyone else."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_reader(request.user):
            return page_not_found(request, None)
        return view(request, *args, **kwargs)

    return wrapped


def _can_act(request: HttpRequest) -> bool:
    return has_role(request.user, Role.OFFICER, Role.MANAGER)


def staff_actor(view: View) -> View:
    """Officers and managers act; auditors get 403; anyone else 404."""

    @staff_reader
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _can_act(request):
            return permission_denied(request, None)
        return view(request, *args, **kwargs)

    return wrapped


def _targeting(criteria: DrawCriteria) -> dict[str, Any]:
    return {
        "nocs": noc_titles(criteria.noc_codes),
        "education": EDUCATION_LABELS.get(criteria.min_education or "", ""),
        "stream_name": streams.name(criteria.stream),
        "pathway_names": [streams.pathway_name(criteria.stream, p) for p in criteria.pathways],
        "region_names": [region_label(code) for code in criteria.regions],
        # Which table the regions were read in (decision 61), so the page explains itself.
        "region_table": region_table_on(criteria.draw_date) if criteria.regions else "",
    }


@staff_reader
def draw_list(request: HttpRequest) -> HttpResponse:
    """Every draw, newest first, with its status and result."""
    page = Paginator(draws_for_staff(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "draws/list.html",
        {"page_obj": page, "draws": page.object_list, "can_act": _can_act(request)},
    )


@staff_actor
@require_http_methods(["GET", "POST"])
def draw_propose(request: HttpRequest) -> HttpResponse:
    """The draw form. "Preview" shows the preview and writes nothing; POST proposes.

    The form's "Preview" button posts (``preview``), so that the CSRF token never lands
    in an address (decision 73c); a GET with the criteria in its query (a link) previews
    too.
    """
    context: dict[str, Any] = {"two_person_rule": services.two_person_rule()}
    status = 200
    if request.method == "POST" and "preview" in request.POST:
        form = DrawForm(request.POST)
        if form.is_valid() and form.criteria is not None:
            context["preview"] = preview(form.criteria)
            context.update(_targeting(form.criteria))
        else:
            status = 400
    elif request.method == "POST":
        form = DrawForm(request.POST)
        if form.is_valid() and form.criteria is not None:
            try:
                draw = services.propose_draw(
                    actor=request.user,
                    criteria=form.criteria,
                    note=form.cleaned_data.get("note") or "",
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Draw %(id)s proposed.") % {"id": draw.pk})
                return redirect("draws:detail", pk=draw.pk)
        status = 400
    elif "stream" in request.GET:
        form = DrawForm(request.GET)
        if form.is_valid() and form.criteria is not None:
            context["preview"] = preview(form.criteria)
            context.update(_targeting(form.criteria))
        else:
            status = 400
    else:
        initial: dict[str, Any] = {}
        if source := request.GET.get("like"):
            like = Draw.objects.filter(pk=source).first() if source.isdigit() else None
            if like is not None:
                initial = DrawForm.initial_from(DrawCriteria.from_draw(like))
        form = DrawForm(initial=initial or None)
    context["form"] = form
    return render(request, "draws/propose.html", context, status=status)


@staff_reader
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A draw: criteria, who proposed/approved/executed, the live preview or the result."""
    draw = get_object_or_404(draws_for_staff(), pk=pk)
    criteria = DrawCriteria.from_draw(draw)
    context: dict[str, Any] = {
        "draw": draw,
        "criteria": criteria,
        "can_act": _can_act(request),
        "is_manager": has_role(request.user, Role.MANAGER),
        "two_person_rule": services.two_person_rule(),
        "cancel_form": CancelForm(),
        **_targeting(criteria),
    }
    if draw.status == Draw.Status.EXECUTED:
        page = Paginator(draw_invitations(draw), 100).get_page(request.GET.get("page"))
        context["page_obj"] = page
        context["invitations"] = page.object_list
    elif draw.status != Draw.Status.CANCELLED:
        context["preview"] = preview(criteria)
    return render(request, "draws/detail.html", context)


def _act(request: HttpRequest, pk: int, action: Callable[[], Any], done: str) -> HttpResponse:
    get_object_or_404(Draw, pk=pk)
    try:
        action()
    except DomainError as error:
        if error.status == 403:
            messages.error(request, error.message)
        else:
            messages.warning(request, error.message)
    else:
        messages.success(request, done)
    return redirect("draws:detail", pk=pk)


def _confirm(
    request: HttpRequest, draw: Draw, *, title: str, sentences: list[str], button: str
) -> HttpResponse | None:
    """The confirmation page of an act on a draw not yet executed nor cancelled (decision
    73b); None when confirmed, or when the draw is settled (the service then says so)."""
    if draw.status not in (Draw.Status.PROPOSED, Draw.Status.APPROVED):
        return None
    return confirmation(
        request,
        title=title,
        consequences=[*sentences, _("This cannot be undone.")],
        button=button,
        cancel_url=reverse("draws:detail", args=[draw.pk]),
        carry=("reason",),
    )


def _would_invite(draw: Draw) -> str:
    """The draw's effect as the preview sees it now, in words."""
    found = preview(DrawCriteria.from_draw(draw))
    return ngettext(
        "Draw %(id)s will invite %(count)s candidate of %(stream)s (the preview now: "
        "%(eligible)s matching the targeting).",
        "Draw %(id)s will invite %(count)s candidates of %(stream)s (the preview now: "
        "%(eligible)s matching the targeting).",
        found.count,
    ) % {
        "id": draw.pk,
        "count": f"{found.count:,}",
        "stream": streams.name(draw.stream),
        "eligible": f"{found.eligible:,}",
    }


@staff_actor
@require_http_methods(["GET", "POST"])
def draw_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """A manager other than the proposer approves the draw, after confirming."""
    draw = get_object_or_404(Draw, pk=pk)
    page = _confirm(
        request,
        draw,
        title=_("Approve draw %(id)s") % {"id": pk},
        sentences=[
            _("Your approval lets draw %(id)s be executed.") % {"id": pk},
            _would_invite(draw),
        ],
        button=_("Approve draw %(id)s") % {"id": pk},
    )
    if page is not None:
        return page
    return _act(
        request,
        pk,
        lambda: services.approve_draw(actor=request.user, draw=pk),
        _("Draw %(id)s approved.") % {"id": pk},
    )


@staff_actor
@require_http_methods(["GET", "POST"])
def draw_execute(request: HttpRequest, pk: int) -> HttpResponse:
    """Execute the draw after confirming; executing it again changes nothing and says so."""
    draw = get_object_or_404(Draw, pk=pk)
    page = _confirm(
        request,
        draw,
        title=_("Execute draw %(id)s") % {"id": pk},
        sentences=[
            _would_invite(draw),
            _(
                "The invitations are issued at once: each candidate and employer is e-mailed, "
                "and the result is published."
            ),
        ],
        button=_("Execute draw %(id)s") % {"id": pk},
    )
    if page is not None:
        return page
    return _act(
        request,
        pk,
        lambda: services.execute_draw(actor=request.user, draw=pk),
        _("Draw %(id)s executed.") % {"id": pk},
    )


@staff_actor
@require_http_methods(["GET", "POST"])
def draw_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a draw that has not been executed, after confirming."""
    draw = get_object_or_404(Draw, pk=pk)
    form = CancelForm(request.POST if request.method == "POST" else request.GET)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    sentences = [_("Draw %(id)s will be cancelled: it can never be executed.") % {"id": pk}]
    if reason:
        sentences.append(_("The reason recorded: %(reason)s") % {"reason": reason})
    page = _confirm(
        request,
        draw,
        title=_("Cancel draw %(id)s") % {"id": pk},
        sentences=sentences,
        button=_("Cancel draw %(id)s") % {"id": pk},
    )
    if page is not None:
        return page
    return _act(
        request,
        pk,
        lambda: services.cancel_draw(actor=request.user, draw=pk, reason=reason),
        _("Draw %(id)s cancelled.") % {"id": pk},
    )
