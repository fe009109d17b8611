"""Background work of the eois app: delivering its e-mails and the daily reminder sweep."""

from __future__ import annotations

from django_tasks import task

from nominee.accounts.mail import deliver


@task()
def send_eoi_email(email_id: int) -> bool:
    """Deliver one recorded EOI e-mail (an expiry reminder); idempotent."""
    return deliver(email_id)


@task()
def sweep_expiry_reminders() -> int:
    """Queue the expiry reminders due today (run daily; ``nominee eoi remind`` does the same)."""
    from .services import send_expiry_reminders

    return send_expiry_reminders()
