"""Program policy as data with effective dates (``data/policy.json``), and the program calendar.

Nothing in the engine hard-codes a threshold or a stream: :func:`policy_at` returns the version
in force on a program date, and every rule reads its numbers from there; the document's stream
registry (:func:`stream_registry`) says which streams exist, what each one is and when it is
open, and every list of streams (form choices, ID prefixes, chart colours, the profile's
``stream`` values) derives from it.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from typing import Any, Literal, TypeGuard
from zoneinfo import ZoneInfo

from pydantic import ConfigDict, TypeAdapter
from pydantic.dataclasses import dataclass as pydantic_dataclass

PROGRAM_TZ = ZoneInfo("America/Toronto")

WageFloorKind = Literal["low", "median", "high"]


class NotInForce(LookupError):
    """No policy or grid version is in force on the date asked (it precedes the first one)."""


def program_date(instant: datetime) -> date:
    """The program date (a calendar day in America/Toronto) on which an instant falls.

    Raises ValueError for a naive datetime: without a zone the day is ambiguous.
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("a program date needs an instant with a time zone")
    return instant.astimezone(PROGRAM_TZ).date()


def program_today() -> date:
    """Today's program date."""
    return datetime.now(PROGRAM_TZ).date()


_FROZEN = ConfigDict(extra="forbid")


@pydantic_dataclass(frozen=True, config=_FROZEN)
class ItaDays:
    """Days to answer an invitation: the employer's position approval, the candidate's file."""

    employer: int | None
    candidate: int


@pydantic_dataclass(frozen=True, config=_FROZEN)
class EmployerSize:
    """Minimum gross revenue (CAD, last fiscal year) and full-time permanent employees."""

    min_revenue: int
    min_employees: int


@pydantic_dataclass(frozen=True, config=_FROZEN)
class EmployerThresholds:
    """DOMAIN §3 and §9: size thresholds by the work location, and years in business.

    ``gta`` applies to a work location in the GTA; ``listed`` (2026: the middle revenue
    tier) to one in ``listed_census_divisions``; ``outside_gta`` to every other location.
    ``registration_required``: the employer must be registered with (approved by) the
    program before its job offers can support an EOI (DOMAIN §9; built on the Django side).
    """

    gta: EmployerSize
    outside_gta: EmployerSize
    min_years_in_business: int
    listed: EmployerSize | None = None
    listed_census_divisions: frozenset[str] = frozenset()
    registration_required: bool = False

    def tier(self, census_division: str, *, in_gta: bool) -> tuple[str, EmployerSize]:
        """The tier of a work location, ``gta``, ``listed`` or ``outside_gta``, and its size."""
        if in_gta:
            return "gta", self.gta
        if self.listed is not None and census_division in self.listed_census_divisions:
            return "listed", self.listed
        return "outside_gta", self.outside_gta


@pydantic_dataclass(frozen=True, config=_FROZEN)
class PathwayInfo:
    """One pathway of a stream's registry entry (DOMAIN §9): each EOI of the stream names one.

    ``job_offer_required`` overrides the stream's (the physician pathway takes none);
    ``teers`` are the TEERs of the job offer it accepts (None: no job offer, or any);
    ``ita_days`` replaces the stream's invitation windows when given (no employer, no
    employer window).
    """

    code: str
    name: str
    job_offer_required: bool
    teers: frozenset[int] | None = None
    ita_days: ItaDays | None = None


@pydantic_dataclass(frozen=True, config=_FROZEN)
class StreamInfo:
    """One entry of the stream registry (DOMAIN §2, §9): what a stream is, and when it is open.

    Which rule kinds apply is data: ``job_offer_required`` (the profile takes an employer's
    job offer, so the job-offer rules and the employer thresholds of DOMAIN §3 apply, the
    employer has an invitation window and the offer follows the EOI), ``wage_floor`` (which
    Job Bank figure the wage must reach, None: no floor), ``education_required`` (the
    profile must give its education level and field) and ``legacy_applies`` (EOIs
    registered before the reform are legacy, never drawn). The stream is open from
    ``effective_from`` (inclusive) until ``until`` (exclusive; None: open-ended).
    """

    code: str
    name: str
    id_prefix: str
    job_offer_required: bool
    wage_floor: WageFloorKind | None
    education_required: bool
    legacy_applies: bool
    ita_days: ItaDays
    colour: str
    shape: Literal["circle", "square", "diamond", "triangle"]
    effective_from: date
    until: date | None = None
    pathways: tuple[PathwayInfo, ...] = ()

    @property
    def pathway_codes(self) -> tuple[str, ...]:
        """The codes of the stream's pathways, in registry order (empty: no pathways)."""
        return tuple(p.code for p in self.pathways)

    def pathway(self, code: str) -> PathwayInfo:
        """One pathway of the stream; KeyError for a code it does not have."""
        for pathway in self.pathways:
            if pathway.code == code:
                return pathway
        raise KeyError(code)

    def takes_job_offer(self, pathway: str | None = None) -> bool:
        """Whether a profile of this stream (and pathway, where it has them) takes a job offer."""
        if pathway is not None and self.pathways:
            return self.pathway(pathway).job_offer_required
        return self.job_offer_required

    def ita_days_for(self, pathway: str | None = None) -> ItaDays:
        """The invitation windows of the stream, or of one of its pathways."""
        if pathway is not None and self.pathways:
            own = self.pathway(pathway).ita_days
            if own is not None:
                return own
        return self.ita_days

    def dates_in_words(self) -> str:
        """``open from 2022-11-22 until 2026-05-30 (exclusive)``: for refusals naming the dates."""
        until = "" if self.until is None else f" until {self.until.isoformat()} (exclusive)"
        return f"open from {self.effective_from.isoformat()}{until}"

    def open_on(self, d: date) -> bool:
        """True when the stream takes registrations and draws on program date ``d``."""
        return self.effective_from <= d and (self.until is None or d < self.until)

    def overlaps(self, start: date, end: date | None) -> bool:
        """True when the stream is open on some day of ``[start, end)`` (None: open-ended)."""
        starts_in_time = end is None or self.effective_from < end
        return starts_in_time and (self.until is None or start < self.until)


#: The registry fields a version's stream rules take from the registry entry.
_FROM_REGISTRY = (
    "name",
    "job_offer_required",
    "education_required",
    "legacy_applies",
    "wage_floor",
    "ita_days",
)


@pydantic_dataclass(frozen=True, config=_FROZEN)
class NocGroups:
    """A set of NOC codes by prefix (major group ``72``, unit groups ``6320x`` as ``6320``),
    less the codes under the excepted prefixes (sub-major group ``726``)."""

    prefixes: tuple[str, ...]
    except_prefixes: tuple[str, ...] = ()

    def __contains__(self, noc: object) -> bool:
        if not isinstance(noc, str):
            return False
        if any(noc.startswith(p) for p in self.except_prefixes):
            return False
        return any(noc.startswith(p) for p in self.prefixes)


@pydantic_dataclass(frozen=True, config=_FROZEN)
class RecentGraduate:
    """Who is a "graduate of an eligible Ontario institution" (DOMAIN §9), judged at the
    registration date: a credential of one of ``credential_min_months``'s kinds, of at
    least that many months of full-time study, completed in Ontario within
    ``within_months`` (the language exemption) before the date."""

    credential_min_months: Mapping[str, int]
    within_months: int


@pydantic_dataclass(frozen=True, config=_FROZEN)
class PathwayPolicy:
    """One pathway's minimum requirements in a policy version (DOMAIN §9). None: no such rule.

    ``min_clb`` is the CLB each of the four abilities must reach (the profile holds a
    language's lowest ability, so the better language's CLB is compared);
    ``skilled_trades_min_clb`` replaces it for a job offer in ``skilled_trades``;
    ``recent_graduate`` needs no test. The experience rule is met by any one of:
    ``min_position_months_last_12`` (``recent_graduate_position_months`` for a recent
    graduate, within ``recent_graduate_wage_months``), ``min_experience_months_in_noc``
    (in the last 5 years), or an Ontario licence (``licence_substitutes_experience``).
    ``recent_graduate_wage_floor`` is the floor for a graduate of the last
    ``recent_graduate_wage_months``. Physicians: ``nocs``, ``practice_classes`` (the CPSO
    certificate classes that permit patient care) and ``ohip_billing_required``.
    """

    allowed_teers: frozenset[int] | None = None
    min_clb: int | None = None
    skilled_trades: NocGroups | None = None
    skilled_trades_min_clb: int | None = None
    recent_graduate: RecentGraduate | None = None
    recent_graduate_wage_floor: WageFloorKind | None = None
    recent_graduate_wage_months: int | None = None
    min_position_months_last_12: int | None = None
    recent_graduate_position_months: int | None = None
    min_experience_months_in_noc: int | None = None
    licence_substitutes_experience: bool = False
    post_secondary_required: bool = False
    min_ontario_position_months_last_24: int | None = None
    high_school_required: bool = False
    nocs: frozenset[str] | None = None
    practice_classes: tuple[str, ...] | None = None
    ohip_billing_required: bool = False


@pydantic_dataclass(frozen=True, config=_FROZEN)
class StreamPolicy:
    """One stream's rules (DOMAIN §2 and §5). A None threshold means the rule does not apply.

    The first fields come from the stream's registry entry (:class:`StreamInfo`), the rest
    from the policy version.
    """

    name: str
    job_offer_required: bool
    education_required: bool
    legacy_applies: bool
    allowed_teers: frozenset[int] | None
    wage_floor: WageFloorKind | None
    in_demand_list: bool
    ita_days: ItaDays
    min_clb: int | None = None
    min_experience_months_in_noc: int | None = None
    licence_substitutes_experience: bool = False
    min_ontario_experience_months: int | None = None
    high_school_required: bool = False
    # Eligible credential kinds and the minimum full-time length (months) of each.
    credential_min_months: Mapping[str, int] | None = None
    credential_recent_months: int | None = None
    min_phd_months_in_ontario: int | None = None
    min_ontario_residence_months: int | None = None
    min_months_in_ontario: int | None = None
    settlement_funds_required: bool = False
    pathways: Mapping[str, PathwayPolicy] | None = None

    def pathway(self, code: str | None) -> PathwayPolicy | None:
        """The rules of one pathway (None: the stream has no pathways, or none was named)."""
        if self.pathways is None or code is None:
            return None
        return self.pathways.get(code)


@pydantic_dataclass(frozen=True, config=_FROZEN)
class Policy:
    """The program's policy in force from ``effective_from`` until the next version."""

    effective_from: date
    legacy_before: date
    job_offer_validity_days: int
    eoi_validity_months: int
    # Days before an EOI's expiry on which its candidate is reminded, largest first.
    eoi_reminder_days: tuple[int, ...]
    min_hours_per_week: float
    min_hours_per_year: float
    weeks_per_year: int
    employer: EmployerThresholds
    streams: Mapping[str, StreamPolicy]
    # The region table (a key of the document's ``region_tables``) in force: DOMAIN §9's
    # 2026 table makes Muskoka and Haliburton northern.
    region_table: str = "2025"
    note: str = ""
    # Whether a draw needs a manager's approval, by someone other than its proposer, before
    # it is executed (DOMAIN §6): policy, dated and published like the rest, not a setting.
    two_person_rule: bool = True

    @property
    def employer_registration_required(self) -> bool:
        """Whether employers must be registered with the program before their offers count
        (DOMAIN §9; the version's ``employer.registration_required``)."""
        return self.employer.registration_required

    def stream(self, code: str) -> StreamPolicy:
        """The rules of one stream; KeyError for an unknown code."""
        return self.streams[code]

    def is_legacy(self, stream: str, registered_on: date) -> bool:
        """True for an employer-stream EOI registered before the reform (never drawn).

        Whether the rule applies is the stream's (its registry entry where this version
        has no rules for it: a stream closed while the version is in force).
        """
        rules = self.streams.get(stream)
        applies = rules.legacy_applies if rules is not None else stream_info(stream).legacy_applies
        return applies and registered_on < self.legacy_before


@pydantic_dataclass(frozen=True, config=_FROZEN)
class RegionTable:
    """A region table: the census-division CSV column that holds it, and its region codes."""

    column: str
    regions: tuple[str, ...]


#: The table a document without ``region_tables`` has (the 2022-2025 four regions).
_DEFAULT_REGION_TABLES: Mapping[str, RegionTable] = {
    "2025": RegionTable(
        column="oinp_region", regions=("toronto", "greater-toronto", "northern", "other")
    )
}


@dataclass(frozen=True)
class _PolicyFile:
    registry: tuple[StreamInfo, ...]
    versions: tuple[Policy, ...]
    region_tables: Mapping[str, RegionTable] = field(
        default_factory=lambda: dict(_DEFAULT_REGION_TABLES)
    )
    starts: tuple[date, ...] = field(init=False)
    by_code: Mapping[str, StreamInfo] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts", tuple(v.effective_from for v in self.versions))
        object.__setattr__(self, "by_code", {s.code: s for s in self.registry})


@pydantic_dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class _PolicyDocument:
    streams: list[StreamInfo]
    versions: list[dict[str, Any]]
    region_tables: dict[str, RegionTable] | None = None
    about: str = ""


def load_registry(document: Any) -> tuple[StreamInfo, ...]:
    """Validate the stream registry of a policy document, in the document's order.

    Raises ValueError when a code or an ID prefix is used twice, a stream closes before it
    opens, or a stream's employer window does not match whether it takes a job offer.
    """
    parsed = TypeAdapter(list[StreamInfo]).validate_python(
        document.get("streams") if isinstance(document, dict) else None
    )
    registry = tuple(parsed)
    if not registry:
        raise ValueError("the policy document has no stream")
    for attribute in ("code", "id_prefix"):
        values = [getattr(s, attribute) for s in registry]
        if len(set(values)) != len(values):
            raise ValueError(f"two streams of the registry share a {attribute}")
    for info in registry:
        if info.until is not None and info.until <= info.effective_from:
            raise ValueError(f"stream {info.code}: until must come after effective_from")
        if info.job_offer_required != (info.ita_days.employer is not None):
            raise ValueError(
                f"stream {info.code}: an employer invitation window goes with a job offer"
            )
        codes = info.pathway_codes
        if len(set(codes)) != len(codes):
            raise ValueError(f"stream {info.code}: two pathways share a code")
        for pathway in info.pathways:
            days = pathway.ita_days or info.ita_days
            if pathway.job_offer_required != (days.employer is not None):
                raise ValueError(
                    f"stream {info.code}, pathway {pathway.code}: an employer invitation "
                    "window goes with a job offer"
                )
    return registry


def _load(document: Any) -> _PolicyFile:
    parsed = TypeAdapter(_PolicyDocument).validate_python(document)
    registry = load_registry(document)
    by_code = {s.code: s for s in registry}
    tables = dict(parsed.region_tables or _DEFAULT_REGION_TABLES)
    raw = sorted(parsed.versions, key=lambda v: str(v.get("effective_from")))
    if not raw:
        raise ValueError("the policy document has no version")
    versions: list[Policy] = []
    for version in raw:
        where = f"policy {version.get('effective_from')}"
        rules = version.get("streams")
        if not isinstance(rules, dict):
            raise ValueError(f"{where}: streams must be an object of stream rules")
        unknown = sorted(set(rules) - set(by_code))
        if unknown:
            raise ValueError(f"{where}: streams not in the registry: {', '.join(unknown)}")
        merged: dict[str, Any] = {}
        for code, params in rules.items():
            clash = sorted(set(params) & set(_FROM_REGISTRY)) if isinstance(params, dict) else []
            if clash:
                raise ValueError(f"{where}, {code}: {', '.join(clash)} belong in the registry")
            entry = by_code[code]
            from_registry = {key: getattr(entry, key) for key in _FROM_REGISTRY}
            from_registry["ita_days"] = {
                "employer": entry.ita_days.employer,
                "candidate": entry.ita_days.candidate,
            }
            merged[code] = {**from_registry, **params}
            given = set((params or {}).get("pathways") or {}) if isinstance(params, dict) else set()
            if given != set(entry.pathway_codes):
                raise ValueError(
                    f"{where}, {code}: pathway rules must name exactly the registry's "
                    f"pathways ({', '.join(entry.pathway_codes) or 'none'})"
                )
        table = version.get("region_table", "2025")
        if table not in tables:
            raise ValueError(f"{where}: region table {table!r} is not in region_tables")
        versions.append(TypeAdapter(Policy).validate_python({**version, "streams": merged}))
    versions.sort(key=lambda v: v.effective_from)
    starts = [v.effective_from for v in versions]
    if len(set(starts)) != len(starts):
        raise ValueError("two policy versions share an effective date")
    for index, policy in enumerate(versions):
        end = starts[index + 1] if index + 1 < len(starts) else None
        needed = [s.code for s in registry if s.overlaps(policy.effective_from, end)]
        missing = [code for code in needed if code not in policy.streams]
        if missing:
            raise ValueError(
                f"policy {policy.effective_from}: streams must include every stream open "
                f"while it is in force; missing {', '.join(missing)}"
            )
    return _PolicyFile(registry, tuple(versions), tables)


def load_policies(document: Any) -> tuple[Policy, ...]:
    """Validate a policy document (the shape of ``data/policy.json``); versions by date.

    Raises ValueError naming the problem when the registry or a version is malformed, a
    version lacks the rules of a stream open while it is in force, names a stream the
    registry does not know, or two versions share a date.
    """
    return _load(document).versions


def _read_shipped() -> Any:
    text = resources.files(__package__).joinpath("data").joinpath("policy.json").read_text("utf-8")
    return json.loads(text)


@functools.cache
def _shipped_file() -> _PolicyFile:
    return _load(_read_shipped())


_override: list[_PolicyFile] = []
#: Bumped whenever the policy in use changes, so that caches keyed on it (the engine's
#: compiled plans) never serve a plan compiled under another document.
generation = 0


#: The documents installed by :func:`install_baseline` (the database's published versions);
#: empty: the shipped files. A ``policy_document`` override still wins over it.
_baseline: list[_PolicyFile] = []


def _shipped() -> _PolicyFile:
    if _override:
        return _override[-1]
    return _baseline[-1] if _baseline else _shipped_file()


def install_baseline(document: Any | None, grids: Sequence[Any] = ()) -> None:
    """Make a policy document and its grid documents the engine's baseline, in place of the
    shipped files (None: the shipped files again). Both are validated by the same loaders
    first (:func:`load_policies`, ``grids.load_grids`` against this document's registry);
    on ValueError the baseline in use is left as it was.

    Bumps :data:`generation` and clears the grid cache, so that nothing compiled under the
    previous baseline is served.
    """
    global generation
    from . import grids as grid_module  # grids imports this module; the swap needs both

    previous = list(_baseline)
    if document is None:
        _baseline.clear()
        grid_module.install_baseline(None)
    else:
        _baseline[:] = [_load(document)]
        try:
            grid_module.install_baseline(grids)
        except BaseException:
            _baseline[:] = previous
            raise
    generation += 1


@contextlib.contextmanager
def policy_document(document: Any, grids: Sequence[Any] = ()) -> Iterator[None]:
    """Use another policy document (and its grid documents) instead of the shipped ones.

    For tests and what-if runs: it shows that a stream built from existing rule kinds is a
    data change. Not thread-safe; the shipped documents are back when the block exits.
    """
    global generation
    from . import grids as grid_module  # grids imports this module; the swap needs both

    loaded = _load(document)
    _override.append(loaded)
    try:
        restore = grid_module.push_documents(grids) if grids else None
    except BaseException:
        _override.pop()
        raise
    generation += 1
    try:
        yield
    finally:
        _override.pop()
        if restore is not None:
            restore()
        generation += 1


def policy_versions() -> tuple[Policy, ...]:
    """Every policy version, oldest first."""
    return _shipped().versions


def stream_registry() -> tuple[StreamInfo, ...]:
    """Every stream the program has had or will have, in the registry's order."""
    return _shipped().registry


def stream_info(code: str) -> StreamInfo:
    """One stream's registry entry; KeyError for a code the registry does not know."""
    return _shipped().by_code[code]


def is_stream(code: object) -> TypeGuard[str]:
    """True for a code of the registry."""
    return isinstance(code, str) and code in _shipped().by_code


def stream_codes(*, on: date | None = None, job_offer: bool | None = None) -> tuple[str, ...]:
    """The registry's codes, in order: all of them, or those open on ``on``; with
    ``job_offer`` True (False) only the streams that take (take no) job offer.
    """
    return tuple(
        s.code
        for s in _shipped().registry
        if (on is None or s.open_on(on))
        and (job_offer is None or s.job_offer_required == job_offer)
    )


def stream_name(code: str) -> str:
    """A stream's public name; the code itself for a code the registry does not know."""
    info = _shipped().by_code.get(code)
    return code if info is None else info.name


def stream_choices(*, job_offer: bool | None = None) -> list[tuple[str, str]]:
    """``(code, name)`` pairs for a form or a filter, in registry order."""
    return [(code, stream_name(code)) for code in stream_codes(job_offer=job_offer)]


def pathway_codes(stream: str) -> tuple[str, ...]:
    """The pathways of a stream, in registry order (empty for a stream without pathways)."""
    return stream_info(stream).pathway_codes


def pathway_info(stream: str, code: str) -> PathwayInfo:
    """One pathway's registry entry; KeyError for an unknown stream or pathway."""
    return stream_info(stream).pathway(code)


def pathway_name(stream: str, code: str) -> str:
    """A pathway's public name; the code itself when the registry does not know it."""
    try:
        return pathway_info(stream, code).name
    except KeyError:
        return code


def takes_job_offer(stream: str, pathway: str | None = None) -> bool:
    """Whether a profile of the stream (and pathway) takes an employer's job offer.

    KeyError for an unknown stream or pathway.
    """
    return stream_info(stream).takes_job_offer(pathway)


def region_tables() -> Mapping[str, RegionTable]:
    """The region tables of the policy document, by name (``2025``, ``2026``)."""
    return _shipped().region_tables


def region_table_on(d: date) -> str:
    """The name of the region table in force on program date ``d``.

    Before the first policy version, the first version's table (history is replayed with it).
    """
    try:
        return policy_at(d).region_table
    except NotInForce:
        return _shipped().versions[0].region_table


def policy_at(d: date) -> Policy:
    """The policy version in force on program date ``d`` (latest ``effective_from <= d``).

    Raises NotInForce for a date before the first version.
    """
    if isinstance(d, datetime):
        d = program_date(d)
    shipped = _shipped()
    index = bisect.bisect_right(shipped.starts, d) - 1
    if index < 0:
        raise NotInForce(
            f"no program policy is in force on {d.isoformat()}; "
            f"the first version applies from {shipped.starts[0].isoformat()}"
        )
    return shipped.versions[index]


#: The shipped registry's codes, in order, and those that take a job offer. A snapshot taken
#: at import for scripts and tests; the code itself calls :func:`stream_codes`, which follows
#: :func:`policy_document`.
STREAMS: tuple[str, ...] = stream_codes()
EMPLOYER_STREAMS: tuple[str, ...] = stream_codes(job_offer=True)
