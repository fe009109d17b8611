"""The staff pages: the officers' queue, the file page with its decisions, the allocation
dashboard."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from nominee.accounts.roles import Role, has_role, is_staff_reader
from nominee.core.confirm import confirmation
from nominee.core.errors import DomainError, NotFound
from nominee.core.timeutil import program_date, today
from nominee.program.models import Allocation

from .. import details, forms, queries, services
from ..models import Application
from ..states import UNDECIDED
from .common import _form_errors, _not_found


@login_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    """The officers' queue: complete, undecided files, oldest first, 50 a page."""
    if not is_staff_reader(request.user):
        return _not_found(request)
    form = forms.QueueFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "stream": form.cleaned_data["stream"] or None,
            "status": form.cleaned_data["status"] or None,
            "assignee": request.user if form.cleaned_data["mine"] else None,
        }
    page = Paginator(queries.queue(**filters), 50).get_page(request.GET.get("page"))
    on = today()
    rows = [
        {
            "application": a,
            "age": (on - program_date(a.ready_at)).days if a.ready_at else None,
            "stage": a.get_status_display(),
        }
        for a in page.object_list
    ]
    return render(
        request,
        "casework/staff_queue.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


@login_required
def staff_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole file for staff: parts, documents, every history entry, decision forms."""
    if not is_staff_reader(request.user):
        return _not_found(request)
    application = (
        Application.objects.filter(pk=pk)
        .select_related("eoi", "invitation", "assignee", "eoi__job_offer__employer")
        .first()
    )
    if application is None:
        return _not_found(request)
    can_act = has_role(request.user, Role.OFFICER, Role.MANAGER)
    form = forms.DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_act:
            return HttpResponse("auditors read files; they do not act on them", status=403)
        if form.is_valid():
            data = form.cleaned_data
            page = _confirm_decision(request, application, data)
            if page is not None:
                return page
            try:
                services.decide(
                    actor=request.user,
                    application=application,
                    action=data["action"],
                    text=data["text"],
                    party=data["party"] or "candidate",
                    respond_by=data["respond_by"],
                    officer_email=data["officer"] or None,
                )
                messages.success(request, _("Done."))
                return redirect("casework:staff_file", pk)
            except DomainError as error:
                _form_errors(form, error)
        status = 400
    return render(
        request,
        "casework/staff_file.html",
        {
            "application": application,
            "approval": getattr(application, "position_approval", None),
            "nomination": getattr(application, "nomination", None),
            "events": queries.history(application, staff=True),
            "documents": application.documents.all(),
            "sections": [(s, application.details.get(s.key) or {}) for s in details.SECTIONS],
            "form": form if can_act else None,
            "stage": services.stage_words(application),
        },
        status=status,
    )


# The decisions that cannot be taken back: each asks for a confirmation (decision 73b).
FINAL_DECISIONS = ("approve", "refuse", "return", "intent_to_refuse", "fee_refunded")
DECISION_FIELDS = ("action", "text", "party", "respond_by", "officer")


def _confirm_decision(
    request: HttpRequest, application: Application, data: dict[str, Any]
) -> HttpResponse | None:
    """The confirmation page of a final decision on a file; None once confirmed or for a
    decision that can be taken back (claim, assign, request, hold, fee received)."""
    action = data["action"]
    if action not in FINAL_DECISIONS:
        return None
    names = {"id": application.pk, "eoi": application.eoi.external_id}
    restated = {
        "approve": _(
            "Application %(id)s (EOI %(eoi)s) is approved: the candidate is nominated, the "
            "nomination is counted against the year's allocation, and the parties are told."
        ),
        "refuse": _(
            "Application %(id)s (EOI %(eoi)s) is refused with the reasons given, and the "
            "parties are told."
        ),
        "return": _(
            "Application %(id)s (EOI %(eoi)s) is returned unprocessed, and the parties are told."
        ),
        "intent_to_refuse": _(
            "A notice of intent to refuse application %(id)s (EOI %(eoi)s) is sent to the "
            "candidate with the reasons given."
        ),
        "fee_refunded": _("The fee of application %(id)s (EOI %(eoi)s) is recorded as refunded."),
    }[action]
    sentences = [restated % names]
    if data.get("text"):
        sentences.append(_("Reasons, message or reference: %(text)s") % {"text": data["text"]})
    sentences.append(_("This cannot be undone."))
    titles = {
        "approve": _("Approve application %(id)s"),
        "refuse": _("Refuse application %(id)s"),
        "return": _("Return application %(id)s"),
        "intent_to_refuse": _("Notice of intent to refuse application %(id)s"),
        "fee_refunded": _("Record the refund of application %(id)s"),
    }
    title = titles[action] % names
    return confirmation(
        request,
        title=title,
        consequences=sentences,
        button=title,
        cancel_url=reverse("casework:staff_file", args=[application.pk]),
        carry=DECISION_FIELDS,
    )


def _confirm_allocation(request: HttpRequest, data: dict[str, Any]) -> HttpResponse | None:
    """The confirmation page of a manager's new allocation; None once confirmed."""
    names = {"year": data["year"], "n": f"{data['nominations']:,}"}
    sentence = (
        _("The allocation of %(year)s becomes %(n)s nominations for the stream %(stream)s.")
        % {**names, "stream": data["stream"]}
        if data["stream"]
        else _("The allocation of %(year)s becomes %(n)s nominations for the whole year.") % names
    )
    consequences = [
        sentence,
        _(
            "Nominations and the draws' allocation checks count against the new figure from "
            "now on, and the public allocation page shows it; the change is audited."
        ),
    ]
    return confirmation(
        request,
        title=_("Set the allocation of %(year)s") % names,
        consequences=consequences,
        button=_("Set the allocation of %(year)s") % names,
        cancel_url=f"{reverse('casework:staff_allocation')}?year={data['year']}",
        carry=("year", "nominations", "stream", "when_spent"),
    )


def _dashboard(year: int) -> dict[str, Any]:
    """The staff dashboard's figures for a year."""
    document = queries.allocation_document(year)
    stages = queries.stage_counts()
    outstanding = sum(queries.invitations_outstanding().values())
    in_review = sum(stages[s] for s in UNDECIDED)
    rate = queries.approval_rate()
    applying = queries.application_rate()
    projected = None
    if rate is not None:
        # Outstanding invitations become files at the observed rate, files nominations at theirs.
        expected_files = in_review + outstanding * (applying if applying is not None else 1.0)
        projected = round(expected_files * rate)
    return {
        "document": document,
        "stages": [(Application.Status(s).label, n) for s, n in stages.items()],
        "outstanding": outstanding,
        "in_review": in_review,
        "rate": rate,
        "applying": applying,
        "projected": projected,
        "over": projected is not None and projected > document["remaining"],
    }


@login_required
def staff_allocation(request: HttpRequest) -> HttpResponse:
    """The staff dashboard: allocation, stages, and what the pipeline would bring; managers
    set the figures here (the same service as the command and the admin)."""
    if not is_staff_reader(request.user):
        return _not_found(request)
    is_manager = has_role(request.user, Role.MANAGER)
    year = today().year
    with contextlib.suppress(ValueError):
        year = int(request.GET.get("year", year))
    form = forms.AllocationForm(request.POST or None, initial={"year": year})
    status = 200
    if request.method == "POST":
        if not is_manager:
            return HttpResponse("only managers set allocations", status=403)
        if form.is_valid():
            data = form.cleaned_data
            page = _confirm_allocation(request, data)
            if page is not None:
                return page
            try:
                services.set_allocation(
                    year=data["year"],
                    nominations=data["nominations"],
                    actor=request.user,
                    stream=data["stream"] or None,
                    when_spent=data["when_spent"] or None,
                )
                messages.success(request, _("Allocation saved."))
                return redirect(f"{reverse('casework:staff_allocation')}?year={data['year']}")
            except DomainError as error:
                _form_errors(form, error)
        status = 400
    try:
        figures = _dashboard(year)
    except NotFound:
        figures = None
    return render(
        request,
        "casework/staff_allocation.html",
        {
            "year": year,
            "figures": figures,
            "form": form if is_manager else None,
            "years": Allocation.objects.values_list("year", flat=True),
        },
        status=status,
    )
