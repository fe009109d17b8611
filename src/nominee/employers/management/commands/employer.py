"""``nominee employer list|show|sweep-lapsed|registration``: support staff's view of the
employer portal, and the officers' decisions on registrations with the program.

``nominee employer registration approve|refuse ID --as EMAIL`` decides on behalf of an
officer or manager, under the same rules as the page (the service checks the role).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from nominee.accounts.models import User
from nominee.core.commands import NomineeCommand, bad_input
from nominee.employers import queries
from nominee.employers.models import Employer, EmployerRegistration
from nominee.employers.services import (
    approve_registration,
    lapse_job_offers,
    refuse_registration,
)


class Command(NomineeCommand):
    help = "List businesses, show one, or lapse the job offers whose 30 days have passed."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="every business with its failing rules and offers")
        listing.add_argument(
            "--flagged",
            action="store_true",
            help="only those with a failing rule or an offer to review",
        )
        listing.add_argument("--json", action="store_true", help="print JSON lines")
        show = sub.add_parser("show", help="one business by id or CRA business number")
        show.add_argument("employer", help="the id, or the 9-digit CRA business number")
        show.add_argument("--json", action="store_true", help="print JSON")
        sub.add_parser("sweep-lapsed", help="lapse every offer still awaiting an EOI past its date")
        registration = sub.add_parser(
            "registration",
            help="registrations with the program: the pending ones, approve, refuse",
            description="List the requests awaiting a decision, or decide one as an officer "
            "or manager (--as). Exit code 2 for bad input.",
        )
        reg = registration.add_subparsers(dest="registration_action", required=True)
        pending = reg.add_parser("list", help="requests awaiting a decision, oldest first")
        pending.add_argument(
            "--all", action="store_true", help="every request with its decision, newest first"
        )
        pending.add_argument("--json", action="store_true", help="print JSON lines")
        approve = reg.add_parser("approve", help="approve a pending request")
        approve.add_argument("registration", help="the request's id (see list)")
        approve.add_argument("--as", dest="as_user", required=True, help="the officer's e-mail")
        approve.add_argument("--note", default="", help="a note for the employer (optional)")
        refuse = reg.add_parser("refuse", help="refuse a pending request, with reasons")
        refuse.add_argument("registration", help="the request's id (see list)")
        refuse.add_argument("--as", dest="as_user", required=True, help="the officer's e-mail")
        refuse.add_argument(
            "--reasons", required=True, help="why, in words (the employer reads it)"
        )

    def run(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            self._list(flagged=options["flagged"], as_json=options["json"])
        elif action == "show":
            self._show(options["employer"], as_json=options["json"])
        elif action == "registration":
            self._registration(options)
        else:
            count = lapse_job_offers()
            self.stdout.write(f"{count} job offer(s) lapsed")

    def _list(self, *, flagged: bool, as_json: bool) -> None:
        rows = queries.employer_list(flagged_only=flagged)
        for row in rows:
            employer = row["employer"]
            if as_json:
                self.stdout.write(
                    json.dumps(
                        {
                            "id": employer.pk,
                            "legal_name": employer.legal_name,
                            "operating_name": employer.operating_name,
                            "cra_business_number": employer.cra_business_number,
                            "offers": row["offers"],
                            "to_review": row["to_review"],
                            "failing_rules": row["failing_rules"],
                        }
                    )
                )
            else:
                rules = ", ".join(row["failing_rules"]) or "eligible"
                self.stdout.write(
                    f"{employer.pk:>6}  {employer.cra_business_number}  {employer}  "
                    f"offers={row['offers']} to_review={row['to_review']}  [{rules}]"
                )
        if not as_json:
            self.stdout.write(f"{len(rows)} employer(s)")

    def _show(self, ref: str, *, as_json: bool) -> None:
        ref = ref.strip()
        employer = None
        if ref.isdigit():
            employer = (
                Employer.objects.filter(cra_business_number=ref).first()
                if len(ref) == 9
                else Employer.objects.filter(pk=int(ref)).first()
            )
        if employer is None:
            raise bad_input(f"no employer with id or CRA business number {ref!r}")
        eligibility = queries.eligibility_by_location(employer)
        offers = queries.with_effective_status_many(employer.job_offers.order_by("-submitted_at"))
        document: dict[str, Any] = {
            "id": employer.pk,
            "legal_name": employer.legal_name,
            "operating_name": employer.operating_name,
            "cra_business_number": employer.cra_business_number,
            "address": f"{employer.street_address}, {employer.municipality} {employer.postal_code}",
            "years_in_business": employer.years_in_business,
            "gross_revenue": employer.gross_revenue,
            "registration_state": queries.registration_state(employer),
            "contacts": [
                {"email": c.user.email, "signing_officer": c.is_signing_officer, "active": c.active}
                for c in employer.contacts.select_related("user")
            ],
            "locations": [
                {
                    "id": item.location.pk,
                    "census_division": item.location.census_division_id,
                    "municipality": item.location.municipality,
                    "full_time_employees": item.location.full_time_employees,
                    "failures": [f.to_document() for f in item.failures],
                }
                for item in eligibility
            ],
            "job_offers": [{"public_id": o.public_id, "status": o.status} for o in offers],
        }
        if as_json:
            self.stdout.write(json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False))
            return
        self.stdout.write(
            f"{employer} ({employer.legal_name}), CRA BN {employer.cra_business_number}"
        )
        self.stdout.write(f"  {document['address']}")
        self.stdout.write(
            f"  {employer.years_in_business} years in business, "
            f"revenue ${employer.gross_revenue:,.2f}"
        )
        self.stdout.write(f"  registration with the program: {document['registration_state']}")
        for contact in document["contacts"]:
            role = "signing officer" if contact["signing_officer"] else "contact"
            state = "" if contact["active"] else " (removed)"
            self.stdout.write(f"  {role}: {contact['email']}{state}")
        for loc in document["locations"]:
            self.stdout.write(
                f"  location {loc['id']}: {loc['municipality']} (CD {loc['census_division']}), "
                f"{loc['full_time_employees']} employees"
            )
            for failure in loc["failures"]:
                self.stdout.write(f"    fails {failure['rule']}: {failure['message']}")
        for offer in document["job_offers"]:
            self.stdout.write(f"  job offer {offer['public_id']}: {offer['status']}")

    def _registration(self, options: dict[str, Any]) -> None:
        action = options["registration_action"]
        if action == "list":
            rows = (
                EmployerRegistration.objects.select_related(
                    "employer", "requested_by", "decided_by"
                ).order_by("-requested_at", "-id")
                if options["all"]
                else queries.pending_registrations().select_related("decided_by")
            )
            count = 0
            for row in rows:
                count += 1
                self._print_registration(row, as_json=options["json"])
            if not options["json"]:
                self.stdout.write(f"{count} request(s)")
            return
        ref = str(options["registration"]).strip()
        registration = queries.registration_for_staff(ref) if ref.isdigit() else None
        if registration is None:
            raise bad_input(f"no registration request with id {ref!r}")
        user = User.objects.filter(email__iexact=options["as_user"], is_active=True).first()
        if user is None:
            raise bad_input(f"--as: no active account {options['as_user']}")
        if action == "approve":
            decided = approve_registration(
                actor=user, registration=registration, reasons=options["note"]
            )
        else:
            decided = refuse_registration(
                actor=user, registration=registration, reasons=options["reasons"]
            )
        self.stdout.write(f"{decided.employer}: registration {decided.status} by {user.email}")

    def _print_registration(self, row: EmployerRegistration, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "id": row.pk,
                        "employer_id": row.employer_id,
                        "employer": str(row.employer),
                        "cra_business_number": row.employer.cra_business_number,
                        "status": row.status,
                        "requested_by": row.requested_by.email,
                        "requested_at": row.requested_at,
                        "decided_by": row.decided_by.email if row.decided_by else None,
                        "decided_at": row.decided_at,
                        "reasons": row.reasons,
                    },
                    cls=DjangoJSONEncoder,
                    ensure_ascii=False,
                )
            )
            return
        decided = (
            f"  {row.status} {row.decided_at:%Y-%m-%d} by {row.decided_by.email}"
            if row.decided_at and row.decided_by
            else f"  {row.status}"
        )
        self.stdout.write(
            f"{row.pk:>6}  {row.employer.cra_business_number}  {row.employer}  "
            f"requested {row.requested_at:%Y-%m-%d} by {row.requested_by.email}{decided}"
        )
