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

from nominee.accounts.roles import Role, has_role, is_staff_reader
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
                messages.success(request, "Done.")
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
            try:
                services.set_allocation(
                    year=data["year"],
                    nominations=data["nominations"],
                    actor=request.user,
                    stream=data["stream"] or None,
                    when_spent=data["when_spent"] or None,
                )
                messages.success(request, "Allocation saved.")
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
