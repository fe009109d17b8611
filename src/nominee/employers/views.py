"""Pages of the employer portal and the program office's employer pages.

Every page of a business answers 404 to anyone who may not see it (its existence is
private): people who act for it (contacts, appointed representatives) and staff readers.
Staff see the same pages read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nominee.accounts import services as account_services
from nominee.accounts.models import Appointment, OutgoingEmail, User
from nominee.accounts.roles import Role, has_role, is_staff_reader
from nominee.audit.services import history
from nominee.core import panels
from nominee.core.confirm import confirmation
from nominee.core.service_forms import posted, run_action, run_form
from nominee.core.timeutil import today
from nominee.core.views import page_not_found
from nominee.reference.models import Noc

from . import queries, services
from .forms import (
    AppointForm,
    ApproveRegistrationForm,
    BusinessForm,
    EmployerForm,
    InviteContactForm,
    JobOfferForm,
    LocationForm,
    LockedJobOfferForm,
    RefuseRegistrationForm,
    ReviewForm,
    WithdrawForm,
)
from .models import EmployerContact, EmployerRegistration, JobOffer


def _me(request: HttpRequest) -> User:
    """The signed-in user (views and operations here require authentication)."""
    return cast(User, request.user)


def _not_found(request: HttpRequest) -> HttpResponse:
    return page_not_found(request, None)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The employer dashboard: the business (or a choice of them), else an offer to register."""
    employers = list(queries.employers_for(_me(request)).order_by("legal_name"))
    if len(employers) == 1 and not request.GET.get("all"):
        return redirect("employers:detail", employers[0].pk)
    return render(
        request,
        "employers/dashboard.html",
        {"employers": employers, "is_staff_reader": is_staff_reader(_me(request))},
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Register a business and its first work location; you become its signing officer."""
    form = EmployerForm(posted(request))
    return run_form(
        request,
        form,
        lambda data: services.register_employer(actor=_me(request), **data),
        page=lambda status: render(
            request,
            "employers/register.html",
            {"form": form, "unconfirmed": _me(request).email_confirmed_at is None},
            status=status,
        ),
        success=_("The business is registered. You are its signing officer."),
        redirect_to=_detail_url,
    )


def _employer_context(request: HttpRequest, employer: Any) -> dict[str, Any]:
    role = queries.role_at(_me(request), employer)
    offers = queries.with_effective_status_many(
        employer.job_offers.select_related("noc", "location__census_division").order_by(
            "-submitted_at"
        )
    )
    for offer in offers:
        offer.position_approval_due = queries.position_approval_due(offer)  # type: ignore[attr-defined]
    appointments = Appointment.objects.filter(employer=employer).select_related(
        "representative__user", "appointed_by", "revoked_by"
    )
    return {
        "employer": employer,
        "role": role,
        "can_act": role is not None,
        "is_signing_officer": role == "signing_officer",
        "eligibility": queries.eligibility_by_location(employer),
        "offers": offers,
        "contacts": EmployerContact.objects.filter(employer=employer)
        .select_related("user")
        .order_by("-is_signing_officer", "created_at"),
        "live_appointments": [a for a in appointments if a.revoked_at is None],
        "past_appointments": [a for a in appointments if a.revoked_at is not None],
        "statuses": JobOffer.Status,
        **_registration_context(employer, role, _me(request)),
        # The invitations panel comes from draws, above this app (core.panels).
        **panels.context("employers.detail", employer),
    }


def _registration_context(employer: Any, role: str | None, user: User) -> dict[str, Any]:
    """The business's registration with the program: its state, history, and whether the
    rule applies today (what the business page explains)."""
    state = queries.registration_state(employer)
    on = today()
    return {
        "registration_state": state,
        "registration_history": queries.registration_history(employer),
        "registration_required_today": queries.registration_required(on),
        "registration_required_since": queries.registration_required_since(on),
        "registration_failure": queries.registration_failure(employer, on),
        # The business's own contacts ask; a representative does not (docs/decisions.md).
        "can_request_registration": role in ("signing_officer", "contact")
        and state in (queries.NOT_REGISTERED_STATE, EmployerRegistration.Status.REFUSED),
        "can_decide_registration": has_role(user, *services.REGISTRATION_DECIDERS),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One business: eligibility per location (failing rules named), offers, people."""
    employer = queries.employer_for(_me(request), pk)
    if employer is None:
        return _not_found(request)
    return render(request, "employers/detail.html", _employer_context(request, employer))


def _acting_employer(request: HttpRequest, pk: int) -> Any:
    """The employer if the person may act for it (not merely read it as staff)."""
    employer = queries.employers_for(_me(request)).filter(pk=pk).first()
    return employer


def _detail_url(employer: Any) -> str:
    return reverse("employers:detail", args=[employer.pk])


def _offer_url(offer: JobOffer) -> str:
    return reverse("employers:offer", args=[offer.public_id])


def _form_page(
    request: HttpRequest, template: str, form: Any, context: dict[str, Any]
) -> Callable[[int], HttpResponse]:
    """The form page to show, by status (``run_form``'s ``page``)."""
    return lambda status: render(request, template, {"form": form, **context}, status=status)


@login_required
def add_location(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a work location."""
    employer = _acting_employer(request, pk)
    if employer is None:
        return _not_found(request)
    form = LocationForm(posted(request))
    return run_form(
        request,
        form,
        lambda data: services.add_work_location(actor=_me(request), employer=employer, **data),
        page=_form_page(
            request,
            "employers/location_form.html",
            form,
            {
                "employer": employer,
                "page_title": _("Add a work location"),
                "submit_label": _("Add the location"),
            },
        ),
        success=_("The work location is added."),
        redirect_to=_detail_url(employer),
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the business's facts; the CRA business number is shown, not editable."""
    employer = _acting_employer(request, pk)
    if employer is None:
        return _not_found(request)
    initial = {name: getattr(employer, name) for name in BusinessForm.base_fields}
    form = BusinessForm(posted(request), initial=initial)
    return run_form(
        request,
        form,
        lambda data: services.update_employer(actor=_me(request), employer=employer, **data),
        page=_form_page(
            request,
            "employers/edit_form.html",
            form,
            {"employer": employer, "unconfirmed": _me(request).email_confirmed_at is None},
        ),
        success=_(
            "The business's details are saved; the employer requirements at each "
            "work location are judged with them."
        ),
        redirect_to=_detail_url(employer),
        unchanged_to=_detail_url(employer),
    )


@login_required
def edit_location(request: HttpRequest, pk: int, location_pk: int) -> HttpResponse:
    """Correct a work location (census division, municipality, address, employees)."""
    employer = _acting_employer(request, pk)
    location = (
        employer.locations.select_related("census_division").filter(pk=location_pk).first()
        if employer
        else None
    )
    if location is None:
        return _not_found(request)
    initial = {
        "census_division": location.census_division_id,
        "municipality": location.municipality,
        "street_address": location.street_address,
        "full_time_employees": location.full_time_employees,
    }
    form = LocationForm(posted(request), initial=initial)
    return run_form(
        request,
        form,
        lambda data: services.update_work_location(actor=_me(request), location=location, **data),
        page=_form_page(
            request,
            "employers/location_edit_form.html",
            form,
            {
                "employer": employer,
                "location": location,
                "unconfirmed": _me(request).email_confirmed_at is None,
                "page_title": _("Change a work location"),
                "submit_label": _("Save the location"),
            },
        ),
        success=_(
            "The work location is saved; the employer requirements there are judged with it."
        ),
        redirect_to=_detail_url(employer),
        unchanged_to=_detail_url(employer),
    )


@login_required
def invite_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The signing officer invites another contact."""
    employer = _acting_employer(request, pk)
    if employer is None:
        return _not_found(request)
    form = InviteContactForm(posted(request))
    return run_form(
        request,
        form,
        lambda data: services.invite_contact(actor=_me(request), employer=employer, **data),
        page=_form_page(
            request,
            "employers/invite_form.html",
            form,
            {
                "employer": employer,
                "page_title": _("Invite a contact"),
                "submit_label": _("Send the invitation"),
            },
        ),
        success=_("The invitation is sent."),
        redirect_to=_detail_url(employer),
        forbidden_to=_detail_url(employer),
    )


@login_required
@require_http_methods(["GET", "POST"])
def remove_contact(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    """The signing officer removes a contact, after confirming (decision 73b)."""
    employer = _acting_employer(request, pk)
    contact = (
        EmployerContact.objects.filter(pk=contact_pk, employer=employer).first()
        if employer
        else None
    )
    if contact is None:
        return _not_found(request)
    names = {"person": contact.user.display_name, "employer": employer}
    page = confirmation(
        request,
        title=_("Remove %(person)s") % names,
        consequences=[
            _(
                "%(person)s is removed from the contacts of %(employer)s: they can no longer "
                "see or act for the business. Only a new invitation brings them back."
            )
            % names
        ],
        button=_("Remove the contact"),
        cancel_url=_detail_url(employer),
    )
    if page is not None:
        return page
    return run_action(
        request,
        lambda: services.remove_contact(actor=_me(request), contact=contact),
        success=_("The contact is removed."),
        redirect_to=_detail_url(employer),
    )


@login_required
def appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """The signing officer appoints a representative."""
    employer = _acting_employer(request, pk)
    if employer is None:
        return _not_found(request)
    form = AppointForm(posted(request))
    return run_form(
        request,
        form,
        lambda data: account_services.appoint_representative(
            actor=_me(request), representative=data["representative"], employer=employer
        ),
        page=_form_page(
            request,
            "employers/appoint_form.html",
            form,
            {
                "employer": employer,
                "page_title": _("Appoint a representative"),
                "submit_label": _("Appoint"),
            },
        ),
        success=_("The representative is appointed and told by e-mail."),
        redirect_to=_detail_url(employer),
        forbidden_to=_detail_url(employer),
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoke_appointment(request: HttpRequest, pk: int, appointment_pk: int) -> HttpResponse:
    """The signing officer ends a representative's appointment (kept as history), after
    confirming (decision 73b)."""
    employer = _acting_employer(request, pk)
    appointment = (
        Appointment.objects.filter(pk=appointment_pk, employer=employer)
        .select_related("representative__user")
        .first()
        if employer
        else None
    )
    if appointment is None:
        return _not_found(request)
    names = {"person": appointment.representative.user.display_name, "employer": employer}
    page = confirmation(
        request,
        title=_("Revoke the appointment of %(person)s") % names,
        consequences=[
            _(
                "%(person)s can no longer act for %(employer)s; the appointment stays in the "
                "business's history. Only a new appointment brings them back."
            )
            % names
        ],
        button=_("Revoke the appointment"),
        cancel_url=_detail_url(employer),
    )
    if page is not None:
        return page
    return run_action(
        request,
        lambda: account_services.revoke_appointment(actor=_me(request), appointment=appointment),
        success=_("The appointment is revoked."),
        redirect_to=_detail_url(employer),
    )


def _noc_context() -> dict[str, Any]:
    return {
        "nocs": Noc.objects.only("code", "title", "title_fr", "title_fr_official").order_by("code")
    }


def _offer_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "stream": data["stream"],
        "location": int(data["location"]),
        "noc": data["noc"],
        "job_title": data["job_title"],
        "hourly_wage": data["hourly_wage"],
        "annual_salary": data["annual_salary"],
        "hours_per_week": data["hours_per_week"],
        "permanent": data["permanent"],
        "candidate_name": data["candidate_name"],
        "candidate_email": data["candidate_email"],
    }


@login_required
def submit_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit a job offer; on success, its page shows the Job Offer ID."""
    employer = _acting_employer(request, pk)
    if employer is None:
        return _not_found(request)
    initial = {"permanent": "yes", "hours_per_week": "40"}
    form = JobOfferForm(posted(request), employer=employer, initial=initial)
    return run_form(
        request,
        form,
        lambda data: services.submit_job_offer(
            actor=_me(request), employer=employer, **_offer_kwargs(data)
        ),
        page=_form_page(
            request,
            "employers/offer_form.html",
            form,
            {
                "employer": employer,
                "unconfirmed": _me(request).email_confirmed_at is None,
                **_noc_context(),
            },
        ),
        success=lambda offer: (
            _(
                "The job offer is submitted. Its Job Offer ID is %(id)s: "
                "we e-mailed it to the candidate."
            )
            % {"id": offer.public_id}
        ),
        redirect_to=_offer_url,
    )


@login_required
def offer_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One job offer: its ID, status, named flags, e-mails and history."""
    offer = queries.offer_for(_me(request), public_id)
    if offer is None:
        return _not_found(request)
    role = queries.role_at(_me(request), offer.employer)
    return render(
        request,
        "employers/offer_detail.html",
        {
            "offer": offer,
            "employer": offer.employer,
            "can_act": role is not None,
            "can_review": has_role(_me(request), Role.OFFICER) and offer.needs_review,
            "awaiting": offer.status == JobOffer.Status.AWAITING_EOI,
            "position_approval_due": queries.position_approval_due(offer),
            "events": history(offer)[:50],
            "emails": OutgoingEmail.objects.filter(job_offer=offer),
            "withdraw_form": WithdrawForm(),
            "review_form": ReviewForm(),
            "locked_fields": services.LOCKED_WITH_REPRESENTATIVE
            if queries.has_live_representative(offer.employer)
            else (),
        },
    )


@login_required
def edit_offer(request: HttpRequest, public_id: str) -> HttpResponse:
    """Change an offer awaiting the candidate's EOI (some fields locked with a representative)."""
    offer = queries.offer_for(_me(request), public_id)
    if offer is None or queries.role_at(_me(request), offer.employer) is None:
        return _not_found(request)
    locked = (
        services.LOCKED_WITH_REPRESENTATIVE
        if queries.has_live_representative(offer.employer)
        else ()
    )
    initial = {
        "stream": offer.stream,
        "location": offer.location_id,
        "noc": offer.noc_id,
        "job_title": offer.job_title,
        "hourly_wage": None if offer.annual_salary else offer.hourly_wage,
        "annual_salary": offer.annual_salary,
        "hours_per_week": offer.hours_per_week,
        "permanent": "yes" if offer.permanent else "no",
        "candidate_name": offer.candidate_name,
        "candidate_email": offer.candidate_email,
    }
    form = LockedJobOfferForm(
        posted(request), employer=offer.employer, locked=locked, initial=initial
    )

    def change(data: dict[str, Any]) -> JobOffer:
        changes = {k: v for k, v in _offer_kwargs(data).items() if k not in locked}
        return services.update_job_offer(actor=_me(request), offer=offer, **changes)

    return run_form(
        request,
        form,
        change,
        page=_form_page(
            request,
            "employers/offer_form.html",
            form,
            {"employer": offer.employer, "offer": offer, "unconfirmed": False, **_noc_context()},
        ),
        success=_("The job offer is changed."),
        redirect_to=_offer_url(offer),
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_offer(request: HttpRequest, public_id: str) -> HttpResponse:
    """Withdraw an offer awaiting the candidate's EOI, after confirming (decision 73b)."""
    offer = queries.offer_for(_me(request), public_id)
    if offer is None or queries.role_at(_me(request), offer.employer) is None:
        return _not_found(request)
    form = WithdrawForm(request.POST if request.method == "POST" else request.GET)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    names = {"id": offer.public_id, "name": offer.candidate_name}
    sentences = [
        _(
            "Job offer %(id)s is withdrawn: %(name)s can no longer quote it in an EOI, and is "
            "told by e-mail."
        )
        % names
    ]
    if reason:
        sentences.append(_("The reason recorded: %(reason)s") % {"reason": reason})
    sentences.append(_("This cannot be undone."))
    page = confirmation(
        request,
        title=_("Withdraw job offer %(id)s") % names,
        consequences=sentences,
        button=_("Withdraw the offer"),
        cancel_url=_offer_url(offer),
        carry=("reason",),
    )
    if page is not None:
        return page
    return run_action(
        request,
        lambda: services.withdraw_job_offer(actor=_me(request), offer=offer, reason=reason),
        success=_("The job offer is withdrawn; the candidate is told by e-mail."),
        redirect_to=_offer_url(offer),
    )


@login_required
@require_POST
def review_offer(request: HttpRequest, public_id: str) -> HttpResponse:
    """An officer records their review of an offer's flags."""
    if not has_role(_me(request), Role.OFFICER):
        return _not_found(request)
    offer = queries.offer_for(_me(request), public_id)
    if offer is None:
        return _not_found(request)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what you checked."))
        return redirect("employers:offer", offer.public_id)
    note = form.cleaned_data["note"]
    return run_action(
        request,
        lambda: services.review_job_offer(officer=_me(request), offer=offer, note=note),
        success=_("Your review is recorded."),
        redirect_to=_offer_url(offer),
    )


@login_required
def employer_emails(request: HttpRequest, pk: int) -> HttpResponse:
    """The e-mails Nominee sent about the business and its offers (candidates' IDs included)."""
    employer = queries.employer_for(_me(request), pk)
    if employer is None:
        return _not_found(request)
    emails = OutgoingEmail.objects.filter(employer=employer).select_related("job_offer")[:200]
    return render(
        request,
        "employers/emails.html",
        {"employer": employer, "emails": emails, "show_private": False},
    )


@login_required
def noc_search(request: HttpRequest) -> HttpResponse:
    """Find a NOC 2021 code by code or words of its title (works without JavaScript)."""
    query = request.GET.get("q", "").strip()
    results = list(queries.search_nocs(query, limit=50)) if query else []
    return render(request, "employers/noc_search.html", {"q": query, "results": results})


# The review queue shows its oldest offers first; an officer works down from the top.
REVIEW_SHOWN = 200
EMPLOYERS_PER_PAGE = 50


@login_required
def staff_employers(request: HttpRequest) -> HttpResponse:
    """Program office: every employer with its failing rules, and the offers to review."""
    if not is_staff_reader(_me(request)):
        return _not_found(request)
    flagged = request.GET.get("flagged") == "1"
    review = JobOffer.objects.filter(needs_review=True)
    to_review = queries.with_effective_status_many(
        review.select_related("employer", "noc").order_by("submitted_at")[:REVIEW_SHOWN]
    )
    # Unfiltered, only the page's employers are judged; the filter has to judge them all.
    employers: Any = (
        queries.employer_list(flagged_only=True) if flagged else queries.employers_for_staff()
    )
    paginator = Paginator(employers, EMPLOYERS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    if not flagged:
        page.object_list = [queries.employer_row(e) for e in page.object_list]
    return render(
        request,
        "employers/staff_list.html",
        {
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "flagged": flagged,
            "to_review": to_review,
            "to_review_count": review.count(),
            "pending_registrations": queries.pending_registrations().count(),
        },
    )


@login_required
@require_POST
def request_registration(request: HttpRequest, pk: int) -> HttpResponse:
    """A contact of the business asks the program to register it."""
    employer = _acting_employer(request, pk)
    if employer is None:
        return _not_found(request)
    return run_action(
        request,
        lambda: services.request_registration(actor=_me(request), employer=employer),
        success=_(
            "Your request is sent: a program officer will approve or refuse it, and the "
            "business's contacts will be e-mailed the decision."
        ),
        redirect_to=_detail_url(employer),
    )


REGISTRATIONS_PER_PAGE = 50


@login_required
def staff_registrations(request: HttpRequest) -> HttpResponse:
    """Program office: the requests of registration awaiting a decision, oldest first."""
    if not is_staff_reader(_me(request)):
        return _not_found(request)
    paginator = Paginator(queries.pending_registrations(), REGISTRATIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {"registration": registration, "failing_rules": _failing_rules(registration.employer)}
        for registration in page.object_list
    ]
    return render(
        request,
        "employers/staff_registrations.html",
        {
            "page_obj": page,
            "rows": rows,
            "page_range": paginator.get_elided_page_range(page.number),
            "can_decide": has_role(_me(request), *services.REGISTRATION_DECIDERS),
        },
    )


def _failing_rules(employer: Any) -> list[str]:
    """The employer rules the business fails at any of its locations, today."""
    return sorted(
        {f.rule for item in queries.eligibility_by_location(employer) for f in item.failures}
    )


def _decision_page(request: HttpRequest, pk: int, *, approve: bool) -> HttpResponse:
    if not has_role(_me(request), *services.REGISTRATION_DECIDERS):
        return _not_found(request)
    registration = queries.registration_for_staff(pk)
    if registration is None:
        return _not_found(request)
    form: Any = (ApproveRegistrationForm if approve else RefuseRegistrationForm)(posted(request))
    employer = registration.employer
    call: Callable[..., Any]
    if approve:
        call = services.approve_registration
        success = _("%(employer)s is registered with the program; its contacts are e-mailed.")
    else:
        call = services.refuse_registration
        success = _("The registration of %(employer)s is refused; its contacts are e-mailed why.")
    return run_form(
        request,
        form,
        lambda data: call(actor=_me(request), registration=registration, reasons=data["reasons"]),
        page=lambda status: render(
            request,
            "employers/registration_decision.html",
            {
                "form": form,
                "registration": registration,
                "employer": employer,
                "approve": approve,
                "contacts": EmployerContact.objects.filter(employer=employer, active=True)
                .select_related("user")
                .order_by("-is_signing_officer", "id"),
                "failing_rules": _failing_rules(employer),
                "offers": employer.job_offers.count(),
            },
            status=status,
        ),
        success=success % {"employer": employer},
        redirect_to=reverse("employers:staff_registrations"),
    )


@login_required
def approve_registration(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer or manager confirms the approval of a request (the page says what follows)."""
    return _decision_page(request, pk, approve=True)


@login_required
def refuse_registration(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer or manager refuses a request, with reasons in words."""
    return _decision_page(request, pk, approve=False)
