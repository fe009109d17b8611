"""Background work of the casework app: delivering its e-mails and the reminder sweep."""

from __future__ import annotations

from django_tasks import task

from nominee.accounts.mail import deliver


@task()
def send_casework_email(email_id: int) -> bool:
    """Deliver one recorded casework e-mail (a decision, a request, a reminder); idempotent."""
    return deliver(email_id)
