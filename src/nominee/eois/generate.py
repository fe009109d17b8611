"""A synthetic pool of profile documents for demos and benchmarks (``nominee eoi generate``).

Pure Python over the reference files shipped in ``nominee/data`` (not the database), so
that the same seed gives the byte-identical file on any installation. The shapes follow
what OINP publishes or reports (docs/eois.md, "The generated pool"):

- streams weighted as the 2025 draws were: Foreign Worker the largest pool;
- employer-stream NOCs drawn by TEER (TEER 0-3 for Foreign Worker and International
  Student, with TEER 1-2 the most common), In-Demand Skills NOCs from the shipped list,
  "outside the GTA only" entries placed outside the GTA;
- work locations Toronto and the GTA heavy, some Northern Ontario;
- hourly wages around the Job Bank median for the NOC and economic region (never under
  the stream's floor where a figure is known, so that the pool imports cleanly);
- English CLB mostly 6-9, French declared by a minority;
- Masters and PhD graduates without job offers, with Ontario study locations;
- Ontario Workforce Priority (from 2026-06-26): its three pathways (TEER 0-3 most, TEER
  4-5, a few self-employed physicians with a practice instead of a job offer), with the
  months worked in Ontario of its grid and the new education levels;
- each document in a stream open on its registration date (the registry's dates);
- registration instants spread over a window of program dates (America/Toronto).
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from nominee.core.timeutil import program_date, start_of
from nominee.program import streams as registry
from nominee.reference.services import data_file

DEFAULT_FROM = date(2025, 7, 2)
DEFAULT_TO = date(2025, 9, 3)

# Share of the pool per stream (FW largest, as in OINP's 2025 draws).
STREAM_WEIGHTS = [
    ("foreign-worker", 46),
    ("international-student", 24),
    ("in-demand-skills", 10),
    ("masters", 15),
    ("phd", 5),
    ("workforce-priority", 100),
]
# Workforce Priority pathways and their shares (DOMAIN §9; TEER 0-3 the largest).
PATHWAY_WEIGHTS = {"teer-0-3": 72, "teer-4-5": 24, "physician": 4}
PHYSICIAN_NOCS = ("31100", "31101", "31102")
WP_LEVELS = {
    "professional-degree": 3,
    "phd": 2,
    "masters": 18,
    "graduate-certificate": 4,
    "bachelors": 30,
    "college-graduate-certificate": 12,
    "undergraduate-diploma": 13,
    "apprenticeship": 6,
    "secondary-or-less": 12,
}
ID_PREFIX = registry.ID_PREFIX
# Job offers by TEER for the two TEER 0-3 streams.
TEER_WEIGHTS = {0: 8, 1: 34, 2: 34, 3: 24}
# Job offers by TEER for the Workforce Priority TEER 4-5 pathway.
LOW_TEER_WEIGHTS = {4: 60, 5: 40}
# Work locations: Toronto and the rest of the GTA heavy.
CD_WEIGHTS = {
    "3520": 34,  # Toronto
    "3521": 13,  # Peel
    "3519": 9,  # York
    "3518": 4,  # Durham
    "3524": 4,  # Halton
    "3506": 7,  # Ottawa
    "3525": 4,  # Hamilton
    "3530": 4,  # Waterloo
    "3539": 3,  # Middlesex (London)
    "3537": 2,  # Essex (Windsor)
    "3526": 2,  # Niagara
    "3543": 2,  # Simcoe
    "3553": 2,  # Greater Sudbury
    "3558": 2,  # Thunder Bay
    "3557": 1,  # Algoma
    "3548": 1,  # Nipissing
}
OTHER_CD_WEIGHT = 5  # shared by every census division not named above
STUDY_CDS = {
    "3520": 35,
    "3506": 12,
    "3525": 8,
    "3530": 10,
    "3539": 7,
    "3521": 6,
    "3519": 5,
    "3510": 3,
    "3537": 3,
    "3553": 3,
    "3558": 2,
    "3526": 2,
    "3524": 2,
    "3518": 2,
}
ENGLISH_CLB = {4: 2, 5: 4, 6: 10, 7: 22, 8: 25, 9: 20, 10: 11, 11: 4, 12: 2}
FRENCH_CLB = {4: 10, 5: 15, 6: 20, 7: 20, 8: 15, 9: 12, 10: 8}
FIELDS = {
    "stem": 34,
    "health": 10,
    "trades": 4,
    "business": 24,
    "social": 8,
    "legal": 2,
    "education": 3,
    "services": 3,
    "arts": 5,
    "humanities": 4,
    "other": 3,
}
FW_LEVELS = {
    "masters": 22,
    "bachelors": 40,
    "graduate-certificate": 6,
    "undergraduate-diploma": 14,
    "apprenticeship": 8,
    "secondary-or-less": 10,
}
IS_LEVELS = {
    "graduate-certificate": 35,
    "undergraduate-diploma": 25,
    "bachelors": 22,
    "masters": 16,
    "phd": 2,
}
IDS_LEVELS = {
    "secondary-or-less": 55,
    "apprenticeship": 20,
    "undergraduate-diploma": 20,
    "bachelors": 5,
}
FIRST_NAMES = [
    "Aarav",
    "Aisha",
    "Ali",
    "Amara",
    "Ana",
    "Andrei",
    "Arjun",
    "Ayesha",
    "Carlos",
    "Chen",
    "Chloe",
    "Daniel",
    "David",
    "Diego",
    "Elena",
    "Emeka",
    "Fatima",
    "Gabriel",
    "Hana",
    "Hassan",
    "Ibrahim",
    "Isabel",
    "Jin",
    "Jose",
    "Juan",
    "Kavya",
    "Kwame",
    "Layla",
    "Leila",
    "Li",
    "Lucas",
    "Maria",
    "Mateo",
    "Mei",
    "Mohammed",
    "Nadia",
    "Neha",
    "Nguyen",
    "Noor",
    "Olga",
    "Omar",
    "Priya",
    "Rahul",
    "Ravi",
    "Rosa",
    "Sara",
    "Sofia",
    "Tariq",
    "Wei",
    "Yusuf",
    "Zara",
    "Zhang",
    "Amir",
    "Binh",
    "Chidi",
    "Dmitri",
    "Esra",
    "Farah",
    "Grace",
]
LAST_NAMES = [
    "Patel",
    "Singh",
    "Kim",
    "Nguyen",
    "Chen",
    "Wang",
    "Li",
    "Garcia",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Khan",
    "Ahmed",
    "Ali",
    "Hussain",
    "Rahman",
    "Sharma",
    "Kumar",
    "Gupta",
    "Das",
    "Okafor",
    "Mensah",
    "Mwangi",
    "Ivanov",
    "Petrov",
    "Kowalski",
    "Silva",
    "Santos",
    "Costa",
    "Pereira",
    "Rossi",
    "Haddad",
    "Nasser",
    "Tran",
    "Pham",
    "Le",
    "Park",
    "Choi",
    "Tanaka",
    "Sato",
    "Yilmaz",
    "Demir",
    "Cohen",
    "Levi",
    "Murphy",
    "Brown",
    "Smith",
    "Tremblay",
    "Roy",
    "Gagnon",
    "Wilson",
    "Martin",
]


@dataclass(frozen=True)
class _Reference:
    teer_nocs: dict[int, list[str]]
    ids_nocs: list[tuple[str, str]]  # (code, scope)
    cds: list[str]
    cd_weights: list[int]
    gta: frozenset[str]
    er_of: dict[str, str]
    wages: dict[tuple[str, str], tuple[float | None, float | None]]  # (noc, er) -> (low, median)


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data_file(name))))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _reference() -> _Reference:
    wages: dict[tuple[str, str], tuple[float | None, float | None]] = {}
    for row in _rows("jobbank_wages_ontario_2024_partial.csv"):
        low, median = _number(row["low_wage"]), _number(row["median_wage"])
        if row.get("annual_flag", "0").strip() == "1":
            low = low / 2080 if low else low
            median = median / 2080 if median else median
        wages[(row["noc"], row["er_code"])] = (low, median)
    with_wages = {noc for noc, _er in wages}
    teer_nocs: dict[int, list[str]] = defaultdict(list)
    for row in _rows("noc2021_unit_groups.csv"):
        # Occupations with a Job Bank figure: a wage floor the import can check.
        if row["code"] in with_wages and (
            int(row["teer"]) in TEER_WEIGHTS or int(row["teer"]) in LOW_TEER_WEIGHTS
        ):
            teer_nocs[int(row["teer"])].append(row["code"])
    ids = [
        (row["code"], row.get("scope") or "anywhere")
        for row in _rows("in_demand_skills_nocs.csv")
        if row.get("confirmed", "yes") != "no"
    ]
    divisions = _rows("ontario_census_divisions.csv")
    cds = [row["cd_code"] for row in divisions]
    return _Reference(
        teer_nocs=dict(teer_nocs),
        ids_nocs=ids,
        cds=cds,
        cd_weights=[CD_WEIGHTS.get(cd, 0) * 20 or OTHER_CD_WEIGHT for cd in cds],
        gta=frozenset(
            row["cd_code"]
            for row in divisions
            if row["cd_code"] == "3520" or row["oinp_region"] in {"gta", "greater-toronto"}
        ),
        er_of={row["cd_code"]: row["economic_region_code"] for row in divisions},
        wages=wages,
    )


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _instant(text: datetime) -> str:
    return text.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Generator:
    """Builds profile documents; ``documents()`` yields them in registration order."""

    def __init__(
        self,
        *,
        count: int,
        seed: int,
        start: date = DEFAULT_FROM,
        end: date = DEFAULT_TO,
        first_number: int = 1,
        candidates: bool = True,
        streams: list[str] | None = None,
    ) -> None:
        if end < start:
            raise ValueError("the window ends before it starts")
        self.count = count
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible by seed
        self.start = start_of(start)
        self.seconds = int((start_of(end + timedelta(days=1)) - self.start).total_seconds())
        self.first_number = first_number
        self.candidates = candidates
        self.ref = _reference()
        weights = [
            (code, weight)
            for code, weight in STREAM_WEIGHTS
            if (streams is None or code in streams)
            and registry.is_stream(code)
            and registry.info(code).overlaps(start, end + timedelta(days=1))
        ]
        if not weights:
            raise ValueError("no stream to generate: none is open in the window")
        self.weights = weights
        self._by_day: dict[date, tuple[list[str], list[int]]] = {}

    def documents(self) -> Iterator[dict[str, Any]]:
        """The documents, ids numbered in registration order from ``first_number``."""
        rng = self.rng
        offsets = sorted(rng.randrange(self.seconds) for _ in range(self.count))
        for index, offset in enumerate(offsets):
            number = self.first_number + index
            registered = self.start + timedelta(seconds=offset)
            codes, weights = self._open_on(program_date(registered))
            stream = rng.choices(codes, weights=weights)[0]
            yield self._document(stream, number, registered)

    def _open_on(self, day: date) -> tuple[list[str], list[int]]:
        # A window may span a stream's closing or opening: each day draws from its own.
        found = self._by_day.get(day)
        if found is None:
            open_weights = [(c, w) for c, w in self.weights if registry.info(c).open_on(day)]
            if not open_weights:
                raise ValueError(f"no stream to generate is open on {day.isoformat()}")
            found = ([c for c, _w in open_weights], [w for _c, w in open_weights])
            self._by_day[day] = found
        return found

    def _document(self, stream: str, number: int, registered: datetime) -> dict[str, Any]:
        rng = self.rng
        doc: dict[str, Any] = {
            "id": f"{ID_PREFIX[stream]}-{number:07d}",
            "stream": stream,
            "registered_at": _instant(registered),
        }
        pathway = _pick(rng, PATHWAY_WEIGHTS) if registry.info(stream).pathways else None
        if pathway is not None:
            doc["pathway"] = pathway
        employer = registry.takes_job_offer(stream, pathway)
        if employer:
            doc["job_offer"] = self._job_offer(stream, pathway)
        elif pathway == "physician":
            doc["practice"] = {
                "noc": rng.choice(PHYSICIAN_NOCS),
                "census_division": rng.choices(self.ref.cds, weights=self.ref.cd_weights)[0],
            }
        # Permits: IS candidates mostly hold post-graduation work permits or study permits.
        permit_weights = {
            "foreign-worker": {"work": 70, "study": 5, "none": 25},
            "international-student": {"work": 62, "study": 33, "none": 5},
            "in-demand-skills": {"work": 82, "study": 3, "none": 15},
            "masters": {"work": 48, "study": 44, "none": 8},
            "phd": {"work": 40, "study": 52, "none": 8},
            "workforce-priority": {"work": 86, "study": 6, "none": 8},
        }[stream]
        permit = _pick(rng, permit_weights)
        doc["permit"] = permit
        doc["job_tenure_months"] = rng.randint(0, 30) if employer and permit == "work" else 0
        if pathway == "teer-4-5":
            # The pathway asks for 9 months in the job-offer position (DOMAIN §9).
            doc["job_tenure_months"] = rng.randint(9, 36)
        elif pathway == "physician":
            doc["job_tenure_months"] = rng.randint(0, 60)  # months of practice in Ontario
        if pathway is not None:
            doc["ontario_work_months"] = doc["job_tenure_months"] + rng.randint(0, 36)
        earns = permit == "work" and rng.random() < 0.8
        doc["highest_annual_earnings"] = (
            round(rng.lognormvariate(10.75, 0.35) / 100) * 100 if earns else 0
        )
        doc["education"] = self._education(stream, pathway)
        english = _pick(rng, ENGLISH_CLB)
        if stream == "masters":
            english = max(english, 7)
        elif pathway in ("teer-0-3", "physician"):
            english = max(english, 6)
        elif pathway == "teer-4-5":
            english = max(english, 4)
        french = _pick(rng, FRENCH_CLB) if rng.random() < 0.12 else None
        doc["languages"] = {"english": english, "french": french}
        if self.candidates:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            doc["candidate_name"] = f"{first} {last}"
            doc["candidate_email"] = f"{first}.{last}.{number}@example.test".lower()
        return doc

    def _job_offer(self, stream: str, pathway: str | None = None) -> dict[str, Any]:
        rng, ref = self.rng, self.ref
        cd = rng.choices(ref.cds, weights=ref.cd_weights)[0]
        if stream == "in-demand-skills":
            noc, scope = rng.choice(ref.ids_nocs)
            if scope == "outside-gta" and cd in ref.gta:
                cd = rng.choice([c for c in ref.cds if c not in ref.gta])
        else:
            teer = _pick(rng, LOW_TEER_WEIGHTS if pathway == "teer-4-5" else TEER_WEIGHTS)
            noc = rng.choice(ref.teer_nocs[teer])
        low, median = ref.wages.get((noc, ref.er_of[cd])) or ref.wages.get(
            (noc, "35"), (None, None)
        )
        base = median or low or 24.0
        floor = (low or 0.0) if stream == "international-student" else (median or 0.0)
        wage = base * (1.0 + abs(rng.gauss(0.0, 0.12)))
        if stream == "international-student" and rng.random() < 0.4:
            wage = base * rng.uniform(0.88, 1.0)
        wage = max(wage, floor, 17.20)  # never under the Ontario minimum wage (2024)
        # Rounded up to the cent so that rounding never drops a wage under its floor.
        cents = int(wage * 100 + 0.999)
        wage = cents / 100
        return {
            "noc": noc,
            "hourly_wage": int(wage) if wage.is_integer() else wage,
            "census_division": cd,
        }

    def _education(self, stream: str, pathway: str | None = None) -> dict[str, Any]:
        rng = self.rng
        if pathway == "physician":
            level = "professional-degree"
        elif pathway is not None:
            level = _pick(rng, WP_LEVELS)
        elif stream == "masters":
            level = "masters"
        elif stream == "phd":
            level = "phd"
        elif stream == "international-student":
            level = _pick(rng, IS_LEVELS)
        elif stream == "in-demand-skills":
            level = _pick(rng, IDS_LEVELS)
        else:
            level = _pick(rng, FW_LEVELS)
        studied_here = registry.info(stream).education_required or rng.random() < 0.2
        credentials = 0
        if studied_here:
            credentials = 1 if rng.random() < 0.7 else 2
        study_cd = _pick(rng, STUDY_CDS) if studied_here and rng.random() < 0.95 else None
        return {
            "level": level,
            "field": _pick(rng, FIELDS),
            "canadian_credentials": credentials,
            "study_census_division": study_cd,
        }


def document_line(document: dict[str, Any]) -> str:
    """One JSONL line: compact, keys in the document's order, UTF-8 as is."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def generate_lines(**options: Any) -> Iterator[str]:
    """The lines of a generated pool (see ``Generator`` for the options)."""
    for document in Generator(**options).documents():
        yield document_line(document)
