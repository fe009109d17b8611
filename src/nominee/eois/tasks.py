"""Background work of the eois app: delivering its e-mails (the sweep is ``nominee daily``)."""

from __future__ import annotations

from django_tasks import task

from nominee.accounts.mail import deliver

from .notices import send_batch


@task()
def send_eoi_email(email_id: int) -> bool:
    """Deliver one recorded EOI e-mail (an expiry reminder); idempotent."""
    return deliver(email_id)


@task()
def send_closed_stream_notices(change_id: int, first_id: int, last_id: int) -> int:
    """Tell the parties of one batch of EOIs withdrawn by a stream's closing; idempotent
    (the batch's e-mails are recorded once and each is delivered once)."""
    return send_batch(change_id, first_id, last_id)
