"""``nominee job-offer show ID``: one job offer, for support staff."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.timezone import localtime

from nominee.audit.services import history
from nominee.core.commands import NomineeCommand, bad_input
from nominee.employers.api import offer_out
from nominee.employers.queries import find_offer_for_candidate, normalise_public_id


class Command(NomineeCommand):
    help = "Show a job offer by its Job Offer ID (JO-XXXX-XXXX)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="one job offer with its flags and history")
        show.add_argument("public_id", help="the Job Offer ID, e.g. JO-7K3M-9QX2")
        show.add_argument("--json", action="store_true", help="print the API's JSON document")

    def run(self, *args: Any, **options: Any) -> None:
        raw = options["public_id"]
        if normalise_public_id(raw) is None:
            raise bad_input(f"{raw!r} is not a Job Offer ID (JO-XXXX-XXXX)")
        offer = find_offer_for_candidate(raw)
        if offer is None:
            raise bad_input(f"no job offer {normalise_public_id(raw)}")
        document = offer_out(offer)
        if options["json"]:
            self.stdout.write(json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False))
            return
        w = self.stdout.write
        w(f"{offer.public_id}  {offer.get_status_display()}")
        w(
            f"  employer: {offer.employer} (id {offer.employer_id}, "
            f"CRA BN {offer.employer.cra_business_number})"
        )
        w(f"  stream: {offer.stream}")
        w(f"  occupation: {offer.noc_id} {offer.noc.title} (TEER {offer.noc.teer})")
        w(f"  job title: {offer.job_title}")
        salary = f" (annual salary ${offer.annual_salary:,.2f})" if offer.annual_salary else ""
        w(
            f"  wage: ${offer.hourly_wage}/h{salary}, {offer.hours_per_week} h/week, "
            f"permanent: {'yes' if offer.permanent else 'no'}"
        )
        w(f"  location: {offer.location.municipality} (CD {offer.location.census_division_id})")
        w(f"  candidate: {offer.candidate_name} <{offer.candidate_email}>")
        submitted, lapses = localtime(offer.submitted_at), localtime(offer.lapses_at)
        w(f"  submitted: {submitted:%Y-%m-%d %H:%M %Z}, lapses: {lapses:%Y-%m-%d %H:%M %Z}")
        if document["position_approval_due"]:
            w(f"  position approval due: {document['position_approval_due']}")
        if offer.failures:
            review = "needs review" if offer.needs_review else "reviewed"
            w(f"  flags ({review}):")
            for failure in offer.failures:
                w(f"    {failure['rule']}: {failure['message']}")
        else:
            w("  flags: none")
        w("  history:")
        for event in history(offer)[:20]:
            w(
                f"    {localtime(event.at):%Y-%m-%d %H:%M}  {event.action}  "
                f"by {event.actor or 'system'}"
            )
