"""The program's own history of changes, in words, for the public pages, the feed and the API.

``program.queries.history`` gathers the changes (streams opened and closed from the
stream registry, the acts recorded as ``ProgramChange``, the allocations with a source);
this module says each one in words a visitor reads: stream names, never codes, dates in
full, counts with "<5" suppression where they count people's EOIs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nominee.core.links import absolute_url
from nominee.program import queries as program
from nominee.program.queries import Change

from .record import SUPPRESS_BELOW, long_date, stream_name, suppressed


@dataclass(frozen=True)
class ChangeEntry:
    """One change as published: its title and sentence, and whether it is still to come."""

    change: Change
    title: str
    summary: str
    when: str
    scheduled: bool

    @property
    def anchor(self) -> str:
        """The fragment naming the change on the page (stable: from its key)."""
        return "change-" + "".join(ch if ch.isalnum() else "-" for ch in self.change.key)

    @property
    def absolute_url(self) -> str:
        """The change on the public page (``settings.SITE_URL``)."""
        return f"{absolute_url(reverse('publication:changes'))}#{self.anchor}"

    @property
    def instant(self) -> datetime:
        """When the change was recorded, else the start of its day (the feed's ``updated``)."""
        if self.change.recorded_at is not None:
            return self.change.recorded_at
        return datetime.combine(self.change.sort_on, datetime.min.time(), tzinfo=UTC)

    def to_document(self) -> dict[str, Any]:
        """``GET /api/v1/program/changes``: one change."""
        change = self.change
        return {
            "id": change.key,
            "kind": change.kind,
            "date": change.on.isoformat() if change.on else None,
            "year": change.year,
            "stream": change.stream,
            "stream_name": stream_name(change.stream) if change.stream else None,
            "count": _public_count(change),
            "title": self.title,
            "summary": self.summary,
            "scheduled": self.scheduled,
            "url": self.absolute_url,
        }


def _public_count(change: Change) -> int | str | None:
    if change.count is None:
        return None
    if change.kind == program.EOIS_WITHDRAWN:
        return suppressed(change.count) if change.count < 5 else change.count
    return change.count


def _words(change: Change, today: date) -> tuple[str, str]:
    name = stream_name(change.stream) if change.stream else ""
    later = change.on is not None and change.on > today
    if change.kind == program.STREAM_OPENED:
        assert change.on is not None
        title = _("Stream opens: %(stream)s") if later else _("Stream opened: %(stream)s")
        summary = _(
            "From %(date)s the stream %(stream)s takes expressions of interest and draws, "
            "under the rules in force on each date."
        )
        return title % {"stream": name}, summary % {"date": long_date(change.on), "stream": name}
    if change.kind == program.STREAM_CLOSED:
        assert change.on is not None
        title = _("Stream closes: %(stream)s") if later else _("Stream closed: %(stream)s")
        summary = _(
            "From %(date)s the stream %(stream)s takes no registration, update or draw; "
            "applications already received are decided under the rules in force when they "
            "were received."
        )
        return title % {"stream": name}, summary % {"date": long_date(change.on), "stream": name}
    if change.kind == program.EOIS_WITHDRAWN:
        assert change.on is not None
        number = change.count or 0
        count = suppressed(number)
        title = _("Expressions of interest withdrawn: %(stream)s") % {"stream": name}
        summary = ngettext(
            "On %(date)s the %(count)s expression of interest of the closed stream "
            "%(stream)s that had no invitation was withdrawn; each candidate, employer and "
            "representative concerned was told.",
            "On %(date)s the %(count)s expressions of interest of the closed stream "
            "%(stream)s that had no invitation were withdrawn; each candidate, employer and "
            "representative concerned was told.",
            number if number >= SUPPRESS_BELOW else SUPPRESS_BELOW,
        ) % {"date": long_date(change.on), "count": count, "stream": name}
        return title, summary
    if change.kind == program.ALLOCATION_SET:
        title = _("Nomination allocation %(year)s: %(count)s") % {
            "year": change.year,
            "count": f"{change.count or 0:,}",
        }
        # The allocation's source note stays on the Sources page (decision 70).
        summary = ngettext(
            "The program may nominate %(count)s candidate in %(year)s.",
            "The program may nominate %(count)s candidates in %(year)s.",
            change.count or 0,
        ) % {"count": f"{change.count or 0:,}", "year": change.year}
        return title, summary
    return change.kind, ""


def change_entries(today: date) -> list[ChangeEntry]:
    """The program's history, newest first, in words (``today`` decides what is to come)."""
    out = []
    for change in program.history():
        title, summary = _words(change, today)
        when = long_date(change.on) if change.on is not None else str(change.year)
        out.append(
            ChangeEntry(
                change=change,
                title=title,
                summary=summary,
                when=when,
                scheduled=change.on is not None and change.on > today,
            )
        )
    return out
