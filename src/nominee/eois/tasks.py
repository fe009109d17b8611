"""Background work of the eois app: delivering its e-mails (the sweep is ``nominee daily``)."""

from __future__ import annotations

from django_tasks import task

from nominee.accounts.mail import deliver


@task()
def send_eoi_email(email_id: int) -> bool:
    """Deliver one recorded EOI e-mail (an expiry reminder); idempotent."""
    return deliver(email_id)
