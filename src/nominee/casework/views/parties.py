"""The parties' pages: their files, starting or declining an invitation, the candidate's
wizard, the employer's filing, documents, answers, withdrawal and the letter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nominee.accounts.roles import is_staff_reader
from nominee.accounts.services import can_act_for
from nominee.core.confirm import confirmation
from nominee.core.errors import DomainError, NotFound
from nominee.draws.models import Invitation

from .. import details, documents, forms, queries, services
from ..letter import render_letter
from ..models import Application, Document
from ..states import UNDECIDED
from .common import (
    STEP_TITLES,
    STEPS,
    _card,
    _form_errors,
    _not_found,
    _open_invitations,
    _party_file,
)


@login_required
def my_files(request: HttpRequest) -> HttpResponse:
    """Every file the person is a party to (or represents), and invitations to start."""
    rows = (
        queries.applications_for(request.user)
        .select_related("position_approval", "nomination")
        .order_by("-created_at", "-id")
    )
    files = list(rows[:200])
    times = queries.processing_times() if files else None
    return render(
        request,
        "casework/my_files.html",
        {
            "cards": [_card(a, request.user, times) for a in files],
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
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """The candidate declines the invitation, after confirming (decision 73b)."""

    invitation = (
        Invitation.objects.filter(pk=invitation_id).select_related("eoi__candidate").first()
    )
    candidate = invitation.eoi.candidate if invitation is not None else None
    if (
        invitation is None
        or candidate is None
        or not can_act_for(request.user, candidate=candidate)
    ):
        return _not_found(request)
    names = {"eoi": invitation.eoi.external_id}
    page = confirmation(
        request,
        title=_("Decline the invitation of EOI %(eoi)s") % names,
        consequences=[
            _(
                "The invitation of EOI %(eoi)s is declined: no application can be made on it, "
                "and the EOI is closed."
            )
            % names,
            _("This cannot be undone."),
        ],
        button=_("Decline the invitation"),
        cancel_url=reverse("casework:mine"),
    )
    if page is not None:
        return page
    try:
        services.decline_invitation(actor=request.user, invitation=invitation)
    except NotFound:
        return _not_found(request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("casework:mine")
    messages.success(request, _("You declined the invitation; your EOI is closed."))
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
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate withdraws the application, after confirming (decision 73b)."""
    try:
        application = _party_file(request, pk)
    except NotFound:
        return _not_found(request)
    names = {"id": application.pk}
    page = confirmation(
        request,
        title=_("Withdraw application %(id)s") % names,
        consequences=[
            _(
                "Application %(id)s is withdrawn: the program stops its review, and it cannot "
                "lead to a nomination."
            )
            % names,
            _("This cannot be undone."),
        ],
        button=_("Withdraw the application"),
        cancel_url=reverse("casework:file", args=[application.pk]),
        carry=("text",),
    )
    if page is not None:
        return page
    try:
        services.withdraw_application(
            actor=request.user, application=application, reason=request.POST.get("text", "")
        )
        messages.success(request, _("The application is withdrawn."))
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
