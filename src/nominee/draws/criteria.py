"""The criteria of a draw: one dataclass shared by the pages, the API and the command line.

``parse_criteria`` turns loosely typed input (form data, JSON, command-line flags) into a
``DrawCriteria`` whose every field is checked against the reference data, raising
``ValidationFailed`` with a message per field. ``DrawCriteria.from_draw`` rebuilds the
criteria a proposed draw froze, and ``apply_to_draw`` writes them onto a ``Draw`` row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from nominee.core import timeutil
from nominee.core.errors import ValidationFailed
from nominee.program import streams
from nominee.reference.models import CensusDivision, Noc, OccupationList, PlaceList, Region

from .policy import deadlines

if TYPE_CHECKING:
    from .models import Draw

# The order of education levels (INTERFACES §1 values), lowest first. A minimum education
# admits its level and every level above it. Decision (docs/draws.md): a graduate
# certificate ranks below a bachelor's degree because it does not prove one (Ontario
# graduate certificates also admit college diploma holders), and an apprenticeship below
# an undergraduate diploma; an EOI that declares no level never meets a minimum.
EDUCATION_ORDER: tuple[str, ...] = (
    "secondary-or-less",
    "apprenticeship",
    "undergraduate-diploma",
    "graduate-certificate",
    "bachelors",
    "masters",
    "phd",
)

EDUCATION_LABELS: dict[str, StrPromise] = {
    "secondary-or-less": _lazy("Secondary school or less"),
    "apprenticeship": _lazy("Apprenticeship or trades certificate"),
    "undergraduate-diploma": _lazy("Undergraduate diploma or certificate"),
    "graduate-certificate": _lazy("Graduate diploma or certificate"),
    "bachelors": _lazy("Bachelor's degree"),
    "masters": _lazy("Master's degree"),
    "phd": _lazy("PhD"),
}

REGIONS: tuple[str, ...] = tuple(r.value for r in Region)
#: The streams whose draws have an employer side (the registry's ``job_offer_required``).
EMPLOYER_STREAMS = streams.JOB_OFFER_STREAMS
MAX_CLB = 12
_NOC_RE = re.compile(r"^\d{5}$")


def education_at_least(level: str) -> list[str]:
    """The education levels that meet a minimum of ``level``."""
    return list(EDUCATION_ORDER[EDUCATION_ORDER.index(level) :])


@dataclass(frozen=True)
class DrawCriteria:
    """What a draw selects: the stream, the cuts and the targeting (DOMAIN §6).

    ``noc_codes`` is the resolved set of targeted NOCs (the occupation list's codes and the
    pasted codes together), sorted; empty means every NOC. ``pathways`` are the stream's
    pathways targeted (registry codes, in the registry's order); empty means every pathway.
    ``regions`` and ``census_divisions`` (the place list's codes and the chosen ones
    together) name the job locations targeted (an EOI matches when its job is in any of the
    regions OR any of the census divisions); empty means anywhere. A region is resolved to
    census divisions at selection time, in the region table in force on the draw date
    (``reference.queries.census_divisions_in``).
    ``registered_from``/``registered_to`` are program dates, each inclusive of the whole day.
    """

    stream: str
    draw_date: date
    invitations: int | None = None
    min_score: int | None = None
    occupation_list: str | None = None
    noc_codes: tuple[str, ...] = ()
    pathways: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    census_divisions: tuple[str, ...] = ()
    place_list: str | None = None
    registered_from: date | None = None
    registered_to: date | None = None
    in_canada_only: bool = False
    min_education: str | None = None
    min_french_clb: int | None = None
    pasted_noc_codes: tuple[str, ...] = field(default=(), compare=False)
    chosen_census_divisions: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_targeted(self) -> bool:
        """Whether the draw narrows the stream's pool (published as "targeted")."""
        return bool(
            self.noc_codes
            or self.pathways
            or self.regions
            or self.census_divisions
            or self.registered_from
            or self.registered_to
            or self.in_canada_only
            or self.min_education
            or self.min_french_clb
        )

    def to_document(self) -> dict[str, Any]:
        """The criteria as JSON-able values (audit events, API answers)."""
        return {
            "stream": self.stream,
            "date": self.draw_date.isoformat(),
            "invitations": self.invitations,
            "min_score": self.min_score,
            "occupation_list": self.occupation_list,
            "noc_codes": list(self.noc_codes),
            "pathways": list(self.pathways),
            "regions": list(self.regions),
            "census_divisions": list(self.census_divisions),
            "place_list": self.place_list,
            "registered_from": self.registered_from.isoformat() if self.registered_from else None,
            "registered_to": self.registered_to.isoformat() if self.registered_to else None,
            "in_canada_only": self.in_canada_only,
            "min_education": self.min_education,
            "min_french_clb": self.min_french_clb,
        }

    def with_date(self, draw_date: date) -> DrawCriteria:
        """The same criteria on another draw date."""
        return replace(self, draw_date=draw_date)

    @classmethod
    def from_draw(cls, draw: Draw) -> DrawCriteria:
        """The criteria a draw row froze when it was proposed."""
        return cls(
            stream=draw.stream,
            draw_date=draw.draw_date,
            invitations=draw.invitations_requested,
            min_score=draw.min_score_requested,
            occupation_list=draw.occupation_list.slug if draw.occupation_list else None,
            noc_codes=tuple(draw.noc_codes or ()),
            pathways=tuple(draw.pathways or ()),
            regions=tuple(draw.regions or ()),
            census_divisions=tuple(draw.census_divisions or ()),
            place_list=draw.place_list.slug if draw.place_list else None,
            registered_from=draw.registered_from,
            registered_to=draw.registered_to,
            in_canada_only=draw.in_canada_only,
            min_education=draw.min_education or None,
            min_french_clb=draw.min_french_clb,
        )

    def apply_to_draw(self, draw: Draw) -> None:
        """Write the criteria onto a draw row (not saved)."""
        draw.stream = self.stream
        draw.draw_date = self.draw_date
        draw.invitations_requested = self.invitations
        draw.min_score_requested = self.min_score
        draw.occupation_list = (
            OccupationList.objects.get(slug=self.occupation_list) if self.occupation_list else None
        )
        draw.noc_codes = list(self.noc_codes)
        draw.pathways = list(self.pathways)
        draw.regions = list(self.regions)
        draw.census_divisions = list(self.census_divisions)
        draw.place_list = PlaceList.objects.get(slug=self.place_list) if self.place_list else None
        draw.registered_from = self.registered_from
        draw.registered_to = self.registered_to
        draw.in_canada_only = self.in_canada_only
        draw.min_education = self.min_education
        draw.min_french_clb = self.min_french_clb


def split_codes(value: Any) -> list[str]:
    """Codes from a comma/space/newline separated string or a list of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[\s,;]+", value) if part]
    out: list[str] = []
    for item in value:
        out.extend(split_codes(item) if isinstance(item, str) else [str(item)])
    return out


def _int(
    data: Mapping[str, Any], name: str, errors: dict[str, list[str]], *, low: int, high: int
) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors.setdefault(name, []).append(_("must be a whole number"))
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors.setdefault(name, []).append(_("must be a whole number"))
        return None
    if not low <= number <= high:
        errors.setdefault(name, []).append(
            _("must be between %(low)s and %(high)s") % {"low": low, "high": high}
        )
        return None
    return number


def _date(data: Mapping[str, Any], name: str, errors: dict[str, list[str]]) -> date | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors.setdefault(name, []).append(_("must be a date written YYYY-MM-DD"))
        return None


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return split_codes(value)
    if isinstance(value, Iterable):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _pathways(stream: str, given: list[str], errors: dict[str, list[str]]) -> tuple[str, ...]:
    """The pathways targeted, checked against the stream's in the registry (registry order)."""
    if not given or not streams.is_stream(stream):
        return ()
    known = streams.pathway_codes(stream)
    if not known:
        errors["pathways"] = [
            _("the %(stream)s stream has no pathways: pathway targeting does not apply")
            % {"stream": stream}
        ]
        return ()
    if bad := sorted({code for code in given if code not in known}):
        errors["pathways"] = [
            _("unknown pathway(s) %(bad)s of the %(stream)s stream; one of: %(pathways)s")
            % {"bad": ", ".join(bad), "stream": stream, "pathways": ", ".join(known)}
        ]
        return ()
    return tuple(code for code in known if code in given)


def parse_criteria(data: Mapping[str, Any]) -> DrawCriteria:
    """Check and normalise draw criteria, raising ``ValidationFailed`` with a message per field.

    Keys (all but ``stream`` optional): ``stream``, ``invitations``, ``min_score``,
    ``occupation_list`` (a slug), ``noc_codes`` (list or comma-separated), ``pathways``
    (codes of the stream's pathways in the registry), ``regions``, ``census_divisions``,
    ``place_list`` (a slug), ``registered_from``, ``registered_to``, ``in_canada_only``,
    ``min_education``, ``min_french_clb``, ``draw_date`` (default: today).
    At least one of ``invitations`` and ``min_score`` must be given.
    """
    errors: dict[str, list[str]] = {}
    stream = str(data.get("stream") or "").strip()
    if not stream:
        errors["stream"] = [_("choose a stream")]
    elif not streams.is_stream(stream):
        errors["stream"] = [
            _("unknown stream %(stream)s; one of: %(streams)s")
            % {"stream": stream, "streams": ", ".join(streams.codes())}
        ]
    invitations = _int(data, "invitations", errors, low=1, high=1_000_000)
    min_score = _int(data, "min_score", errors, low=0, high=1000)
    if (
        invitations is None
        and min_score is None
        and not ({"invitations", "min_score"} & errors.keys())
    ):
        errors.setdefault("invitations", []).append(
            _("give a number of invitations, a minimum score, or both")
        )

    occupation_list = str(data.get("occupation_list") or "").strip() or None
    codes: set[str] = set()
    if occupation_list is not None:
        found = OccupationList.objects.filter(slug=occupation_list).first()
        if found is None:
            errors["occupation_list"] = [
                _("unknown occupation list %(slug)s") % {"slug": occupation_list}
            ]
        else:
            codes.update(found.codes())
    pasted = [code.strip() for code in split_codes(data.get("noc_codes"))]
    malformed = [code for code in pasted if not _NOC_RE.match(code)]
    if malformed:
        errors.setdefault("noc_codes", []).append(
            _("not 5-digit NOC 2021 codes: %(codes)s") % {"codes": ", ".join(malformed)}
        )
    wellformed = sorted({code for code in pasted if _NOC_RE.match(code)})
    if wellformed:
        known = set(Noc.objects.filter(code__in=wellformed).values_list("code", flat=True))
        unknown = [code for code in wellformed if code not in known]
        if unknown:
            errors.setdefault("noc_codes", []).append(
                _("unknown NOC 2021 code(s): %(codes)s") % {"codes": ", ".join(unknown)}
            )
        codes.update(known)
    if codes and streams.is_stream(stream) and not streams.takes_job_offer(stream):
        errors.setdefault("noc_codes", []).append(
            _("the %(stream)s stream has no job offer: NOC targeting does not apply")
            % {"stream": stream}
        )

    pathways = _pathways(stream, _list(data.get("pathways")), errors)

    regions = sorted(set(_list(data.get("regions"))))
    if bad := [r for r in regions if r not in REGIONS]:
        errors["regions"] = [
            _("unknown region(s) %(bad)s; one of: %(regions)s")
            % {"bad": ", ".join(bad), "regions": ", ".join(REGIONS)}
        ]
    chosen = sorted(set(_list(data.get("census_divisions"))))
    divisions = list(chosen)
    place_list = str(data.get("place_list") or "").strip() or None
    if place_list is not None:
        places = PlaceList.objects.filter(slug=place_list).first()
        if places is None:
            errors["place_list"] = [_("unknown place list %(slug)s") % {"slug": place_list}]
        else:
            divisions = sorted(set(divisions) | set(places.codes()))
    if chosen:
        known_cd = set(
            CensusDivision.objects.filter(code__in=chosen).values_list("code", flat=True)
        )
        if bad := [cd for cd in chosen if cd not in known_cd]:
            errors["census_divisions"] = [
                _("unknown census division(s): %(bad)s") % {"bad": ", ".join(bad)}
            ]
    if (regions or divisions) and streams.is_stream(stream) and not streams.takes_job_offer(stream):
        errors.setdefault("regions", []).append(
            _("the %(stream)s stream has no job location: region targeting does not apply")
            % {"stream": stream}
        )

    registered_from = _date(data, "registered_from", errors)
    registered_to = _date(data, "registered_to", errors)
    if registered_from and registered_to and registered_from > registered_to:
        errors.setdefault("registered_from", []).append(
            _("the window starts after it ends (%(start)s > %(end)s)")
            % {"start": registered_from.isoformat(), "end": registered_to.isoformat()}
        )
    draw_date = _date(data, "draw_date", errors) or timeutil.today()
    if registered_from and registered_from > draw_date and "registered_from" not in errors:
        errors["registered_from"] = [
            _("the window starts after the draw date %(date)s") % {"date": draw_date.isoformat()}
        ]
    if streams.is_stream(stream) and "stream" not in errors:
        info = streams.info(stream)
        if not info.open_on(draw_date):
            errors["stream"] = [
                _("the %(stream)s stream is open from %(start)s until %(end)s; not on %(date)s")
                % {
                    "stream": stream,
                    "start": info.effective_from.isoformat(),
                    "end": info.until.isoformat() if info.until else "further notice",
                    "date": draw_date.isoformat(),
                }
            ]
        elif info.until is not None:
            # DOMAIN §9: the candidates' window must close while the stream is still open,
            # so that every invitation can be answered under the rules it was issued under.
            candidate_deadline, _employer = deadlines(stream, draw_date)
            if candidate_deadline >= info.until:
                errors["draw_date"] = [
                    _(
                        "the %(stream)s stream closes on %(closing)s: a draw on %(date)s gives "
                        "candidates until %(deadline)s; draw on or before %(latest)s"
                    )
                    % {
                        "stream": stream,
                        "closing": info.until.isoformat(),
                        "date": draw_date.isoformat(),
                        "deadline": candidate_deadline.isoformat(),
                        "latest": (
                            draw_date - (candidate_deadline - info.until) - timedelta(days=1)
                        ).isoformat(),
                    }
                ]

    min_education = str(data.get("min_education") or "").strip() or None
    if min_education is not None and min_education not in EDUCATION_ORDER:
        errors["min_education"] = [
            _("unknown education level %(level)s; one of: %(levels)s")
            % {"level": min_education, "levels": ", ".join(EDUCATION_ORDER)}
        ]
    min_french_clb = _int(data, "min_french_clb", errors, low=1, high=MAX_CLB)

    if errors:
        raise ValidationFailed(_("the draw's criteria are invalid"), fields=errors)
    return DrawCriteria(
        stream=stream,
        draw_date=draw_date,
        invitations=invitations,
        min_score=min_score,
        occupation_list=occupation_list,
        noc_codes=tuple(sorted(codes)),
        pathways=pathways,
        regions=tuple(regions),
        census_divisions=tuple(divisions),
        place_list=place_list,
        registered_from=registered_from,
        registered_to=registered_to,
        in_canada_only=_bool(data.get("in_canada_only", False)),
        min_education=min_education,
        min_french_clb=min_french_clb,
        pasted_noc_codes=tuple(wellformed),
        chosen_census_divisions=tuple(chosen),
    )
