"""The notices of a stream's closing: one e-mail per party of each EOI it withdrew.

Run by the task ``tasks.send_closed_stream_notices``, one batch of EOIs (an id range of
one ``ProgramChange``) at a time, after the withdrawal committed. The parties of an EOI:
its candidate (when the candidate has an address), the representatives the candidate
appointed, the active contacts of the job offer's employer and the representatives the
employer appointed; an address is told once per EOI. The e-mails are recorded with the
batch (``ClosedStreamNotices``) in one transaction, then delivered one by one.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from nominee.accounts.mail import deliver, recipient_language, render_email, site_url
from nominee.accounts.models import Appointment, OutgoingEmail
from nominee.core.timeutil import program_date
from nominee.employers.models import EmployerContact
from nominee.program import streams
from nominee.program.models import ProgramChange

from .models import EOI, ClosedStreamNotices

TEMPLATE = "eois/email/stream_closed.txt"


def _parties(eois: list[EOI]) -> dict[int, list[tuple[str, Any, str, Any]]]:
    """EOI id -> [(address, account, role, employer)] of the people to tell, deduplicated."""
    candidate_ids = {e.candidate_id for e in eois if e.candidate_id}
    employer_ids = {e.job_offer.employer_id for e in eois if e.job_offer_id and e.job_offer}
    live = Appointment.objects.filter(revoked_at__isnull=True).select_related(
        "representative__user"
    )
    candidate_reps: dict[int, list[Any]] = defaultdict(list)
    for appointment in live.filter(candidate_id__in=candidate_ids):
        candidate_reps[appointment.candidate_id or 0].append(appointment.representative.user)
    employer_reps: dict[int, list[Any]] = defaultdict(list)
    for appointment in live.filter(employer_id__in=employer_ids):
        employer_reps[appointment.employer_id or 0].append(appointment.representative.user)
    contacts: dict[int, list[Any]] = defaultdict(list)
    for contact in EmployerContact.objects.filter(
        employer_id__in=employer_ids, active=True
    ).select_related("user"):
        contacts[contact.employer_id].append(contact.user)
    out: dict[int, list[tuple[str, Any, str, Any]]] = {}
    for eoi in eois:
        seen: dict[str, tuple[str, Any, str, Any]] = {}
        candidate = eoi.candidate
        if candidate is not None and candidate.email:
            seen.setdefault(
                candidate.email.lower(), (candidate.email, candidate.user, "candidate", None)
            )
        for user in candidate_reps.get(eoi.candidate_id or 0, []):
            seen.setdefault(user.email.lower(), (user.email, user, "representative", None))
        if eoi.job_offer_id and eoi.job_offer is not None:
            employer = eoi.job_offer.employer
            for user in contacts.get(employer.pk, []):
                seen.setdefault(user.email.lower(), (user.email, user, "employer", employer))
            for user in employer_reps.get(employer.pk, []):
                seen.setdefault(user.email.lower(), (user.email, user, "representative", None))
        out[eoi.pk] = list(seen.values())
    return out


def record_batch(change_id: int, first_id: int, last_id: int) -> list[int]:
    """Record the e-mails of one batch once; returns their ids (the same on a retry)."""
    with transaction.atomic():
        change = ProgramChange.objects.select_for_update().get(pk=change_id)
        done = ClosedStreamNotices.objects.filter(change=change, first_id=first_id).first()
        if done is not None:
            return list(done.emails)
        eois = list(
            EOI.objects.filter(withdrawn_by_change=change, id__gte=first_id, id__lte=last_id)
            .select_related("candidate__user", "job_offer__employer")
            .order_by("id")
        )
        parties = _parties(eois)
        now = timezone.now()
        name = streams.name(change.stream)
        until = streams.info(change.stream).until if streams.is_stream(change.stream) else None
        rows = []
        for eoi in eois:
            for address, user, role, employer in parties[eoi.pk]:
                # In the recipient's language (Decision 69), its dates too.
                language = recipient_language(user, address, lookup=False)
                with translation.override(language):
                    closed_on = date_format(until, "j F Y") if until else ""
                    withdrawn_on = date_format(program_date(eoi.withdrawn_at or now), "j F Y")
                subject, body = render_email(
                    TEMPLATE,
                    {
                        "eoi": eoi,
                        "role": role,
                        "stream": name,
                        "closed_on": closed_on,
                        "withdrawn_on": withdrawn_on,
                        "employer": employer,
                        "changes_link": site_url(reverse("publication:changes")),
                    },
                    language=language,
                )
                rows.append(
                    OutgoingEmail(
                        kind=OutgoingEmail.Kind.EOI_STREAM_CLOSED,
                        to_email=address,
                        recipient=user if getattr(user, "pk", None) else None,
                        subject=subject,
                        body=body,
                        employer=employer,
                        job_offer=eoi.job_offer if employer is not None else None,
                        created_at=now,
                    )
                )
        created = OutgoingEmail.objects.bulk_create(rows, batch_size=500)
        ids = [email.pk for email in created]
        ClosedStreamNotices.objects.create(
            change=change, first_id=first_id, last_id=last_id, emails=ids, created_at=now
        )
    return ids


def send_batch(change_id: int, first_id: int, last_id: int) -> int:
    """Record (once) and deliver the notices of a batch; returns how many were sent now."""
    return sum(1 for email_id in record_batch(change_id, first_id, last_id) if deliver(email_id))
