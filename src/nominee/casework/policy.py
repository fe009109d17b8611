"""Casework policy as data with effective dates (``data/policy.json``, DOMAIN §7).

Fees, the default deadline of a request for information, the response window of a notice
of intent to refuse, a nomination's validity, the reminder days before a deadline and the
span of the processing-time figures: each read from the version in force on a program date.
"""

from __future__ import annotations

import bisect
import functools
import json
from dataclasses import dataclass
from datetime import date
from importlib import resources

from nominee.scoring.policy import NotInForce


@dataclass(frozen=True)
class CaseworkPolicy:
    """One version of the casework policy, in force from ``effective_from``."""

    effective_from: date
    fee_default: int
    fee_gta_job_offer: int
    fee_gta_job_offer_streams: frozenset[str]
    info_request_days: int
    intent_to_refuse_days: int
    nomination_validity_months: int
    deadline_reminder_days: tuple[int, ...]
    processing_window_days: int

    def fee(self, *, stream: str, job_in_gta: bool) -> int:
        """The application fee in dollars: higher for a GTA job offer in the named streams."""
        if job_in_gta and stream in self.fee_gta_job_offer_streams:
            return self.fee_gta_job_offer
        return self.fee_default


@functools.cache
def _versions() -> tuple[CaseworkPolicy, ...]:
    text = resources.files("nominee.casework").joinpath("data", "policy.json").read_text()
    out = []
    for raw in json.loads(text)["versions"]:
        fees = raw["fees"]
        out.append(
            CaseworkPolicy(
                effective_from=date.fromisoformat(raw["effective_from"]),
                fee_default=int(fees["default"]),
                fee_gta_job_offer=int(fees["gta_job_offer"]),
                fee_gta_job_offer_streams=frozenset(fees["gta_job_offer_streams"]),
                info_request_days=int(raw["info_request_days"]),
                intent_to_refuse_days=int(raw["intent_to_refuse_days"]),
                nomination_validity_months=int(raw["nomination_validity_months"]),
                deadline_reminder_days=tuple(sorted(raw["deadline_reminder_days"], reverse=True)),
                processing_window_days=int(raw["processing_window_days"]),
            )
        )
    return tuple(sorted(out, key=lambda v: v.effective_from))


def casework_policy_at(on: date) -> CaseworkPolicy:
    """The casework policy in force on a program date; NotInForce before the first version."""
    versions = _versions()
    index = bisect.bisect_right([v.effective_from for v in versions], on) - 1
    if index < 0:
        raise NotInForce(f"no casework policy is in force on {on.isoformat()}")
    return versions[index]
