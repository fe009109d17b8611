"""The pure points engine: profile schema, reference data, policy and grids as data,
scoring and eligibility. No Django here; the web side passes in its own ``ReferenceData``.

Quick use::

    from nominee.scoring import parse_profile, score_profile

    score = score_profile(parse_profile(document))
    score.to_document()  # INTERFACES §2
"""

from .eligibility import (
    EligibilityFacts,
    Failure,
    check_employer,
    check_job_offer,
    check_job_offer_terms,
    check_profile,
)
from .engine import FactorScore, Score, ScoringError, StreamNotOpen, score_profile
from .grids import FACTORS, Band, FactorRule, Grid, StreamGrid, Threshold, grid_for, grid_versions
from .policy import (
    EMPLOYER_STREAMS,
    PROGRAM_TZ,
    STREAMS,
    EmployerSize,
    EmployerThresholds,
    ItaDays,
    NotInForce,
    Policy,
    StreamInfo,
    StreamPolicy,
    is_stream,
    policy_at,
    policy_document,
    policy_versions,
    program_date,
    program_today,
    stream_choices,
    stream_codes,
    stream_info,
    stream_name,
    stream_registry,
)
from .profile import (
    Education,
    FieldError,
    JobOfferFacts,
    Languages,
    Profile,
    ProfileError,
    parse_profile,
)
from .refdata import (
    CensusDivision,
    Noc,
    ReferenceData,
    WageFigure,
    WageFloor,
    WageTable,
    region_for,
)

__all__ = [
    "EMPLOYER_STREAMS",
    "FACTORS",
    "PROGRAM_TZ",
    "STREAMS",
    "Band",
    "CensusDivision",
    "Education",
    "EligibilityFacts",
    "EmployerSize",
    "EmployerThresholds",
    "FactorRule",
    "FactorScore",
    "Failure",
    "FieldError",
    "Grid",
    "ItaDays",
    "JobOfferFacts",
    "Languages",
    "Noc",
    "NotInForce",
    "Policy",
    "Profile",
    "ProfileError",
    "ReferenceData",
    "Score",
    "ScoringError",
    "StreamGrid",
    "StreamInfo",
    "StreamNotOpen",
    "StreamPolicy",
    "Threshold",
    "WageFigure",
    "WageFloor",
    "WageTable",
    "check_employer",
    "check_job_offer",
    "check_job_offer_terms",
    "check_profile",
    "grid_for",
    "grid_versions",
    "is_stream",
    "parse_profile",
    "policy_at",
    "policy_document",
    "policy_versions",
    "program_date",
    "program_today",
    "region_for",
    "score_profile",
    "stream_choices",
    "stream_codes",
    "stream_info",
    "stream_name",
    "stream_registry",
]
