"""Candidate pages (dashboard, the registration steps, an EOI, update, withdraw) and the
staff pool pages. Thin: each parses a form, calls one service or query, and renders."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from nominee.accounts.models import Appointment
from nominee.accounts.roles import Role, has_role, is_staff_reader
from nominee.accounts.services import appoint_representative, revoke_appointment
from nominee.core import panels
from nominee.core.confirm import confirmation
from nominee.core.errors import DomainError, NotFound
from nominee.core.ratelimits import limit
from nominee.core.views import page_not_found
from nominee.program import streams
from nominee.reference.models import Region
from nominee.scoring.policy import policy_at, program_today

from . import queries, services
from .documents import shown_facts
from .forms import (
    CPSO_CLASS_LABELS,
    AppointForm,
    CandidateForm,
    ConfirmForm,
    FactsForm,
    PoolFilterForm,
    ProfileForm,
    StreamForm,
    closed_streams_sentence,
)
from .models import EOI, Candidate

STEPS = ("stream", "profile", "eligibility", "review")


def _not_found(request: HttpRequest) -> HttpResponse:
    return page_not_found(request, None)


EoiView = Callable[..., HttpResponse]


def eoi_view(*, act: bool = False) -> Callable[[EoiView], EoiView]:
    """A page of one EOI, given the EOI instead of its id (and a sign-in required).

    404 when the signed-in person may not see it; with ``act``, also when they may see it
    but not act for it (staff reading, a representative of someone else).
    """

    def decorate(view: EoiView) -> EoiView:
        @functools.wraps(view)
        @login_required
        def wrapper(request: HttpRequest, external_id: str, **kwargs: Any) -> HttpResponse:
            try:
                eoi = queries.eoi_for(request.user, external_id)
            except NotFound:
                return _not_found(request)
            if act and not queries.may_act(request.user, eoi):
                return _not_found(request)
            return view(request, eoi, **kwargs)

        return wrapper

    return decorate


# ---- dashboard --------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The candidate's EOIs, scores and invitations; offers a profile to a new account."""
    candidate = queries.candidate_of(request.user)
    represented = list(queries.represented_candidates(request.user))
    if candidate is None:
        form = CandidateForm(request.POST or None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.create_candidate(
                        user=request.user, full_name=form.cleaned_data["full_name"]
                    )
                except DomainError as error:
                    form.add_service_errors(error.message, error.fields)
                else:
                    messages.success(request, _("Your candidate profile is ready."))
                    return redirect("eois:dashboard")
            status = 400
        return render(
            request,
            "eois/start.html",
            {"form": form, "represented": represented},
            status=status,
        )
    return _candidate_page(request, candidate, represented)


@login_required
def candidate_home(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """A candidate's page for their representative (or themself)."""
    try:
        candidate = queries.candidate_for(request.user, candidate_id)
    except NotFound:
        return _not_found(request)
    return _candidate_page(request, candidate, [])


def _candidate_page(
    request: HttpRequest,
    candidate: Candidate,
    represented: list[Candidate],
    *,
    appoint_form: AppointForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    eois = list(queries.eois_of(candidate).select_related("invitation", "carried_to"))
    rows = [
        {"eoi": e, "state": queries.state(e, now), "carriable": queries.carriable(e)} for e in eois
    ]
    own = candidate.user_id == request.user.pk
    appointments = (
        Appointment.objects.filter(candidate=candidate, revoked_at__isnull=True).select_related(
            "representative__user"
        )
        if own
        else []
    )
    return render(
        request,
        "eois/dashboard.html",
        {
            "candidate": candidate,
            # The invitations panel comes from draws, above this app (core.panels).
            **panels.context("eois.dashboard", candidate),
            "rows": rows,
            "own": own,
            "represented": represented,
            "appointments": appointments,
            "appoint_form": appoint_form if appoint_form is not None else AppointForm(),
        },
        status=status,
    )


@login_required
@require_POST
def appoint(request: HttpRequest) -> HttpResponse:
    """The candidate appoints a representative by e-mail; a refusal is shown next to the
    field, with what was typed (400)."""
    candidate = queries.candidate_of(request.user)
    if candidate is None:
        return _not_found(request)
    form = AppointForm(request.POST)
    if form.is_valid():
        try:
            appoint_representative(
                actor=request.user,
                representative=form.cleaned_data["representative"],
                candidate=candidate,
            )
        except DomainError as error:
            form.add_service_errors(error.message, error.fields)
        else:
            messages.success(request, _("Your representative can now act for you."))
            return redirect("eois:dashboard")
    represented = list(queries.represented_candidates(request.user))
    return _candidate_page(request, candidate, represented, appoint_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The candidate revokes an appointment (404 unless it is theirs), after confirming
    (decision 73b)."""
    candidate = queries.candidate_of(request.user)
    appointment = (
        Appointment.objects.filter(pk=appointment_id, candidate=candidate)
        .select_related("representative__user")
        .first()
        if candidate is not None
        else None
    )
    if appointment is None:
        return _not_found(request)
    names = {"person": appointment.representative.user.display_name}
    page = confirmation(
        request,
        title=_("Revoke the appointment of %(person)s") % names,
        consequences=[
            _(
                "%(person)s can no longer act for you or see your EOIs. Only a new "
                "appointment brings them back."
            )
            % names
        ],
        button=_("Revoke the appointment"),
        cancel_url=reverse("eois:dashboard"),
    )
    if page is not None:
        return page
    try:
        revoke_appointment(actor=request.user, appointment=appointment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The appointment is revoked."))
    return redirect("eois:dashboard")


# ---- registration, step by step -----------------------------------------------------------


def _facts_in_words(facts: dict[str, Any]) -> dict[str, Any]:
    """Stored facts as a page shows them: the OHIP number masked, the CPSO class named."""
    shown = shown_facts(facts)
    if shown.get("cpso_class"):
        shown["cpso_class"] = CPSO_CLASS_LABELS.get(shown["cpso_class"], shown["cpso_class"])
    return shown


def _wizard_document(state: dict[str, Any]) -> dict[str, Any]:
    """The document the wizard's answers make: the stream and pathway of step 1 win."""
    document = {**state.get("profile", {}), "stream": state["stream"]}
    if state.get("pathway"):
        document["pathway"] = state["pathway"]
    else:
        document.pop("pathway", None)
    return document


def _wizard_key(candidate: Candidate) -> str:
    return f"eois:register:{candidate.pk}"


def _step_url(candidate: Candidate, step: str) -> str:
    return reverse("eois:register", args=[candidate.pk, step])


@login_required
def register(request: HttpRequest, candidate_id: int, step: str = "stream") -> HttpResponse:
    """Register an EOI in four steps: stream and Job Offer ID, profile, eligibility, review."""
    try:
        candidate = queries.candidate_for(request.user, candidate_id)
    except NotFound:
        return _not_found(request)
    if step not in STEPS:
        raise Http404
    key = _wizard_key(candidate)
    state: dict[str, Any] = request.session.get(key, {})
    index = STEPS.index(step)
    if index > 0 and "stream" not in state:
        return redirect(_step_url(candidate, "stream"))
    if index:
        back = _step_url(candidate, STEPS[index - 1])
    elif candidate.user_id == request.user.pk:
        back = reverse("eois:dashboard")
    else:  # a representative goes back to the client's page, not their own
        back = reverse("eois:candidate", args=[candidate.pk])
    context: dict[str, Any] = {
        "candidate": candidate,
        "step": index + 1,
        "steps": len(STEPS),
        "back_url": back,
        "state": state,
    }
    status = 200
    post = request.POST if request.method == "POST" else None
    if post is not None:
        # Every step's POST counts: the first checks a Job Offer ID, the last registers.
        limit(request, "eoi_register", str(request.user.pk))
    if state.get("carried_from"):
        context["carried_from"] = state["carried_from"]
    if step == "stream":
        form: Any = StreamForm(post, initial=state)
        context["closed_sentence"] = closed_streams_sentence()
    elif step == "profile":
        form = ProfileForm(
            post,
            stream=state["stream"],
            pathway=state.get("pathway"),
            initial=ProfileForm.initial_from(state.get("profile", {})),
        )
    elif step == "eligibility":
        rules = _rules_of(state["stream"])
        form = FactsForm(
            post,
            rules=rules,
            pathway=rules.pathway(state.get("pathway")),
            initial=FactsForm.initial_from(state.get("facts", {})),
        )
    else:
        form = ConfirmForm(post)
        context["preview"] = queries.preview_registration(
            candidate,
            _wizard_document(state),
            state.get("job_offer_id") or None,
            state.get("facts") or None,
        )
        context["pathway_name"] = (
            streams.pathway_name(state["stream"], state["pathway"])
            if state.get("pathway")
            else None
        )
        context["shown_facts"] = _facts_in_words(state.get("facts") or {})
    if post is not None:
        if form.is_valid():
            if step == "stream":
                stream = form.cleaned_data["stream"]
                pathway = form.cleaned_data.get("pathway") or None
                job_offer_id = form.cleaned_data.get("job_offer_id", "").strip()
                try:
                    # The ID, stream, name and address are checked here, before any step
                    # shows something of the offer.
                    services.verify_job_offer_id(
                        actor=request.user,
                        candidate=candidate,
                        job_offer_id=job_offer_id or None,
                        stream=stream,
                        pathway=pathway,
                    )
                except DomainError as error:
                    form.add_service_errors(error.message, error.fields)
                    context["form"] = form
                    context["closed_sentence"] = closed_streams_sentence()
                    return render(request, "eois/register_stream.html", context, status=400)
                if stream != state.get("stream"):
                    # A carried-over draft keeps its link and what it carried.
                    keep = ("carried_from", "profile", "facts") if state.get("carried_from") else ()
                    state = {k: state[k] for k in keep if k in state}
                if pathway != state.get("pathway") and "profile" in state:
                    state["profile"] = {
                        k: v for k, v in state["profile"].items() if k != "practice"
                    }
                state.update(stream=stream, pathway=pathway, job_offer_id=job_offer_id)
            elif step == "profile":
                state["profile"] = form.document()
            elif step == "eligibility":
                state["facts"] = form.facts()
            else:
                carried = (
                    EOI.objects.filter(
                        external_id=state["carried_from"], candidate=candidate
                    ).first()
                    if state.get("carried_from")
                    else None
                )
                try:
                    eoi = services.register_eoi(
                        actor=request.user,
                        candidate=candidate,
                        document=_wizard_document(state),
                        job_offer_id=state.get("job_offer_id") or None,
                        facts=state.get("facts") or None,
                        carried_from=carried,
                    )
                except DomainError as error:
                    context["error"] = error
                    status = 400 if error.status == 400 else 422
                else:
                    request.session.pop(key, None)
                    messages.success(request, _("Your EOI is registered."))
                    return redirect("eois:detail", external_id=eoi.external_id)
            if step != "review":
                request.session[key] = state
                return redirect(_step_url(candidate, STEPS[index + 1]))
        else:
            status = 400
    context["form"] = form
    return render(request, f"eois/register_{step}.html", context, status=status)


# ---- one EOI ----------------------------------------------------------------------------------


@eoi_view()
def detail(request: HttpRequest, eoi: EOI) -> HttpResponse:
    """An EOI with its score and breakdown; its history for staff and its candidate."""
    return render(
        request,
        "eois/detail.html",
        {
            "eoi": eoi,
            "state": queries.state(eoi),
            "may_act": queries.may_act(request.user, eoi),
            "history": queries.history(eoi),
            "legacy_before": policy_at(program_today()).legacy_before,
            "pathway_name": streams.pathway_name(eoi.stream, eoi.pathway) if eoi.pathway else None,
            "practice": queries.practice_of(eoi),
            "facts_shown": _facts_in_words(eoi.facts or {}),
            "carriable": queries.may_act(request.user, eoi) and queries.carriable(eoi),
            "carried_to": queries.carried_to(eoi),
        },
    )


@eoi_view(act=True)
def carry_over(request: HttpRequest, eoi: EOI) -> HttpResponse:
    """The draft of a Workforce Priority EOI carried over from this one: its new score and
    pathway; "Start" puts it in the registration wizard (the new Job Offer ID is asked)."""
    try:
        carried = services.carry_over_eoi(actor=request.user, eoi=eoi)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("eois:detail", external_id=eoi.external_id)
    candidate = eoi.candidate
    assert candidate is not None
    if request.method == "POST":
        request.session[_wizard_key(candidate)] = {
            "carried_from": eoi.external_id,
            "stream": carried.stream,
            "pathway": carried.pathway,
            "job_offer_id": "",
            "profile": carried.profile(),
            "facts": carried.facts,
        }
        return redirect(_step_url(candidate, "stream"))
    return render(
        request,
        "eois/carry_over.html",
        {
            "eoi": eoi,
            "carried": carried,
            "stream_name": streams.name(carried.stream),
            "pathway_name": streams.pathway_name(carried.stream, carried.pathway)
            if carried.pathway
            else None,
            "hint_place": queries.place_name((carried.hint or {}).get("census_division")),
            "takes_offer": carried.pathway is not None
            and streams.takes_job_offer(carried.stream, carried.pathway),
        },
    )


def _rules_of(stream: str) -> Any:
    """The stream's rules today, or, for a stream closed since, those of its last open day:
    the form still shows its questions, and the service refuses with the stream's dates."""
    policy = policy_at(program_today())
    if stream in policy.streams:
        return policy.stream(stream)
    info = streams.info(stream)
    last = info.until - timedelta(days=1) if info.until is not None else info.effective_from
    return policy_at(max(last, info.effective_from)).stream(stream)


@eoi_view(act=True)
def update(request: HttpRequest, eoi: EOI) -> HttpResponse:
    """Update the declared profile and facts; re-scored, registration time kept."""
    rules = _rules_of(eoi.stream)
    post = request.POST if request.method == "POST" else None
    profile_form = ProfileForm(
        post,
        stream=eoi.stream,
        pathway=eoi.pathway,
        initial=ProfileForm.initial_from(eoi.profile),
        prefix="p",
    )
    # The OHIP billing number is never shown back: left empty, the one on file is kept.
    stored = dict(eoi.facts or {})
    on_file = stored.pop("ohip_billing_number", None)
    facts_form = FactsForm(
        post,
        rules=rules,
        pathway=rules.pathway(eoi.pathway),
        initial=FactsForm.initial_from(stored),
        prefix="f",
        ohip_on_file=on_file is not None,
    )
    status = 200
    error = None
    if post is not None:
        if profile_form.is_valid() and facts_form.is_valid():
            try:
                services.update_eoi(
                    actor=request.user,
                    eoi=eoi,
                    document={"stream": eoi.stream, **profile_form.document()},
                    facts={"ohip_billing_number": on_file, **facts_form.facts()}
                    if on_file is not None
                    else facts_form.facts() or None,
                )
            except DomainError as failure:
                error = failure
                profile_form.add_service_errors(failure.message, {})
                status = 400 if failure.status == 400 else 422
            else:
                messages.success(request, _("Your EOI is updated and scored again."))
                return redirect("eois:detail", external_id=eoi.external_id)
        else:
            status = 400
    return render(
        request,
        "eois/update.html",
        {"eoi": eoi, "profile_form": profile_form, "facts_form": facts_form, "error": error},
        status=status,
    )


@eoi_view(act=True)
def withdraw(request: HttpRequest, eoi: EOI) -> HttpResponse:
    """Confirm, then withdraw the EOI for good."""
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.withdraw_eoi(actor=request.user, eoi=eoi)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Your EOI is withdrawn."))
            return redirect("eois:detail", external_id=eoi.external_id)
        status = 400
    return render(request, "eois/withdraw.html", {"eoi": eoi, "form": form}, status=status)


# ---- the pool for staff -------------------------------------------------------------------------


@login_required
def pool(request: HttpRequest) -> HttpResponse:
    """Counts by stream and status, and each stream's score distribution (staff only)."""
    if not is_staff_reader(request.user):
        return _not_found(request)
    distributions = []
    for stream in streams.codes():
        rows = queries.score_distribution(stream)
        top = max((n for _s, n in rows), default=0)
        distributions.append(
            {
                "stream": stream,
                "label": streams.name(stream),
                "rows": [(s, n, round(100 * n / top) if top else 0) for s, n in rows],
            }
        )
    return render(
        request,
        "eois/pool.html",
        {
            "counts": [{**c, "label": streams.name(c["stream"])} for c in queries.pool_counts()],
            "distributions": distributions,
        },
    )


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    """The pool filtered by stream, status, NOC, region and registration dates."""
    if not is_staff_reader(request.user):
        return _not_found(request)
    form = PoolFilterForm(request.GET or None)
    status = 200
    filters = queries.PoolFilter()
    if request.GET:
        if form.is_valid():
            data = form.cleaned_data
            filters = queries.PoolFilter(
                stream=data["stream"] or None,
                status=data["status"] or None,
                noc=data["noc"] or None,
                region=data["region"] or None,
                registered_from=data["registered_from"],
                registered_to=data["registered_to"],
                needs_review=True if data["needs_review"] else None,
            )
        else:
            status = 400
    paginator = Paginator(queries.pool(filters), 50)
    page = paginator.get_page(request.GET.get("page"))
    regions = dict(Region.choices)
    for eoi in page:
        eoi.region_label = regions.get(eoi.region or "", eoi.region)  # type: ignore[attr-defined]
    return render(
        request,
        "eois/pool_list.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "now": timezone.now(),
        },
        status=status,
    )


__all__ = ["EOI"]


# ---- withdrawing a closed stream's EOIs (managers) ----------------------------------------------


def _manager_or_refusal(request: HttpRequest) -> HttpResponse | None:
    """None for a manager; 404 for anyone outside the program office, 403 for other staff."""
    if not is_staff_reader(request.user):
        return _not_found(request)
    if not has_role(request.user, Role.MANAGER):
        return render(
            request,
            "eois/closed_refused.html",
            {"message": _("Only a program manager may withdraw the EOIs of a closed stream.")},
            status=403,
        )
    return None


@login_required
def closed_streams(request: HttpRequest) -> HttpResponse:
    """The preview: each closed stream and how many EOIs its withdrawal would take."""
    refusal = _manager_or_refusal(request)
    if refusal is not None:
        return refusal
    return render(
        request,
        "eois/closed_streams.html",
        {"counts": queries.closed_stream_counts(), "today": program_today()},
    )


@login_required
def closed_stream_withdraw(request: HttpRequest, stream: str) -> HttpResponse:
    """Confirm (restating what will happen), then withdraw; the result as a message."""
    refusal = _manager_or_refusal(request)
    if refusal is not None:
        return refusal
    if not streams.is_stream(stream):
        return _not_found(request)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    try:
        preview = services.withdraw_closed_stream_eois(
            actor=request.user, stream=stream, dry_run=True
        )
    except DomainError as error:
        return render(
            request,
            "eois/closed_confirm.html",
            {"error": error.message, "stream_name": streams.name(stream), "form": form},
            status=400,
        )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.withdraw_closed_stream_eois(actor=request.user, stream=stream)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                if result.count:
                    offers = ngettext(
                        "%(offers)s job offer released",
                        "%(offers)s job offers released",
                        result.job_offers,
                    ) % {"offers": f"{result.job_offers:,}"}
                    messages.success(
                        request,
                        _(
                            "%(count)s EOIs of %(stream)s withdrawn; %(released)s; the notices "
                            "are queued for the candidates, employers and representatives."
                        )
                        % {
                            "count": f"{result.count:,}",
                            "stream": result.stream_name,
                            "released": offers,
                        },
                    )
                else:
                    messages.info(
                        request,
                        _("No EOI of %(stream)s was left to withdraw: nothing was changed.")
                        % {"stream": result.stream_name},
                    )
            return redirect("eois:closed_streams")
        status = 400
    return render(
        request,
        "eois/closed_confirm.html",
        {"preview": preview, "stream_name": preview.stream_name, "form": form},
        status=status,
    )
