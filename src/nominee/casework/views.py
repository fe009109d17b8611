"""Casework pages: the parties' files, the candidate's wizard, the employer's filing,
documents and the letter, the officers' queue and file page, the allocation pages.
Thin: each parses a form, calls one service or query, and renders."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nominee.accounts.models import Appointment
from nominee.accounts.roles import Role, has_role, is_staff_reader
from nominee.core.errors import DomainError, NotFound
from nominee.core.timeutil import program_date, today
from nominee.core.views import page_not_found
from nominee.draws.models import Invitation
from nominee.program.models import Allocation

from . import details, documents, forms, queries, services
from .letter import render_letter
from .models import Application, Document
from .policy import casework_policy_at
from .states import UNDECIDED

STEPS = ("confirm", "identity", "status", "history", "family", "documents", "declaration")
STEP_TITLES = {
    "confirm": "Your EOI, as invited",
    "documents": "Supporting documents",
    "declaration": "Declaration and submission",
    **{s.key: s.title for s in details.SECTIONS},
}


def _not_found(request: HttpRequest) -> HttpResponse:
    return page_not_found(request, None)


def _form_errors(form: Any, error: DomainError) -> None:
    """A service's refusal shown on the form: per field where it names one."""
    placed = False
    for name, problems in error.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def _party_file(request: HttpRequest, pk: int) -> Application:
    found = queries.applications_for(request.user).filter(pk=pk).first()
    if found is None:
        raise NotFound("no such application")
    return found


def _open_invitations(user: Any) -> list[Any]:
    """Open invitations of the user's parties that have no file yet."""

    live = Appointment.objects.filter(representative__user=user, revoked_at__isnull=True)
    return list(
        Invitation.objects.filter(
            Q(eoi__candidate__user=user)
            | Q(eoi__candidate__in=live.values("candidate"))
            | Q(
                eoi__job_offer__employer__contacts__user=user,
                eoi__job_offer__employer__contacts__active=True,
            )
            | Q(eoi__job_offer__employer__in=live.values("employer")),
            status=Invitation.Status.OPEN,
            candidate_deadline__gte=today(),
            application__isnull=True,
        )
        .distinct()
        .select_related("eoi", "draw", "eoi__job_offer")
    )


def _card(application: Application, user: Any) -> dict[str, Any]:
    """What a party's dashboard says about one file: both parties' progress and deadlines."""
    invitation = application.invitation
    approval = getattr(application, "position_approval", None)
    parties = services.acts_for(user, application)
    employer_done = approval is not None and approval.status == "submitted"
    candidate_done = application.submitted_at is not None
    return {
        "application": application,
        "stage": services.stage_words(application),
        "is_candidate": "candidate" in parties,
        "is_employer": "employer" in parties,
        "candidate_done": candidate_done,
        "employer_done": employer_done,
        "needs_employer": approval is not None,
        "candidate_deadline": invitation.candidate_deadline,
        "employer_deadline": invitation.employer_deadline,
        "expected": queries.expected_decision(application),
        "nomination": getattr(application, "nomination", None),
    }


# ---- the parties ------------------------------------------------------------------------


@login_required
def my_files(request: HttpRequest) -> HttpResponse:
    """Every file the person is a party to (or represents), and invitations to start."""
    rows = (
        queries.applications_for(request.user)
        .select_related("position_approval", "nomination")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "casework/my_files.html",
        {
            "cards": [_card(a, request.user) for a in rows[:200]],
            "invitations": _open_invitations(request.user),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """Open the file of an invitation, then go to the party's part of it."""

    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        return _not_found(request)
    try:
        application = services.open_application(actor=request.user, invitation=invitation)
    except NotFound:
        return _not_found(request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("casework:mine")
    parties = services.acts_for(request.user, application)
    if "candidate" in parties:
        return redirect("casework:step", application.pk, STEPS[0])
    return redirect("casework:position_approval", application.pk)


@login_required
@require_POST
def decline(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """The candidate declines the invitation."""

    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        return _not_found(request)
    try:
        services.decline_invitation(actor=request.user, invitation=invitation)
    except NotFound:
        return _not_found(request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("casework:mine")
    messages.success(request, "You declined the invitation; your EOI is closed.")
    return redirect("casework:mine")


@login_required
def file_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A party's view of the file: stage, deadlines, the other party, history, answers."""
    if is_staff_reader(request.user):
        return redirect("casework:staff_file", pk)
    try:
        application = _party_file(request, pk)
    except NotFound:
        return _not_found(request)
    parties = services.acts_for(request.user, application)
    awaited = application.awaiting in parties and application.status in (
        Application.Status.INFO_REQUESTED,
        Application.Status.INTENT_TO_REFUSE,
    )
    card = _card(application, request.user)
    return render(
        request,
        "casework/file.html",
        {
            **card,
            "card_self": card,
            "events": queries.history(application, staff=False),
            "documents": application.documents.filter(party__in=parties),
            "answer_form": forms.TextForm() if awaited else None,
            "upload_form": forms.DocumentForm() if awaited else None,
            "awaited_party": application.awaiting if awaited else "",
            "can_withdraw": "candidate" in parties and application.status in UNDECIDED,
        },
    )


def _step_context(application: Application, step: str) -> dict[str, Any]:
    index = STEPS.index(step)
    return {
        "application": application,
        "step": index + 1,
        "steps": len(STEPS),
        "step_key": step,
        "title": STEP_TITLES[step],
        "back_url": reverse("casework:step", args=[application.pk, STEPS[index - 1]])
        if index
        else reverse("casework:mine"),
        "deadline": application.invitation.candidate_deadline,
    }


def _next(application: Application, step: str) -> HttpResponse:
    return redirect("casework:step", application.pk, STEPS[STEPS.index(step) + 1])


@login_required
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the candidate's application; each saves the draft before moving on."""
    try:
        application = _party_file(request, pk)
    except NotFound:
        return _not_found(request)
    if step not in STEPS or "candidate" not in services.acts_for(request.user, application):
        return _not_found(request)
    if application.status != Application.Status.DRAFT:
        return redirect("casework:file", pk)
    context = _step_context(application, step)
    status = 200
    if step == "confirm":
        if request.method == "POST":
            services.confirm_snapshot(actor=request.user, application=application)
            return _next(application, step)
        context["snapshot"] = application.snapshot
        context["confirmed"] = bool(application.details.get("confirmed_snapshot"))
        return render(request, "casework/step_confirm.html", context)
    if step == "documents":
        upload_form = forms.DocumentForm()
        if request.method == "POST":
            upload_form = forms.DocumentForm(request.POST, request.FILES)
            if "continue" in request.POST:
                return _next(application, step)
            if upload_form.is_valid():
                upload = upload_form.cleaned_data["file"]
                try:
                    services.add_document(
                        actor=request.user,
                        application=application,
                        party="candidate",
                        label=upload_form.cleaned_data["label"],
                        name=upload.name,
                        content=upload.read(),
                    )
                    messages.success(request, "Document added.")
                    return redirect("casework:step", pk, step)
                except DomainError as error:
                    _form_errors(upload_form, error)
            status = 400
        context.update(
            form=upload_form, documents=application.documents.filter(party="candidate"), upload=True
        )
        return render(request, "casework/step_documents.html", context, status=status)
    if step == "declaration":
        declaration = forms.DeclarationForm(request.POST or None)
        if request.method == "POST":
            if declaration.is_valid():
                try:
                    services.submit_application(
                        actor=request.user,
                        application=application,
                        declaration_name=declaration.cleaned_data["declaration_name"],
                    )
                    messages.success(request, "Your application is submitted.")
                    return redirect("casework:file", pk)
                except DomainError as error:
                    _form_errors(declaration, error)
                    for name, problems in error.fields.items():
                        if name not in declaration.fields:
                            for problem in problems:
                                declaration.add_error(
                                    None, f"{STEP_TITLES.get(name, name)}: {problem}"
                                )
            status = 400
        context.update(
            form=declaration,
            missing=[STEP_TITLES[k] for k in details.missing_sections(application.details)],
            fee=services.fee_for(application),
        )
        return render(request, "casework/step_declaration.html", context, status=status)
    saved = application.details.get(step) or {}
    section_form = forms.section_form(step, request.POST or None, initial=saved)
    if request.method == "POST":
        data = {name: request.POST.get(name, "") for name in section_form.fields}
        try:
            services.save_details(
                actor=request.user, application=application, section=step, data=data
            )
            return _next(application, step)
        except DomainError as error:
            section_form.is_valid()
            _form_errors(section_form, error)
            status = 400
    context["form"] = section_form
    return render(request, "casework/step_section.html", context, status=status)


@login_required
def position_approval(request: HttpRequest, pk: int) -> HttpResponse:
    """The employer's position approval: the job offer confirmed, documents, declaration."""
    try:
        application = _party_file(request, pk)
    except NotFound:
        return _not_found(request)
    approval = getattr(application, "position_approval", None)
    if approval is None or "employer" not in services.acts_for(request.user, application):
        return _not_found(request)
    form = forms.PositionApprovalForm(
        request.POST or None,
        initial={
            "offer_confirmed": approval.offer_confirmed,
            "declaration_name": approval.declaration_name,
        },
    )
    upload = forms.DocumentForm()
    status = 200
    if request.method == "POST" and approval.status == "draft":
        try:
            if "upload" in request.POST:
                upload = forms.DocumentForm(request.POST, request.FILES)
                if upload.is_valid():
                    file = upload.cleaned_data["file"]
                    services.add_document(
                        actor=request.user,
                        application=application,
                        party="employer",
                        label=upload.cleaned_data["label"],
                        name=file.name,
                        content=file.read(),
                    )
                    messages.success(request, "Document added.")
                    return redirect("casework:position_approval", pk)
                status = 400
            elif form.is_valid():
                services.save_position_approval(
                    actor=request.user,
                    application=application,
                    offer_confirmed=form.cleaned_data["offer_confirmed"],
                    declaration_name=form.cleaned_data["declaration_name"],
                )
                if "submit" in request.POST:
                    services.submit_position_approval(
                        actor=request.user,
                        application=application,
                        declaration_name=form.cleaned_data["declaration_name"],
                    )
                    messages.success(request, "The position approval is submitted.")
                    return redirect("casework:file", pk)
                messages.success(request, "Draft saved.")
                return redirect("casework:position_approval", pk)
        except DomainError as error:
            _form_errors(upload if "upload" in request.POST else form, error)
            status = 400
    return render(
        request,
        "casework/position_approval.html",
        {
            "application": application,
            "approval": approval,
            "form": form,
            "upload_form": upload,
            "documents": application.documents.filter(party="employer"),
            "deadline": application.invitation.employer_deadline,
        },
        status=status,
    )


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A party adds a document in answer to the program's request."""
    try:
        application = _party_file(request, pk)
    except NotFound:
        return _not_found(request)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        file = form.cleaned_data["file"]
        try:
            services.add_document(
                actor=request.user,
                application=application,
                party=application.awaiting or "candidate",
                label=form.cleaned_data["label"],
                name=file.name,
                content=file.read(),
            )
            messages.success(request, "Document added.")
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "Choose a file and say what it is.")
    return redirect("casework:file", pk)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A party answers a request for information or a notice of intent to refuse."""
    try:
        application = _party_file(request, pk)
    except NotFound:
        return _not_found(request)
    text = request.POST.get("text", "")
    try:
        if application.status == Application.Status.INTENT_TO_REFUSE:
            services.respond_to_notice(actor=request.user, application=application, text=text)
        else:
            services.answer_request(actor=request.user, application=application, text=text)
        messages.success(request, "Your answer is sent.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("casework:file", pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate withdraws the application."""
    try:
        application = _party_file(request, pk)
        services.withdraw_application(
            actor=request.user, application=application, reason=request.POST.get("text", "")
        )
        messages.success(request, "The application is withdrawn.")
    except NotFound:
        return _not_found(request)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("casework:file", pk)


@login_required
def download(request: HttpRequest, pk: int, document_id: int) -> HttpResponse | FileResponse:
    """A document, as an attachment, to staff and to the party that filed it; else 404."""
    document = (
        Document.objects.filter(pk=document_id, application_id=pk)
        .select_related("application__eoi__candidate", "application__eoi__job_offer__employer")
        .first()
    )
    if document is None:
        return _not_found(request)
    allowed = is_staff_reader(request.user) or document.party in services.acts_for(
        request.user, document.application
    )
    if not allowed:
        return _not_found(request)
    response = FileResponse(
        documents.path_of(document.storage_name).open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The nomination letter: to the candidate, their representative and staff; else 404."""

    application = (
        Application.objects.filter(pk=pk)
        .select_related("eoi__candidate", "eoi__job_offer__employer", "nomination__allocation")
        .first()
    )
    nomination = getattr(application, "nomination", None) if application else None
    if application is None or nomination is None:
        return _not_found(request)
    if not (
        is_staff_reader(request.user) or "candidate" in services.acts_for(request.user, application)
    ):
        return _not_found(request)
    response = HttpResponse(render_letter(nomination), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{nomination.certificate}.pdf"'
    return response


# ---- staff ----------------------------------------------------------------------------


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


# ---- public ---------------------------------------------------------------------------


def public_allocation(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The public allocation page: counts only, small ones shown as "<5"."""
    from django.core.cache import cache

    year = year or today().year
    key = f"casework:public-allocation:{year}:{today().isoformat()}"
    context = cache.get(key)
    if context is None:
        try:
            document = queries.allocation_document(year)
        except NotFound:
            return _not_found(request)
        outstanding = queries.invitations_outstanding()
        times = queries.processing_times()
        context = {
            "year": year,
            "nominations": document["nominations"],
            "issued": document["issued"],
            "remaining": document["remaining"],
            "streams": [
                {
                    "stream": stream,
                    "share": row["nominations"],
                    "issued": queries.small(row["issued"]),
                    "remaining": (row["nominations"] - row["issued"])
                    if row["nominations"] is not None
                    else None,
                    "outstanding": queries.small(outstanding[stream]),
                    "median": times[stream].median_days,
                    "decided": queries.small(times[stream].decided),
                    "oldest": times[stream].oldest_submitted_on,
                }
                for stream, row in document["by_stream"].items()
            ],
            "outstanding": queries.small(sum(outstanding.values())),
            "window": casework_policy_at(today()).processing_window_days,
        }
        cache.set(key, context, 300)
    return render(request, "casework/public_allocation.html", context)
