"""Background work of the accounts app: delivering account e-mails."""

from __future__ import annotations

from django_tasks import task

from .mail import deliver


@task()
def send_account_email(email_id: int) -> bool:
    """Deliver one recorded account e-mail (confirmation, appointment); idempotent."""
    return deliver(email_id)
