"""Background work of the draws app: invitation e-mails (the sweep is ``nominee daily``)."""

from __future__ import annotations

from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from nominee.accounts.mail import recipient_language, render_email, site_url
from nominee.accounts.models import OutgoingEmail

from .models import Draw, Invitation


def _emails(invitation: Invitation) -> list[OutgoingEmail]:
    """The invitation's e-mails: to the candidate, and to each active contact of the
    job offer's employer (one e-mail per address, so each is in its reader's mailbox)."""
    eoi = invitation.eoi
    context = {
        "invitation": invitation,
        "eoi": eoi,
        "draw": invitation.draw,
        "link": site_url(reverse("dashboard")),
    }
    now = timezone.now()
    out: list[OutgoingEmail] = []
    candidate = eoi.candidate
    if candidate is not None and candidate.email:
        subject, body = render_email(
            "draws/email/candidate_invited.txt",
            context,
            language=recipient_language(candidate.user, candidate.email, lookup=False),
        )
        out.append(
            OutgoingEmail(
                kind=OutgoingEmail.Kind.DRAW_INVITATION,
                to_email=candidate.email,
                recipient_id=candidate.user_id,
                subject=subject,
                body=body,
                created_at=now,
            )
        )
    offer = eoi.job_offer
    if offer is not None:
        contacts = {
            contact.user.email.lower(): contact.user
            for contact in offer.employer.contacts.all()
            if contact.active and contact.user.email
        }
        for address in sorted(contacts):
            subject, body = render_email(
                "draws/email/employer_invited.txt",
                {**context, "offer": offer},
                language=recipient_language(contacts[address], address, lookup=False),
            )
            out.append(
                OutgoingEmail(
                    kind=OutgoingEmail.Kind.DRAW_INVITATION,
                    to_email=contacts[address].email,
                    recipient=contacts[address],
                    subject=subject,
                    body=body,
                    employer=offer.employer,
                    job_offer=offer,
                    created_at=now,
                )
            )
    return out


@task()
def notify_invitations(draw_id: int) -> int:
    """E-mail each invited candidate and the contacts of each invited job offer's employer.

    Each e-mail is recorded (``OutgoingEmail``, listed on "My e-mails" and the
    employer's e-mails) and then sent; EOIs imported without a candidate account or job
    offer are skipped for the party they lack. Returns the number of messages sent.
    """
    draw = Draw.objects.get(pk=draw_id)
    invitations = (
        Invitation.objects.filter(draw=draw)
        .select_related("draw", "eoi", "eoi__candidate", "eoi__job_offer__employer")
        .prefetch_related("eoi__job_offer__employer__contacts__user")
        .order_by("rank")
    )
    emails: list[OutgoingEmail] = []
    for invitation in invitations.iterator(chunk_size=500):
        emails.extend(_emails(invitation))
    if not emails:
        return 0
    emails = OutgoingEmail.objects.bulk_create(emails, batch_size=500)
    messages = [
        EmailMessage(subject=email.subject, body=email.body, to=[email.to_email])
        for email in emails
    ]
    with get_connection() as connection:
        sent = int(connection.send_messages(messages) or 0)
    ids = [email.pk for email in emails if email.pk is not None]
    for start in range(0, len(ids), 500):
        OutgoingEmail.objects.filter(pk__in=ids[start : start + 500]).update(sent_at=timezone.now())
    return sent
