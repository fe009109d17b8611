"""Reads of the public record, shared by the pages, the feeds, the API and the summaries.

Nothing here writes, and nothing here returns a personal field: an ``Entry`` is built
from a draw's criteria and result (never its note, never who acted on it, never an
invitation's EOI), and pool figures are counts by score band with "<5" suppression.

The record unifies two sources:

* ``nominee``: draws executed in Nominee (``draws.Draw`` with status executed);
* ``imported``: draws published elsewhere (``PublishedDraw``).

A Nominee draw of a date and stream that an imported draw of that date names is a
*replay* of the published draw (the demo replays 2025-09-02/03): replays are not part of
the public record, which states the published figures (decision 70).

The reads live in ``record``, ``pool``, ``allocation`` and ``summaries``; this module
re-exports them, so callers import ``nominee.publication.queries`` as before.
"""

from .allocation import (
    AllocationUse,
    StreamUse,
    allocation_use,
    allocation_years,
    default_allocation_year,
)
from .pool import (
    Band,
    Distribution,
    bands,
    current_pool,
    draw_distribution,
    pool_scores,
)
from .record import (
    BAND_WIDTH,
    NOC_LIST_SHOWN,
    SOURCE_IMPORTED,
    SOURCE_NOMINEE,
    SOURCES,
    STREAM_CODES,
    SUPPRESS_BELOW,
    Entry,
    all_entries,
    count_words,
    entry_by_slug,
    filter_entries,
    imported_targeting,
    is_suppressed,
    long_date,
    noc_titles,
    nominee_targeting,
    region_label,
    replayed_draw_ids,
    stream_name,
    streams_label,
    suppressed,
    utc_iso,
    window_words,
    years,
)
from .summaries import (
    Period,
    StreamTotals,
    Summary,
    english,
    paragraph,
    summarise,
    summary_periods,
    weeks_of,
)

__all__ = [
    "BAND_WIDTH",
    "NOC_LIST_SHOWN",
    "SOURCES",
    "SOURCE_IMPORTED",
    "SOURCE_NOMINEE",
    "STREAM_CODES",
    "SUPPRESS_BELOW",
    "AllocationUse",
    "Band",
    "Distribution",
    "Entry",
    "Period",
    "StreamTotals",
    "StreamUse",
    "Summary",
    "all_entries",
    "allocation_use",
    "allocation_years",
    "bands",
    "count_words",
    "current_pool",
    "default_allocation_year",
    "draw_distribution",
    "english",
    "entry_by_slug",
    "filter_entries",
    "imported_targeting",
    "is_suppressed",
    "long_date",
    "noc_titles",
    "nominee_targeting",
    "paragraph",
    "pool_scores",
    "region_label",
    "replayed_draw_ids",
    "stream_name",
    "streams_label",
    "summarise",
    "summary_periods",
    "suppressed",
    "utc_iso",
    "weeks_of",
    "window_words",
    "years",
]
