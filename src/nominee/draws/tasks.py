"""Background work of the draws app: invitation e-mails (the sweep is ``nominee daily``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Draw, Invitation


def _messages(invitation: Invitation) -> list[EmailMessage]:
    eoi = invitation.eoi
    context = {
        "invitation": invitation,
        "eoi": eoi,
        "draw": invitation.draw,
        "site": settings.SITE_URL,
    }
    out: list[EmailMessage] = []
    candidate = eoi.candidate
    if candidate is not None and candidate.email:
        out.append(
            EmailMessage(
                subject=_("You are invited to apply (%(id)s)") % {"id": eoi.external_id},
                body=render_to_string("draws/email/candidate_invited.txt", context),
                to=[candidate.email],
            )
        )
    offer = eoi.job_offer
    if offer is not None:
        recipients = sorted(
            {
                contact.user.email
                for contact in offer.employer.contacts.all()
                if contact.active and contact.user.email
            }
        )
        if recipients:
            out.append(
                EmailMessage(
                    subject=_("Your candidate was invited: file the position approval (%(id)s)")
                    % {"id": offer.public_id},
                    body=render_to_string(
                        "draws/email/employer_invited.txt", {**context, "offer": offer}
                    ),
                    to=recipients,
                )
            )
    return out


@task()
def notify_invitations(draw_id: int) -> int:
    """E-mail each invited candidate and the contacts of each invited job offer's employer.

    EOIs imported without a candidate account or job offer are skipped for the party
    they lack. Returns the number of messages sent.
    """
    draw = Draw.objects.get(pk=draw_id)
    invitations = (
        Invitation.objects.filter(draw=draw)
        .select_related("draw", "eoi", "eoi__candidate", "eoi__job_offer__employer")
        .prefetch_related("eoi__job_offer__employer__contacts__user")
        .order_by("rank")
    )
    messages: list[EmailMessage] = []
    for invitation in invitations.iterator(chunk_size=500):
        messages.extend(_messages(invitation))
    if not messages:
        return 0
    with get_connection() as connection:
        return int(connection.send_messages(messages) or 0)
