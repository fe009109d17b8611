"""The stream registry (``scoring.policy``, policy data) as the Django side reads it.

Forms take :func:`choices` (a callable, so a form built later sees the registry then), models
validate with :func:`validate_stream`, pages show :func:`name`. Nothing here lists a stream.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nominee.core import labels
from nominee.scoring.policy import (
    PathwayInfo,
    StreamInfo,
    is_stream,
    pathway_codes,
    pathway_info,
    stream_choices,
    stream_codes,
    stream_info,
    stream_name,
)
from nominee.scoring.policy import pathway_name as registry_pathway_name

__all__ = [
    "ID_PREFIX",
    "JOB_OFFER_STREAMS",
    "PathwayInfo",
    "Stream",
    "StreamInfo",
    "choices",
    "codes",
    "employer_choices",
    "employer_codes",
    "info",
    "is_stream",
    "label",
    "name",
    "open_codes",
    "pathway_choices",
    "pathway_codes",
    "pathway_info",
    "pathway_label",
    "pathway_name",
    "takes_job_offer",
    "validate_stream",
]

info = stream_info


def label(code: str) -> str:
    """A stream's name in the active language: the registry's name through the catalogue
    (``core.labels.data_name``), or words from a code the registry does not know."""
    named = stream_name(code)
    return labels.data_name(named) if named != code else labels.words(code)


def pathway_label(stream: str, code: str) -> str:
    """A pathway's name in the active language, as :func:`label` for streams."""
    named = registry_pathway_name(stream, code)
    return labels.data_name(named) if named != code else labels.words(code)


#: What pages show: the stream's and the pathway's names in words.
name = label
pathway_name = pathway_label


def codes() -> tuple[str, ...]:
    """Every stream code of the registry, in order."""
    return stream_codes()


def open_codes(on: date) -> tuple[str, ...]:
    """The streams open on a program date."""
    return stream_codes(on=on)


def employer_codes() -> tuple[str, ...]:
    """The streams that take an employer's job offer."""
    return stream_codes(job_offer=True)


def takes_job_offer(code: str, pathway: str | None = None) -> bool:
    """True for a stream (and pathway, where it has them) that takes an employer's job offer
    (False for an unknown code or pathway)."""
    if not is_stream(code):
        return False
    info_ = stream_info(code)
    if pathway is not None and info_.pathways and pathway not in info_.pathway_codes:
        return False
    return info_.takes_job_offer(pathway)


def pathway_choices(code: str) -> list[tuple[str, str]]:
    """``(code, name)`` of a stream's pathways (empty for a stream without pathways)."""
    if not is_stream(code):
        return []
    return [(p.code, labels.data_name(p.name)) for p in stream_info(code).pathways]


def choices() -> list[tuple[str, str]]:
    """``(code, name)`` for every stream, for a form field's ``choices``."""
    return [(code, labels.data_name(name_)) for code, name_ in stream_choices()]


def employer_choices() -> list[tuple[str, str]]:
    """``(code, name)`` for the streams that take a job offer."""
    return [(code, labels.data_name(name_)) for code, name_ in stream_choices(job_offer=True)]


def validate_stream(value: str) -> None:
    """A model field validator: the value must be a code of the stream registry."""
    if not is_stream(value):
        raise ValidationError(
            _("Choose one of: %(streams)s.") % {"streams": ", ".join(stream_codes())},
            code="invalid_choice",
        )


class _Entry(NamedTuple):
    value: str
    label: str


class _Streams:
    """Read-only, TextChoices-like view of the registry for code written against the old
    ``eois.models.Stream`` enum: iterate for ``.value``/``.label``, call with a code for one
    entry (ValueError for an unknown code). New code calls the functions above.
    """

    def __iter__(self) -> Iterator[_Entry]:
        return iter(_Entry(code, label) for code, label in stream_choices())

    def __call__(self, code: str) -> _Entry:
        if not is_stream(code):
            raise ValueError(f"{code!r} is not a stream of the registry")
        return _Entry(code, label(code))

    @property
    def choices(self) -> list[tuple[str, str]]:
        return stream_choices()


Stream = _Streams()


class _JobOfferStreams:
    """``code in JOB_OFFER_STREAMS`` asks the registry each time (it follows the policy)."""

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and takes_job_offer(code)

    def __iter__(self) -> Iterator[str]:
        return iter(employer_codes())


#: The streams that take a job offer, as a live membership test.
JOB_OFFER_STREAMS = _JobOfferStreams()


class _IdPrefixes(Mapping[str, str]):
    """``ID_PREFIX[code]``: a stream's EOI id prefix from the registry (KeyError if unknown)."""

    def __getitem__(self, code: str) -> str:
        return stream_info(code).id_prefix

    def __iter__(self) -> Iterator[str]:
        return iter(stream_codes())

    def __len__(self) -> int:
        return len(stream_codes())


#: The EOI id prefix of each stream (``FW`` in ``FW-000123``), as a live mapping.
ID_PREFIX: Mapping[str, str] = _IdPrefixes()
