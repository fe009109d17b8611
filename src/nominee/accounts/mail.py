"""Outgoing e-mail: recorded with the change that causes it, delivered by a background task.

``queue_email`` is called inside a service's transaction: it writes an ``OutgoingEmail``
row and, once the transaction commits, enqueues the delivery task given (a django-tasks
task taking the row's id). ``deliver`` sends one recorded e-mail through Django's e-mail
backend (a file under ``var/mail/`` in the demo, the console or SMTP elsewhere).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import lazy

from nominee.core.links import absolute_url
from nominee.core.locale import in_language, language_path, supported_language

from .models import OutgoingEmail, User


def _absolute(path: str) -> str:
    return absolute_url(language_path(path, supported_language(translation.get_language())))


# Lazy: the link takes the language active when the e-mail is rendered (the recipient's,
# in ``render_email``), not the one of the page whose action sends it.
_lazy_absolute = lazy(_absolute, str)

# The name every e-mail signs with, never a host name (docs/decisions.md, decision 72).
SITE_NAME = "Nominee"


def site_url(path: str) -> str:
    """An absolute link into the site, for e-mail bodies: ``SITE_URL/fr/path`` for French.

    ``path`` may carry a language prefix already (``reverse()`` under ``/fr/``): the
    recipient's replaces it when the e-mail is rendered.
    """
    return _lazy_absolute(path)


def recipient_language(recipient: Any, to: str, *, lookup: bool = True) -> str:
    """The language of an e-mail: its recipient's, else the account's at that address
    (unless ``lookup`` is false: a batch that knows its accounts), else the active one
    (someone without an account is written to in the language of the page that caused
    the e-mail)."""
    language = getattr(recipient, "preferred_language", None)
    if not language and lookup:
        language = (
            User.objects.filter(email__iexact=to)
            .values_list("preferred_language", flat=True)
            .first()
        )
    return supported_language(language or translation.get_language())


def render_email(template: str, context: dict[str, Any], *, language: str) -> tuple[str, str]:
    """The subject (the template's first line) and body of an e-mail, in ``language``: its
    ``{% url %}`` and ``site_url()`` links, and ``{{ site_url }}``, under that language's
    prefix (``SITE_URL/fr/…``); every template gets ``site_name`` to sign with."""
    with in_language(language):
        text = render_to_string(
            template,
            {**context, "site_url": absolute_url(f"/{language}"), "site_name": SITE_NAME},
        ).strip()
    subject, _sep, body = text.partition("\n")
    return subject.strip()[:200], body.strip() + "\n"


def mailbox_enabled() -> bool:
    """Whether the "My e-mails" page exists: a development aid for e-mail kept on this machine.

    Off unless ``NOMINEE_DEV_MAILBOX`` (default: ``NOMINEE_DEBUG``) and e-mail is written
    to files, the console or memory; never with a real mail server.
    """
    local = settings.EMAIL_BACKEND.endswith(
        ("filebased.EmailBackend", "console.EmailBackend", "locmem.EmailBackend")
    )
    return bool(settings.NOMINEE_DEV_MAILBOX) and local


def queue_email(
    *,
    kind: str,
    to: str,
    template: str,
    context: dict[str, Any],
    task: Any,
    recipient: Any = None,
    employer: Any = None,
    job_offer: Any = None,
    private_link: bool = False,
) -> OutgoingEmail:
    """Record an e-mail rendered from ``template`` (its first line is the subject).

    Must run inside the transaction of the change that causes it; the delivery task is
    enqueued only when that transaction commits, so a rolled-back change sends nothing.
    It is rendered in the recipient's language (``recipient_language``); its links
    (``site_url`` in the context, and the ``site_url()`` values) carry that language's
    prefix.
    """
    subject, body = render_email(template, context, language=recipient_language(recipient, to))
    email = OutgoingEmail.objects.create(
        kind=kind,
        to_email=to,
        recipient=recipient if getattr(recipient, "pk", None) else None,
        subject=subject,
        body=body,
        private_link=private_link,
        employer=employer,
        job_offer=job_offer,
        created_at=timezone.now(),
    )
    email_id = email.pk
    transaction.on_commit(lambda: task.enqueue(email_id))
    return email


def deliver(email_id: int) -> bool:
    """Send one recorded e-mail unless it was sent already; record the outcome.

    Returns whether it was sent now. A failure of the mail server is recorded in
    ``error`` and raised again so that the task shows as failed and can be retried.
    """
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None or email.sent_at is not None:
        return False
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
    )
    try:
        message.send(fail_silently=False)
    except Exception as error:
        OutgoingEmail.objects.filter(pk=email_id).update(error=str(error)[:2000])
        raise
    OutgoingEmail.objects.filter(pk=email_id, sent_at__isnull=True).update(
        sent_at=timezone.now(), error=""
    )
    return True
