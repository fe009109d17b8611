"""State changes of an employer's contacts: invite (with an account if need be), remove."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from nominee.accounts.mail import queue_email, site_url
from nominee.accounts.models import OutgoingEmail, User
from nominee.accounts.services import refuse_staff
from nominee.audit.services import record
from nominee.core.errors import Conflict, PermissionDenied

from ..models import Employer, EmployerContact
from ..tasks import send_employer_email
from ..validation import (
    Errors,
    clean_email,
    clean_text,
)
from .access import (
    lock_employer,
    require_confirmed,
    require_signing_officer,
)


@transaction.atomic(durable=True)
def invite_contact(
    *, actor: User, employer: Employer, email: str, full_name: str = ""
) -> EmployerContact:
    """The signing officer adds a person as a contact of the employer and e-mails them.

    A person without an account gets one with no password and a link to choose it
    (which also confirms their address), as does an account that has not confirmed its
    address; a person with a confirmed account is told to sign in.
    A former contact is re-activated. Raises NotFound without access, PermissionDenied
    for anyone but the signing officer, ValidationFailed for a bad address, Conflict when
    the person is an active contact already, StaffCannotTakePart when the person's account
    is a staff account (Decision 79).
    """
    locked = lock_employer(employer)
    require_signing_officer(actor, locked)
    require_confirmed(actor)
    errors = Errors()
    address = clean_email(errors, "email", email)
    name = clean_text(errors, "full_name", full_name, required=False)
    errors.raise_if_any(_("the invitation cannot be sent"))
    user = User.objects.filter(email__iexact=address).first()
    refuse_staff(user, field="email")
    link: str | None = None
    if user is None:
        user = User.objects.create_user(email=address, password=None, full_name=name)
    if user.email_confirmed_at is None:
        # Whoever opened an unconfirmed account may not hold the address: the link (to the
        # address) lets its owner choose the password, which confirms the account.
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        link = site_url(
            reverse(
                "accounts:accept_invitation", args=[uid, default_token_generator.make_token(user)]
            )
        )
    contact = EmployerContact.objects.filter(employer=locked, user=user).first()
    if contact is not None and contact.active:
        raise Conflict(
            _("this person is a contact of the employer already"),
            fields={"email": [_("Already a contact.")]},
        )
    now = timezone.now()
    if contact is None:
        contact = EmployerContact.objects.create(
            employer=locked, user=user, is_signing_officer=False, invited_by=actor, created_at=now
        )
    else:
        contact.active = True
        contact.invited_by = actor
        contact.save(update_fields=["active", "invited_by"])
    record(
        actor=actor,
        action="employers.contact_invited",
        subject=contact,
        after={"email": address, "active": True},
    )

    queue_email(
        kind=OutgoingEmail.Kind.CONTACT_INVITATION,
        to=address,
        recipient=user,
        template="employers/email/contact_invitation.txt",
        context={
            "employer": locked,
            "actor": actor,
            "user": user,
            "link": link,
            "sign_in": site_url(reverse("employers:dashboard")),
        },
        task=send_employer_email,
        employer=locked,
        private_link=link is not None,
    )
    return contact


@transaction.atomic(durable=True)
def remove_contact(*, actor: User, contact: EmployerContact) -> EmployerContact:
    """The signing officer deactivates another contact (kept as history).

    Raises PermissionDenied for anyone else or for the signing officer's own row,
    Conflict when the contact is inactive already.
    """
    locked_employer = lock_employer(contact.employer_id)
    require_signing_officer(actor, locked_employer)
    locked = EmployerContact.objects.select_for_update().get(pk=contact.pk)
    if locked.is_signing_officer:
        raise PermissionDenied(_("the signing officer cannot be removed"))
    if not locked.active:
        raise Conflict(_("this person is not an active contact"))
    locked.active = False
    locked.save(update_fields=["active"])
    record(
        actor=actor,
        action="employers.contact_removed",
        subject=locked,
        before={"active": True},
        after={"active": False},
    )
    return locked
