"""Demo step of the eois app: a generated pool with the employers and job offers behind it.

About 20,000 EOIs registered between 2025-07-02 and 2025-09-03 (the generator's window),
each employer-stream EOI bound to a job offer (status ``eoi_registered``) of one of a few
hundred demo employers in the EOI's work location, plus a few hundred legacy EOIs from
before the reform. Rows are written in bulk (no per-row service calls) but scored and
checked by the same pure code as the bulk import. The walkthrough candidate of the
employers' demo step (``candidate@demo.nominee.test``) is left without an EOI: the person
trying the demo registers it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.utils import timezone

from nominee.accounts.models import User
from nominee.audit.services import record
from nominee.employers.models import Employer, EmployerContact, JobOffer, WorkLocation
from nominee.eois.documents import eoi_columns, failures_as_flags
from nominee.eois.generate import Generator
from nominee.eois.models import EOI, Candidate
from nominee.reference.models import CensusDivision, Noc
from nominee.reference.queries import reference_data
from nominee.scoring import check_profile, parse_profile, score_profile
from nominee.scoring.policy import policy_at, program_date

POOL_SIZE = 20_000
LEGACY_SIZE = 600
EMPLOYERS = 300
SEED = 2025
LEGACY_FROM = date(2025, 3, 1)
LEGACY_TO = date(2025, 7, 1)
DEMO_EMPLOYER_USER = "pool-employers@demo.nominee.test"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
TRADES = ["Foods", "Logistics", "Health", "Systems", "Construction", "Care", "Labs", "Works"]


def _luhn_number(seed: int) -> str:
    """A 9-digit CRA-style business number with a valid check digit."""
    digits = [int(d) for d in f"{7_0000_000 + seed:08d}"]
    total = 0
    for i, d in enumerate(digits):
        if i % 2 == 1:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def load(out: TextIO | Any) -> None:
    """Load the generated pool, its employers and job offers (see the module docstring)."""
    rng = random.Random(SEED)  # noqa: S311 - synthetic demo data, reproducible by design
    documents = list(Generator(count=POOL_SIZE, seed=SEED).documents())
    documents += list(
        Generator(
            count=LEGACY_SIZE,
            seed=SEED + 1,
            start=LEGACY_FROM,
            end=LEGACY_TO,
            first_number=POOL_SIZE + 1,
            streams=["foreign-worker", "international-student", "in-demand-skills"],
        ).documents()
    )
    loaded = load_pool(documents, rng=rng, employers=EMPLOYERS)
    record(
        actor=None,
        action="eois.demo_loaded",
        subject_type="eois.import",
        subject_id="demo",
        data={"eois": loaded.eois, "employers": len(loaded.new_employers)},
    )
    out.write(
        f"  pool: {loaded.eois} EOIs ({loaded.legacy} legacy), "
        f"{len(loaded.new_employers)} employers, {loaded.job_offers} job offers"
    )


def pool_owner() -> User:
    """The account that stands for the pool's employers (it cannot log in)."""
    owner, _created = User.objects.get_or_create(
        email=DEMO_EMPLOYER_USER,
        defaults={"username": DEMO_EMPLOYER_USER, "full_name": "Demo pool employers"},
    )
    if owner.has_usable_password():
        owner.set_unusable_password()
        owner.save(update_fields=["password"])
    return owner


@dataclass(frozen=True)
class LoadedPool:
    """What :func:`load_pool` wrote."""

    eois: int
    legacy: int
    job_offers: int
    new_employers: list[Employer]


def load_pool(documents: list[dict[str, Any]], *, rng: random.Random, employers: int) -> LoadedPool:
    """Write generated profile documents as EOIs, with their candidates and job offers.

    Each document with a job offer gets one (status ``eoi_registered``) of a pool employer
    in its work location; about ``employers`` businesses are spread over the locations the
    documents use, in proportion, reusing the pool employers already in a location. Rows
    are scored and checked by the same pure code as the bulk import; documents that fail a
    refusing rule are left out.
    """
    ref = reference_data()
    now = timezone.now()
    owner = pool_owner()
    by_cd: dict[str, int] = defaultdict(int)
    for doc in documents:
        if "job_offer" in doc:
            by_cd[doc["job_offer"]["census_division"]] += 1
    total = sum(by_cd.values()) or 1
    names = dict(CensusDivision.objects.values_list("code", "name"))
    locations_in: dict[str, list[WorkLocation]] = defaultdict(list)
    for location in WorkLocation.objects.filter(employer__contacts__user=owner):
        locations_in[location.census_division_id].append(location)
    new_employers: list[Employer] = []
    employer_cd: list[str] = []
    taken = Employer.objects.filter(contacts__user=owner).count()
    for cd, n in sorted(by_cd.items()):
        if locations_in[cd]:
            continue
        for _ in range(max(1, round(employers * n / total))):
            k = taken + len(new_employers) + 1
            gta = cd in {"3518", "3519", "3520", "3521", "3524"}
            new_employers.append(
                Employer(
                    legal_name=f"{names[cd]} {rng.choice(TRADES)} {k} Inc.",
                    cra_business_number=_luhn_number(k),
                    street_address=f"{rng.randint(1, 999)} Main St",
                    municipality=names[cd],
                    postal_code="M5H 1A1" if gta else "P3E 1A1",
                    years_in_business=rng.randint(3, 40),
                    gross_revenue=Decimal(rng.randint(12, 400) * 100_000),
                    created_by=owner,
                    created_at=now,
                    updated_at=now,
                )
            )
            employer_cd.append(cd)
    Employer.objects.bulk_create(new_employers)
    locations = WorkLocation.objects.bulk_create(
        WorkLocation(
            employer=e,
            census_division_id=cd,
            municipality=names[cd],
            street_address=e.street_address,
            full_time_employees=rng.randint(6, 400),
            created_at=now,
        )
        for e, cd in zip(new_employers, employer_cd, strict=True)
    )
    EmployerContact.objects.bulk_create(
        EmployerContact(employer=e, user=owner, is_signing_officer=True, created_at=now)
        for e in new_employers
    )
    for location in locations:
        locations_in[location.census_division_id].append(location)

    titles = dict(Noc.objects.values_list("code", "title"))
    candidates: list[Candidate] = []
    offers: list[JobOffer | None] = []
    rows: list[dict[str, Any]] = []
    used_ids: set[str] = set(JobOffer.objects.values_list("public_id", flat=True))
    for doc in documents:
        name, email = doc.pop("candidate_name"), doc.pop("candidate_email")
        profile = parse_profile(doc, ref=ref)
        assert profile.registered_at is not None
        registered_on = program_date(profile.registered_at)
        failures = check_profile(profile, on=registered_on, ref=ref)
        if any(f.severity == "refuse" for f in failures):
            continue
        columns = eoi_columns(profile, score_profile(profile, ref=ref), ref)
        columns["flags"] = failures_as_flags(failures, "eligibility")
        columns["needs_review"] = bool(columns["flags"])
        candidates.append(Candidate(full_name=name, email=email, created_at=profile.registered_at))
        offer = None
        if "job_offer" in doc and not columns["is_legacy"]:
            job = doc["job_offer"]
            location = rng.choice(locations_in[job["census_division"]])
            while True:
                chars = "".join(rng.choice(ALPHABET) for _ in range(8))
                public_id = f"JO-{chars[:4]}-{chars[4:]}"
                if public_id not in used_ids:
                    used_ids.add(public_id)
                    break
            validity = policy_at(registered_on).job_offer_validity_days
            submitted = profile.registered_at - timedelta(
                days=rng.randint(1, validity - 2), minutes=rng.randint(0, 600)
            )
            offer = JobOffer(
                public_id=public_id,
                employer_id=location.employer_id,
                location=location,
                stream=profile.stream,
                noc_id=job["noc"],
                job_title=titles.get(job["noc"], job["noc"])[:200],
                hourly_wage=Decimal(str(job["hourly_wage"])),
                hours_per_week=Decimal(rng.choice([35, 37.5, 40, 40, 40, 44])),
                permanent=True,
                candidate_name=name,
                candidate_email=email,
                status=JobOffer.Status.EOI_REGISTERED,
                submitted_by=owner,
                submitted_at=submitted,
                lapses_at=submitted + timedelta(days=validity),
                updated_at=profile.registered_at,
            )
        offers.append(offer)
        rows.append(columns)
    Candidate.objects.bulk_create(candidates, batch_size=2000)
    JobOffer.objects.bulk_create([o for o in offers if o is not None], batch_size=2000)
    EOI.objects.bulk_create(
        (
            EOI(
                external_id=c["profile"]["id"],
                candidate=candidate,
                job_offer=offer,
                status=EOI.Status.ACTIVE,
                updated_at=c["registered_at"],
                **c,
            )
            for c, candidate, offer in zip(rows, candidates, offers, strict=True)
        ),
        batch_size=2000,
    )
    return LoadedPool(
        eois=len(rows),
        legacy=sum(1 for c in rows if c["is_legacy"]),
        job_offers=sum(1 for o in offers if o),
        new_employers=new_employers,
    )
