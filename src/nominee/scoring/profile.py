"""The EOI profile document (INTERFACES §1): pydantic models and a parser with plain-English errors.

:func:`parse_profile` is the one way in: it validates the shape with pydantic, then the rules
that need the reference data (a NOC that exists, an Ontario census division) and the stream
(what the stream needs or refuses), and reports every problem with its dotted field path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from .grids import first_grid_date
from .policy import (
    EMPLOYER_STREAMS,
    STREAMS,
    StreamInfo,
    is_stream,
    program_date,
    stream_codes,
    stream_info,
)
from .refdata import ReferenceData

__all__ = [
    "EDUCATION_LEVELS",
    "EMPLOYER_STREAMS",
    "FIELDS_OF_STUDY",
    "PERMITS",
    "STREAMS",
    "Education",
    "FieldError",
    "JobOfferFacts",
    "Languages",
    "PracticeFacts",
    "Profile",
    "ProfileError",
    "parse_profile",
]

Permit = Literal["work", "study", "none"]
EducationLevel = Literal[
    "phd",
    "professional-degree",
    "masters",
    "bachelors",
    "graduate-certificate",
    "college-graduate-certificate",
    "undergraduate-diploma",
    "apprenticeship",
    "secondary-or-less",
]
FieldOfStudy = Literal[
    "stem",
    "health",
    "trades",
    "business",
    "social",
    "legal",
    "education",
    "services",
    "arts",
    "humanities",
    "other",
]
PERMITS: tuple[str, ...] = ("work", "study", "none")
EDUCATION_LEVELS: tuple[str, ...] = get_args(EducationLevel)
FIELDS_OF_STUDY: tuple[str, ...] = get_args(FieldOfStudy)

NocCode = Annotated[StrictStr, Field(pattern=r"^[0-9]{5}$")]
CensusDivisionCode = Annotated[StrictStr, Field(pattern=r"^35[0-9]{2}$")]
Clb = Annotated[StrictInt, Field(ge=1, le=12)]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Count = Annotated[StrictInt, Field(ge=0)]

_MODEL = ConfigDict(extra="forbid", frozen=True)


def _no_bool(value: Any) -> Any:
    # pydantic's lax float takes True as 1.0; a yes/no where an amount belongs is a mistake.
    if isinstance(value, bool):
        raise ValueError("must be a number")
    return value


class JobOfferFacts(BaseModel):
    """What the profile says about the job offer: NOC, hourly wage (CAD), work location."""

    model_config = _MODEL

    noc: NocCode
    hourly_wage: Amount
    census_division: CensusDivisionCode

    _wage_not_bool = field_validator("hourly_wage", mode="before")(_no_bool)


class PracticeFacts(BaseModel):
    """A physician's practice (INTERFACES §1, ``physician`` pathway): the practice NOC and
    the census division of the OHIP practice address, scored as a job offer's would be."""

    model_config = _MODEL

    noc: NocCode
    census_division: CensusDivisionCode


class Education(BaseModel):
    """Highest education, field, Canadian credentials, and where the candidate studied."""

    model_config = _MODEL

    level: EducationLevel | None = None
    field: FieldOfStudy | None = None
    canadian_credentials: Count = 0
    study_census_division: CensusDivisionCode | None = None


class Languages(BaseModel):
    """CLB per official language (the lowest of the four abilities); None: no valid test."""

    model_config = _MODEL

    english: Clb | None = None
    french: Clb | None = None

    @property
    def best(self) -> int | None:
        """The highest CLB among the official languages with a result (None: no result)."""
        english, french = self.english, self.french
        if english is None:
            return french
        if french is None or english >= french:
            return english
        return french

    @property
    def declared(self) -> int:
        """How many official languages have a valid test result."""
        return (self.english is not None) + (self.french is not None)


class Profile(BaseModel):
    """One EOI as a candidate declares it (INTERFACES §1). Build it with :func:`parse_profile`.

    Missing optional facts take the value that scores nothing (permit ``none``, 0 months,
    $0, no language test), as INTERFACES §1 says of languages; docs/scoring.md.
    """

    model_config = _MODEL

    id: StrictStr | None = None
    # A code of the stream registry (policy data), so a new stream needs no code here.
    stream: StrictStr
    # A pathway of the stream's registry entry (required where the stream has pathways).
    pathway: StrictStr | None = None
    registered_at: AwareDatetime | None = None
    job_offer: JobOfferFacts | None = None
    practice: PracticeFacts | None = None
    permit: Permit = "none"
    job_tenure_months: Count = 0
    ontario_work_months: Count = 0
    highest_annual_earnings: Amount = 0.0
    education: Education | None = None
    languages: Languages = Languages()

    _earnings_not_bool = field_validator("highest_annual_earnings", mode="before")(_no_bool)

    @field_validator("stream", mode="before")
    @classmethod
    def _known_stream(cls, value: Any) -> Any:
        if not is_stream(value):
            # Reported as a choice error, like the other enumerations of the document.
            raise PydanticCustomError("literal_error", "unknown stream")
        return value

    @property
    def workplace(self) -> JobOfferFacts | PracticeFacts | None:
        """Where the occupation and location factors look: the job offer, else the practice."""
        return self.job_offer if self.job_offer is not None else self.practice

    def to_document(self) -> dict[str, Any]:
        """The profile as INTERFACES §1 JSON; ``parse_profile(p.to_document()) == p``.

        Absent optional parts (id, pathway, registered_at, job_offer, practice, education)
        are left out, and so is ``ontario_work_months`` at 0 outside a stream with pathways
        (the 2025 documents keep their shape).
        """
        doc: dict[str, Any] = {}
        if self.id is not None:
            doc["id"] = self.id
        doc["stream"] = self.stream
        if self.pathway is not None:
            doc["pathway"] = self.pathway
        if self.registered_at is not None:
            doc["registered_at"] = _instant(self.registered_at)
        if self.job_offer is not None:
            offer = self.job_offer
            doc["job_offer"] = {
                "noc": offer.noc,
                "hourly_wage": _number(offer.hourly_wage),
                "census_division": offer.census_division,
            }
        if self.practice is not None:
            doc["practice"] = {
                "noc": self.practice.noc,
                "census_division": self.practice.census_division,
            }
        doc["permit"] = self.permit
        doc["job_tenure_months"] = self.job_tenure_months
        if self.pathway is not None or self.ontario_work_months:
            doc["ontario_work_months"] = self.ontario_work_months
        doc["highest_annual_earnings"] = _number(self.highest_annual_earnings)
        if self.education is not None:
            edu = self.education
            doc["education"] = {
                "level": edu.level,
                "field": edu.field,
                "canadian_credentials": edu.canadian_credentials,
                "study_census_division": edu.study_census_division,
            }
        doc["languages"] = {"english": self.languages.english, "french": self.languages.french}
        return doc


def _instant(value: datetime) -> str:
    if value.utcoffset() == UTC.utcoffset(None):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _number(value: float) -> int | float:
    # 52000 stays 52000 in the JSON rather than 52000.0; both read back as the same float.
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with a profile document: the dotted field path and a plain-English message."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ProfileError(ValueError):
    """A profile document is invalid; ``errors`` lists every problem found, by field."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        """Wrap the field errors (at least one)."""
        self.errors: list[FieldError] = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors) or "invalid profile document")

    def by_field(self) -> dict[str, list[str]]:
        """The messages grouped by field path, as an API error body wants them."""
        fields: dict[str, list[str]] = {}
        for error in self.errors:
            fields.setdefault(error.field, []).append(error.message)
        return fields


_CHOICES: dict[str, tuple[str, ...]] = {
    "permit": PERMITS,
    "education.level": EDUCATION_LEVELS,
    "education.field": FIELDS_OF_STUDY,
}
_PATTERN_MESSAGES = {
    "job_offer.noc": "must be a 5-digit NOC 2021 code, as a string",
    "job_offer.census_division": "must be a 4-digit Ontario census division code (35xx)",
    "practice.noc": "must be a 5-digit NOC 2021 code, as a string",
    "practice.census_division": "must be a 4-digit Ontario census division code (35xx)",
    "education.study_census_division": (
        "must be a 4-digit Ontario census division code (35xx), or null"
    ),
}
_CLB_FIELDS = {"languages.english", "languages.french"}


def _message(path: str, error: ErrorDetails) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "missing" or (value is None and kind != "extra_forbidden"):
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field of the profile document"
    if path in _CLB_FIELDS:
        return "must be a CLB level from 1 to 12, or null for no valid test"
    if path in _PATTERN_MESSAGES:
        return _PATTERN_MESSAGES[path]
    if kind == "literal_error":
        choices = ", ".join(stream_codes() if path == "stream" else _CHOICES.get(path, ()))
        name = path.rsplit(".", 1)[-1].replace("_", " ")
        return f"unknown {name} {value!r}; expected one of {choices}"
    if kind in {"greater_than_equal", "greater_than"}:
        return "must not be negative"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return "must be a whole number"
    if kind in {"float_type", "float_parsing", "finite_number", "value_error"}:
        return "must be a number"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "must be an object"
    if kind == "string_type":
        return "must be a string"
    if kind == "timezone_aware":
        return "must carry a time zone (for example 2025-07-15T10:20:30Z or ...-04:00)"
    if kind.startswith("datetime"):
        return "must be an ISO 8601 date and time with a zone, like 2025-07-15T10:20:30Z"
    return str(error["msg"])


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "document"


def parse_profile(data: Any, *, ref: ReferenceData | None = None) -> Profile:
    """Validate a profile document (a dict, as JSON decodes it) into a :class:`Profile`.

    Raises ProfileError listing every problem with its field path. Beyond the shape: the NOC
    must exist in NOC 2021 and census divisions in Ontario (``ref``, default the shipped
    data); a stream that takes a job offer (the stream registry's ``job_offer_required``)
    needs ``job_offer`` and the others refuse one; a stream with ``education_required``
    needs ``education`` with its level and field; ``registered_at`` may not precede the
    first points grid, nor fall on a day its stream is not open.
    """
    if not isinstance(data, dict):
        raise ProfileError([FieldError("document", "must be a JSON object")])
    errors: list[FieldError] = []
    profile: Profile | None = None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as invalid:
        errors = _dedupe(
            [FieldError(_path(e["loc"]), _message(_path(e["loc"]), e)) for e in invalid.errors()]
        )
    # The rules below read the raw document, so that a form with a missing wage still hears
    # that its NOC does not exist: every problem at once, not one round trip per problem.
    taken = {e.field for e in errors}
    extra = _stream_problems(data) + _reference_problems(data, ref or ReferenceData.from_package())
    if profile is not None:
        extra += _date_problems(profile)
    errors += [e for e in extra if e.field not in taken]
    if errors or profile is None:
        raise ProfileError(errors)
    return profile


def _dedupe(errors: list[FieldError]) -> list[FieldError]:
    # A union (e.g. "CLB or null") makes pydantic report one failure per branch.
    seen: set[tuple[str, str]] = set()
    unique = []
    for error in errors:
        key = (error.field, error.message)
        if key not in seen:
            seen.add(key)
            unique.append(error)
    return unique


def _sub(data: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = data.get(key)
    return value if isinstance(value, dict) else None


def _pathway_problems(info: StreamInfo, data: dict[str, Any]) -> tuple[list[FieldError], bool]:
    """Problems with ``pathway``, and whether the pathway is known (its rules then apply)."""
    pathway = data.get("pathway")
    if not info.pathways:
        if pathway is not None:
            return [
                FieldError("pathway", f"must be absent: the {info.code} stream has no pathways")
            ], False
        return [], False
    choices = ", ".join(info.pathway_codes)
    if pathway is None:
        return [
            FieldError("pathway", f"is required for the {info.code} stream; one of {choices}")
        ], False
    if pathway not in info.pathway_codes:
        return [
            FieldError("pathway", f"unknown pathway {pathway!r}; expected one of {choices}")
        ], False
    return [], True


def _stream_problems(data: dict[str, Any]) -> list[FieldError]:
    stream = data.get("stream")
    if not is_stream(stream):
        return []
    info = stream_info(stream)
    problems, known = _pathway_problems(info, data)
    pathway = data.get("pathway") if known else None
    # Where the pathway is unknown, its job-offer rule is too: say nothing of the job offer.
    offer = data.get("job_offer")
    practice = data.get("practice")
    if info.pathways and not known:
        return problems
    who = f"the {pathway} pathway" if pathway is not None else f"the {stream} stream"
    if info.takes_job_offer(pathway):
        if offer is None:
            problems.append(FieldError("job_offer", f"is required for {who}"))
    elif offer is not None:
        problems.append(FieldError("job_offer", f"must be absent: {who} takes no job offer"))
    # A practice goes with a pathway that has no job offer (the physicians'), instead of one.
    takes_practice = pathway is not None and not info.takes_job_offer(pathway)
    if takes_practice:
        if practice is None:
            problems.append(FieldError("practice", f"is required for {who}"))
    elif practice is not None:
        problems.append(
            FieldError("practice", "must be absent: only a pathway without a job offer has one")
        )
    if info.education_required:
        if data.get("education") is None:
            problems.append(FieldError("education", f"is required for the {stream} stream"))
        education = _sub(data, "education")
        if education is not None:
            for key in ("level", "field"):
                if education.get(key) is None:
                    problems.append(
                        FieldError(f"education.{key}", f"is required for the {stream} stream")
                    )
    return problems


def stream_date_problem(stream: str, day: date) -> FieldError | None:
    """The refusal of a profile of ``stream`` on program date ``day``, naming the stream's
    dates, when the stream is closed or not yet open then (None: open)."""
    if not is_stream(stream):
        return None
    info = stream_info(stream)
    if info.open_on(day):
        return None
    state = "not yet open" if day < info.effective_from else "closed"
    return FieldError(
        "stream",
        f"the {info.code} stream is {info.dates_in_words()}; it is {state} on {day.isoformat()}",
    )


def _date_problems(profile: Profile) -> list[FieldError]:
    if profile.registered_at is None:
        return []
    first = first_grid_date()
    day = program_date(profile.registered_at)
    if day < first:
        return [
            FieldError(
                "registered_at",
                f"must be on or after {first.isoformat()}, "
                "when the first points grid came into force",
            )
        ]
    problem = stream_date_problem(profile.stream, day)
    return [] if problem is None else [problem]


def _code(value: Any, digits: int, prefix: str = "") -> str | None:
    # Only a well-formed code is looked up; a malformed one already has its shape error.
    if isinstance(value, str) and len(value) == digits and value.isdigit():
        return value if value.startswith(prefix) else None
    return None


def _reference_problems(data: dict[str, Any], ref: ReferenceData) -> list[FieldError]:
    problems: list[FieldError] = []
    for part in ("job_offer", "practice"):
        place = _sub(data, part)
        if place is None:
            continue
        noc = _code(place.get("noc"), 5)
        if noc is not None and noc not in ref.nocs:
            problems.append(FieldError(f"{part}.noc", f"{noc} is not a NOC 2021 unit group"))
        cd = _code(place.get("census_division"), 4, "35")
        if cd is not None and cd not in ref.census_divisions:
            problems.append(
                FieldError(f"{part}.census_division", f"{cd} is not an Ontario census division")
            )
    education = _sub(data, "education")
    if education is not None:
        cd = _code(education.get("study_census_division"), 4, "35")
        if cd is not None and cd not in ref.census_divisions:
            problems.append(
                FieldError(
                    "education.study_census_division", f"{cd} is not an Ontario census division"
                )
            )
    return problems
