"""Background work of the employer portal: its e-mails (the daily sweep is ``nominee daily``)."""

from __future__ import annotations

from django_tasks import task

from nominee.accounts.mail import deliver


@task()
def send_employer_email(email_id: int) -> bool:
    """Deliver one recorded employer-portal e-mail: the Job Offer ID to the candidate
    (with what to do next), a change or withdrawal of the offer, a contact invitation.
    Idempotent: an e-mail already sent is not sent again."""
    return deliver(email_id)
