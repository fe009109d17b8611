"""``nominee token create|list|revoke``: personal API tokens, for support and set-up scripts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from nominee.accounts import queries, services
from nominee.accounts.models import User
from nominee.core.commands import NomineeCommand, bad_input


def _user(email: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise bad_input(f"no account with the e-mail address {email!r}")
    return user


class Command(NomineeCommand):
    help = "Create, list or revoke a person's personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token; it is printed this once")
        create.add_argument("email", help="the account's e-mail address")
        create.add_argument("name", help="what the token is for")
        listing = sub.add_parser("list", help="a person's tokens (prefixes only)")
        listing.add_argument("email")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("email")
        revoke.add_argument("prefix", help="the 8 characters after nom_")

    def run(self, *args: Any, **options: Any) -> None:
        user = _user(options["email"])
        action = options["action"]
        if action == "create":
            _row, token = services.create_api_token(user=user, name=options["name"])
            self.stdout.write(token)
        elif action == "list":
            for row in queries.tokens_of(user):
                state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
                used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
                self.stdout.write(
                    f"nom_{row.prefix}_…  {row.name}  created {row.created_at:%Y-%m-%d}  "
                    f"last used {used}  {state}"
                )
        else:
            prefix = options["prefix"].removeprefix("nom_").split("_")[0]
            found = queries.token_of(user, prefix=prefix)
            if found is None:
                raise bad_input(f"{user.email} has no token nom_{prefix}_…")
            services.revoke_api_token(actor=user, token=found)
            self.stdout.write(f"revoked nom_{prefix}_… ({found.name})")
