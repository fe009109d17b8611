"""The points engine: a parsed :class:`Profile` in, a :class:`Score` (INTERFACES §2) out.

Pure and fast. For each (grid version, stream, reference data) the grid is compiled once into
lookup tables whose values are ready-made :class:`FactorScore` objects, so that scoring a
profile is a handful of dictionary lookups: no pydantic, no string formatting on the hot path
beyond the first time a value is seen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import policy
from .grids import FactorRule, Grid, StreamGrid, grid_for
from .policy import NotInForce, program_date, program_today
from .profile import Profile
from .refdata import CensusDivision, ReferenceData

__all__ = ["FactorScore", "Score", "StreamNotOpen", "score_profile"]


@dataclass(frozen=True, slots=True)
class FactorScore:
    """Points of one factor, its ceiling, and the reason in words a person understands."""

    factor: str
    points: int
    max: int
    reason: str

    def to_document(self) -> dict[str, Any]:
        """``{"factor", "points", "max", "reason"}`` in that order (INTERFACES §2)."""
        return {
            "factor": self.factor,
            "points": self.points,
            "max": self.max,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Score:
    """A profile's score on one grid version: total, maximum and per-factor breakdown."""

    stream: str
    grid: str
    total: int
    max: int
    factors: tuple[FactorScore, ...]

    def to_document(self) -> dict[str, Any]:
        """The score JSON of INTERFACES §2, keys in its order."""
        return {
            "stream": self.stream,
            "grid": self.grid,
            "total": self.total,
            "max": self.max,
            "factors": [f.to_document() for f in self.factors],
        }

    def points(self, factor: str) -> int | None:
        """The points of one factor, None when the stream does not score it."""
        for item in self.factors:
            if item.factor == factor:
                return item.points
        return None


class ScoringError(ValueError):
    """A profile cannot be scored with this reference data (e.g. a NOC it does not know)."""


class StreamNotOpen(NotInForce):
    """The profile's stream is closed, or not yet open, on the scoring date; the message
    names the stream's dates (INTERFACES §1)."""


Scorer = Callable[[Profile], FactorScore]
# Bounded caches of factors whose reason quotes a free-form value (the wage): a long-running
# process scoring millions of distinct wages must not grow without limit.
_VALUE_CACHE_LIMIT = 50_000

LANGUAGE_NAMES = ("English", "French")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _place(division: CensusDivision, label: str) -> str:
    # Toronto is one census division: naming it twice ("Toronto (Toronto)") says nothing.
    return label if division.region == "toronto" else f"{label} ({division.name})"


def _no_workplace(profile: Profile) -> ScoringError:
    return ScoringError(
        f"the {profile.stream} stream scores a job offer (or a practice); none given"
    )


class _Compiler:
    """Builds the per-factor scorers of one stream on one grid against one reference data."""

    def __init__(self, stream: StreamGrid, ref: ReferenceData) -> None:
        self.stream = stream
        self.ref = ref

    def scorers(self) -> tuple[Scorer, ...]:
        return tuple(getattr(self, "_" + code)(code, rule) for code, rule in self.stream.factors)

    def _category_table(self, code: str, rule: FactorRule) -> dict[str, FactorScore]:
        assert rule.categories is not None
        return {
            key: FactorScore(code, band.points, rule.max, band.label)
            for key, band in rule.categories.items()
        }

    def _noc_table(self, code: str, rule: FactorRule, digit: Callable[[str], str]) -> Scorer:
        table = self._category_table(code, rule)
        by_noc = {noc: table[digit(noc)] for noc in self.ref.nocs}

        def score(profile: Profile) -> FactorScore:
            offer = profile.workplace
            if offer is None:
                raise _no_workplace(profile)
            try:
                return by_noc[offer.noc]
            except KeyError:
                raise ScoringError(f"NOC {offer.noc} is not in the reference data") from None

        return score

    def _job_offer_teer(self, code: str, rule: FactorRule) -> Scorer:
        teers = {noc: str(n.teer) for noc, n in self.ref.nocs.items()}
        return self._noc_table(code, rule, teers.__getitem__)

    def _job_offer_category(self, code: str, rule: FactorRule) -> Scorer:
        cats = {noc: str(n.broad_category) for noc, n in self.ref.nocs.items()}
        return self._noc_table(code, rule, cats.__getitem__)

    def _job_offer_wage(self, code: str, rule: FactorRule) -> Scorer:
        cache: dict[float, FactorScore] = {}
        limit = _VALUE_CACHE_LIMIT

        def score(profile: Profile) -> FactorScore:
            offer = profile.job_offer
            if offer is None:
                raise ScoringError(f"the {profile.stream} stream scores a job offer; none given")
            wage = offer.hourly_wage
            found = cache.get(wage)
            if found is None:
                band = rule.threshold(wage)
                found = FactorScore(code, band.points, rule.max, f"${wage:,.2f}/h: {band.label}")
                if len(cache) >= limit:
                    cache.clear()
                cache[wage] = found
            return found

        return score

    def _permit(self, code: str, rule: FactorRule) -> Scorer:
        table = self._category_table(code, rule)

        def score(profile: Profile) -> FactorScore:
            return table[profile.permit]

        return score

    def _job_tenure(self, code: str, rule: FactorRule) -> Scorer:
        cache: dict[int, FactorScore] = {}

        def score(profile: Profile) -> FactorScore:
            months = profile.job_tenure_months
            found = cache.get(months)
            if found is None:
                band = rule.threshold(months)
                found = FactorScore(
                    code, band.points, rule.max, f"{_plural(months, 'month')}: {band.label}"
                )
                if len(cache) < _VALUE_CACHE_LIMIT:
                    cache[months] = found
            return found

        return score

    def _ontario_experience(self, code: str, rule: FactorRule) -> Scorer:
        # Months in the job-offer position (physicians: of practice) on the first ladder;
        # when that scores nothing, months in any job in Ontario on the fallback ladder.
        cache: dict[tuple[int, int], FactorScore] = {}

        def make(position: int, anywhere: int) -> FactorScore:
            band = rule.threshold(position)
            if band.points == 0:
                second = rule.fallback_threshold(anywhere)
                if second is not None and second.points > 0:
                    words = f"{_plural(anywhere, 'month')}: {second.label}"
                    return FactorScore(code, second.points, rule.max, words)
            words = f"{_plural(position, 'month')}: {band.label}"
            return FactorScore(code, band.points, rule.max, words)

        def score(profile: Profile) -> FactorScore:
            key = (profile.job_tenure_months, profile.ontario_work_months)
            found = cache.get(key)
            if found is None:
                found = make(*key)
                if len(cache) < _VALUE_CACHE_LIMIT:
                    cache[key] = found
            return found

        return score

    def _earnings_history(self, code: str, rule: FactorRule) -> Scorer:
        steps = tuple(
            (t.min, FactorScore(code, t.points, rule.max, t.label)) for t in rule.thresholds or ()
        )

        def score(profile: Profile) -> FactorScore:
            amount = profile.highest_annual_earnings
            for minimum, found in steps:
                if amount >= minimum:
                    return found
            return steps[-1][1]

        return score

    def _education_level(self, code: str, rule: FactorRule) -> Scorer:
        table = self._category_table(code, rule)
        missing = FactorScore(code, 0, rule.max, "education not declared")

        def score(profile: Profile) -> FactorScore:
            education = profile.education
            if education is None or education.level is None:
                return missing
            return table[education.level]

        return score

    def _field_of_study(self, code: str, rule: FactorRule) -> Scorer:
        table = self._category_table(code, rule)
        missing = FactorScore(code, 0, rule.max, "field of study not declared")

        def score(profile: Profile) -> FactorScore:
            education = profile.education
            if education is None or education.field is None:
                return missing
            return table[education.field]

        return score

    def _canadian_education(self, code: str, rule: FactorRule) -> Scorer:
        cache: dict[int, FactorScore] = {}

        def score(profile: Profile) -> FactorScore:
            education = profile.education
            count = 0 if education is None else education.canadian_credentials
            found = cache.get(count)
            if found is None:
                band = rule.threshold(count)
                reason = (
                    "no Canadian credential"
                    if count == 0
                    else _plural(count, "Canadian credential")
                )
                found = FactorScore(code, band.points, rule.max, reason)
                if len(cache) < _VALUE_CACHE_LIMIT:
                    cache[count] = found
            return found

        return score

    def _language_ability(self, code: str, rule: FactorRule) -> Scorer:
        table: dict[tuple[int | None, int | None], FactorScore] = {}
        clbs: tuple[int | None, ...] = (None, *range(1, 13))
        for english in clbs:
            for french in clbs:
                if english is None and french is None:
                    table[(None, None)] = FactorScore(code, 0, rule.max, "no valid language test")
                    continue
                best = max(c for c in (english, french) if c is not None)
                pairs = zip(LANGUAGE_NAMES, (english, french), strict=True)
                names = [name for name, clb in pairs if clb == best]
                band = rule.threshold(best)
                table[(english, french)] = FactorScore(
                    code, band.points, rule.max, f"CLB {best} ({' and '.join(names)})"
                )

        def score(profile: Profile) -> FactorScore:
            languages = profile.languages
            return table[(languages.english, languages.french)]

        return score

    def _official_languages(self, code: str, rule: FactorRule) -> Scorer:
        floor = rule.both_min_clb

        def make(english: int | None, french: int | None) -> FactorScore:
            tested = (english is not None) + (french is not None)
            count = tested
            if floor is not None and tested == 2:
                # Two languages count as two only when each reaches the floor (2026 grid).
                assert english is not None
                assert french is not None
                count = 2 if min(english, french) >= floor else 1
            band = rule.threshold(count)
            if tested == 2:
                reason = "English and French"
                if count == 1:
                    reason += f", not both at CLB {floor} or higher"
            elif tested == 1:
                reason = f"{'English' if english is not None else 'French'} only"
            else:
                reason = "no valid language test"
            return FactorScore(code, band.points, rule.max, reason)

        clbs: tuple[int | None, ...] = (None, *range(1, 13))
        table = {(e, f): make(e, f) for e in clbs for f in clbs}

        def score(profile: Profile) -> FactorScore:
            languages = profile.languages
            return table[(languages.english, languages.french)]

        return score

    def _location_table(self, code: str, rule: FactorRule) -> dict[str | None, FactorScore]:
        assert rule.categories is not None
        table: dict[str | None, FactorScore] = {}
        table_name = self.stream.region_table
        for cd, division in self.ref.census_divisions.items():
            band = rule.categories[division.region_in(table_name)]
            table[cd] = FactorScore(code, band.points, rule.max, _place(division, band.label))
        return table

    def _job_location(self, code: str, rule: FactorRule) -> Scorer:
        table = self._location_table(code, rule)

        def score(profile: Profile) -> FactorScore:
            offer = profile.workplace
            if offer is None:
                raise _no_workplace(profile)
            try:
                return table[offer.census_division]
            except KeyError:
                raise ScoringError(
                    f"census division {offer.census_division} is not in the reference data"
                ) from None

        return score

    def _study_location(self, code: str, rule: FactorRule) -> Scorer:
        table = self._location_table(code, rule)
        assert rule.categories is not None
        band = rule.categories["none"]
        table[None] = FactorScore(code, band.points, rule.max, band.label)

        def score(profile: Profile) -> FactorScore:
            education = profile.education
            cd = None if education is None else education.study_census_division
            try:
                return table[cd]
            except KeyError:
                raise ScoringError(f"census division {cd} is not in the reference data") from None

        return score


@dataclass(frozen=True, slots=True)
class _Plan:
    stream: str
    grid: str
    max: int
    scorers: tuple[Scorer, ...]


def _plan(grid: Grid, stream: str, pathway: str | None, ref: ReferenceData) -> _Plan:
    key = ("scoring-plan", policy.generation, grid.effective_from, stream, pathway)
    plan: _Plan | None = ref.cache.get(key)
    if plan is None:
        if stream not in grid.streams:
            raise NotInForce(
                f"the points grid of {grid.label} has no column for the {stream} stream"
            )
        column = grid.stream(stream, pathway)
        plan = _Plan(stream, grid.label, column.max, _Compiler(column, ref).scorers())
        ref.cache[key] = plan
    return plan


def _grid_date(profile: Profile, at: date | datetime | None) -> date:
    if at is None:
        registered = profile.registered_at
        return program_today() if registered is None else program_date(registered)
    if isinstance(at, datetime):
        return program_date(at)
    return at


def score_profile(
    profile: Profile,
    *,
    at: date | datetime | None = None,
    ref: ReferenceData | None = None,
) -> Score:
    """Score a parsed profile on the grid in force at ``at``.

    ``at`` (a program date, or an instant turned into its program date) defaults to the
    profile's ``registered_at``, else today. ``ref`` defaults to the shipped reference data.
    Raises StreamNotOpen (a NotInForce) when the stream is closed or not yet open on that
    date, NotInForce for a date before the first grid, ScoringError when the profile names
    a NOC or census division that ``ref`` does not know (parse against the same ``ref``).
    """
    if ref is None:
        ref = ReferenceData.from_package()
    day = _grid_date(profile, at)
    # Before the first grid nothing is scored (NotInForce names that date); after it, a
    # closed stream is refused with its own dates.
    grid = grid_for(day)
    info = policy.stream_info(profile.stream)
    if not info.open_on(day):
        state = "not yet open" if day < info.effective_from else "closed"
        raise StreamNotOpen(
            f"the {info.code} stream is {info.dates_in_words()}; it is {state} on {day.isoformat()}"
        )
    plan = _plan(grid, profile.stream, profile.pathway, ref)
    factors = tuple([scorer(profile) for scorer in plan.scorers])
    total = 0
    for factor in factors:
        total += factor.points
    return Score(plan.stream, plan.grid, total, plan.max, factors)


def compile_scorer(
    grid: Grid, stream: str, ref: ReferenceData, pathway: str | None = None
) -> Callable[[Profile], Score]:
    """A scorer of one stream's parsed profiles on a given grid rather than the one in force.

    For what-if counts (the preview of a proposed grid), which must not swap the engine's
    documents in use while other threads score. Compiled once per call and never cached:
    a proposed grid has no identity the plan cache could key on. KeyError for a stream the
    grid does not score. ``pathway`` picks the pathway's own column where the grid has one.
    """
    column = grid.stream(stream, pathway)
    plan = _Plan(stream, grid.label, column.max, _Compiler(column, ref).scorers())

    def score(profile: Profile) -> Score:
        factors = tuple([scorer(profile) for scorer in plan.scorers])
        return Score(plan.stream, plan.grid, sum(f.points for f in factors), plan.max, factors)

    return score
