"""State changes of the accounts app: sign-up, e-mail confirmation, representation, roles, tokens.

Every public function is one transaction (``durable=True``: never call one from inside
another), takes keyword-only arguments, checks everything before writing, raises a
``nominee.core.errors.DomainError`` subclass on refusal, and writes an audit event.

Where a caller already holds a transaction (a demo step), it calls the private body a
durable service wraps (``_appoint_representative`` for ``appoint_representative``): the
same checks and audit event, no transaction of its own.

The functions live in ``signup`` (sign-up, confirmation and address changes, registering as a
representative), ``passwords`` (reset links, links that set a password, changing it),
``representation`` (who acts for whom, appointments), ``staff_roles`` (and the two-person
rule), ``api_tokens`` and ``admin_edits`` (what the Django admin changes about people);
this package re-exports them, so callers import ``nominee.accounts.services`` as before.
"""

from .admin_edits import (
    REPRESENTATIVE_FIELDS,
    STAFF_GROUPS,
    USER_FIELDS,
    _delete_group_by_admin,
    _save_group_by_admin,
    _save_representative_profile_by_admin,
    _save_user_by_admin,
    check_group_change,
    check_user_change,
    set_password_by_admin,
)
from .api_tokens import create_api_token, revoke_api_token
from .passwords import (
    accept_invitation,
    change_password,
    password_reset_link,
    request_password_reset,
    set_password_by_link,
)
from .representation import (
    _appoint_representative,
    appoint_representative,
    can_act_for,
    revoke_appointment,
)
from .signup import (
    CONFIRMATION_MAX_AGE,
    CONFIRMATION_SALT,
    SignupRole,
    _confirm_email,
    _sign_up,
    become_representative,
    confirm_email,
    confirmation_token,
    request_email_change,
    resend_confirmation,
    set_preferred_language,
    sign_up,
)
from .staff_roles import (
    StaffCannotTakePart,
    grant_role,
    is_program_staff,
    program_parts,
    refuse_participant,
    refuse_staff,
    revoke_role,
)

__all__ = [
    "CONFIRMATION_MAX_AGE",
    "CONFIRMATION_SALT",
    "REPRESENTATIVE_FIELDS",
    "STAFF_GROUPS",
    "USER_FIELDS",
    "SignupRole",
    "StaffCannotTakePart",
    "_appoint_representative",
    "_confirm_email",
    "_delete_group_by_admin",
    "_save_group_by_admin",
    "_save_representative_profile_by_admin",
    "_save_user_by_admin",
    "_sign_up",
    "accept_invitation",
    "appoint_representative",
    "become_representative",
    "can_act_for",
    "change_password",
    "check_group_change",
    "check_user_change",
    "confirm_email",
    "confirmation_token",
    "create_api_token",
    "grant_role",
    "is_program_staff",
    "password_reset_link",
    "program_parts",
    "refuse_participant",
    "refuse_staff",
    "request_email_change",
    "request_password_reset",
    "resend_confirmation",
    "revoke_api_token",
    "revoke_appointment",
    "revoke_role",
    "set_password_by_admin",
    "set_password_by_link",
    "set_preferred_language",
    "sign_up",
]
