"""Charts drawn on the server as accessible SVG, each with the data table beside it.

Every chart is an ``<svg role="img" aria-labelledby="… …">`` with a ``<title>`` and a
``<desc>``; colours are SVG presentation attributes (the CSP forbids inline styles) from
a palette readable by people with colour-vision deficiencies (Okabe-Ito). No JavaScript.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nominee.program import streams

from .queries import (
    STREAM_CODES,
    SUPPRESS_BELOW,
    AllocationUse,
    Distribution,
    Entry,
    count_words,
    is_suppressed,
    stream_name,
)

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 48
INK = "#1a1a1a"
GRID = "#cccccc"
BAR = "#0066cc"
LIMIT = "#d81a21"


def _colour(stream: str, default: str) -> str:
    # A stream's chart colour is registry data (Okabe-Ito for the shipped streams).
    return streams.info(stream).colour if streams.is_stream(stream) else default


def _shape(stream: str) -> str:
    return streams.info(stream).shape if streams.is_stream(stream) else "circle"


def h(template: str, *args: object) -> SafeString:
    """``format_html`` for SVG: floats written with one decimal, every value escaped."""
    values = [f"{a:.1f}" if isinstance(a, float) else a for a in args]
    return format_html(template.replace("{:.1f}", "{}"), *values)


@dataclass(frozen=True)
class Chart:
    """A chart: its SVG and the table of the same data."""

    id: str
    title: str
    desc: str
    svg: SafeString
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: bool = False


def _svg(chart_id: str, title: str, desc: str, body: list[str]) -> SafeString:
    head = h(
        '<svg xmlns="http://www.w3.org/2000/svg" class="pub-chart__svg" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-labelledby="{}-title {}-desc" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every part escaped above


def _nice_step(span: float, ticks: int = 5) -> int:
    raw = max(span / ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return int(factor * magnitude)
    return int(10 * magnitude)


def _y_axis(low: int, high: int, step: int, y: Callable[[float], float]) -> list[str]:
    parts: list[str] = []
    value = low
    while value <= high:
        py = y(value)
        parts.append(
            h(
                '<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{:.1f}" font-size="12" text-anchor="end" fill="{}">{}</text>',
                LEFT,
                py,
                WIDTH - RIGHT,
                py,
                GRID,
                LEFT - 6,
                py + 4,
                INK,
                f"{value:,}",
            )
        )
        value += step
    return parts


def _marker(stream: str, x: float, y: float, label: str) -> str:
    colour = _colour(stream, INK)
    shape = _shape(stream)
    if shape == "square":
        mark = h(
            '<rect x="{:.1f}" y="{:.1f}" width="9" height="9" fill="{}"/>', x - 4.5, y - 4.5, colour
        )
    elif shape == "diamond":
        mark = h(
            '<polygon points="{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}" fill="{}"/>',
            x,
            y - 6,
            x + 6,
            y,
            x,
            y + 6,
            x - 6,
            y,
            colour,
        )
    elif shape == "triangle":
        mark = h(
            '<polygon points="{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}" fill="{}"/>',
            x,
            y - 6,
            x + 6,
            y + 5,
            x - 6,
            y + 5,
            colour,
        )
    else:
        mark = h('<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="{}"/>', x, y, colour)
    return h("<g>{}<title>{}</title></g>", mark, label)


def cutoff_chart(entries: Sequence[Entry], *, chart_id: str = "chart-cutoffs") -> Chart:
    """The lowest score invited, by stream, over time (draws whose cut-off is known)."""
    points = sorted(
        (e for e in entries if e.min_score is not None and e.stream is not None and e.counted),
        key=lambda e: (e.date, e.stream or ""),
    )
    title = _("Cut-off score by stream over time")
    headers = (_("Date"), _("Stream"), _("Lowest score invited"), _("Source"))
    rows = tuple(
        (e.date.isoformat(), stream_name(e.stream or ""), str(e.min_score), e.source_label)
        for e in points
    )
    if not points:
        desc = _("No draw with a published cut-off score.")
        return Chart(chart_id, title, desc, _svg(chart_id, title, desc, []), headers, rows, True)
    first, last = points[0].date, points[-1].date
    span_days = max((last - first).days, 1)
    scores = [int(e.min_score or 0) for e in points]
    step = _nice_step(max(scores) - min(scores) or 10)
    low = (min(scores) // step) * step
    high = -(-max(scores) // step) * step
    if high == low:
        high = low + step

    def x(day: date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * ((day - first).days / span_days)

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / (high - low))

    body = _y_axis(low, high, step, y)
    body.append(_x_dates(first, last, x))
    by_stream: dict[str, list[Entry]] = defaultdict(list)
    for e in points:
        by_stream[e.stream or ""].append(e)
    for stream in STREAM_CODES:
        series = by_stream.get(stream)
        if not series:
            continue
        coords = " ".join(f"{x(e.date):.1f},{y(int(e.min_score or 0)):.1f}" for e in series)
        body.append(
            h(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                coords,
                _colour(stream, INK),
            )
        )
        for e in series:
            body.append(
                _marker(
                    stream,
                    x(e.date),
                    y(int(e.min_score or 0)),
                    f"{e.date.isoformat()} {stream_name(stream)}: {e.min_score}",
                )
            )
    body.append(_legend([s for s in STREAM_CODES if s in by_stream]))
    desc = ngettext(
        "%(n)s draw from %(first)s to %(last)s; cut-off scores from %(low)s to %(high)s. "
        "The table beside the chart lists every point.",
        "%(n)s draws from %(first)s to %(last)s; cut-off scores from %(low)s to %(high)s. "
        "The table beside the chart lists every point.",
        len(points),
    ) % {
        "n": len(points),
        "first": first.isoformat(),
        "last": last.isoformat(),
        "low": min(scores),
        "high": max(scores),
    }
    return Chart(chart_id, title, desc, _svg(chart_id, title, desc, body), headers, rows)


def _x_dates(first: date, last: date, x: Callable[[date], float]) -> str:
    parts = [
        h(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
            LEFT,
            HEIGHT - BOTTOM,
            WIDTH - RIGHT,
            HEIGHT - BOTTOM,
            INK,
        )
    ]
    months = []
    cursor = date(first.year, first.month, 1)
    while cursor <= last:
        months.append(cursor)
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    every = max(1, math.ceil(len(months) / 8))
    for index, month in enumerate(months):
        if index % every:
            continue
        day = max(month, first)
        parts.append(
            h(
                '<text x="{:.1f}" y="{}" font-size="12" text-anchor="middle" fill="{}">{}</text>',
                x(day),
                HEIGHT - BOTTOM + 18,
                INK,
                date_format(month, "M Y"),
            )
        )
    return "".join(parts)


def _legend(streams: list[str]) -> str:
    parts = []
    x = LEFT
    y = HEIGHT - 12
    for stream in streams:
        parts.append(_marker(stream, x + 5, y - 4, stream_name(stream)))
        label = stream_name(stream).removeprefix("Employer Job Offer: ")
        parts.append(
            h('<text x="{}" y="{}" font-size="12" fill="{}">{}</text>', x + 14, y, INK, label)
        )
        x += 14 + 7 * len(label) + 18
    return "".join(parts)


def monthly_chart(entries: Sequence[Entry], *, chart_id: str = "chart-monthly") -> Chart:
    """Invitations issued per month (counted draws, known figures), as bars."""
    totals: dict[tuple[int, int], int] = defaultdict(int)
    unknown: dict[tuple[int, int], int] = defaultdict(int)
    for e in entries:
        if not e.counted:
            continue
        key = (e.date.year, e.date.month)
        if e.invitations is None:
            unknown[key] += 1
        else:
            totals[key] += e.invitations
    title = _("Invitations issued per month")
    headers = (_("Month"), _("Invitations"), _("Draws with unknown counts"))
    if not totals and not unknown:
        desc = _("No draws.")
        return Chart(chart_id, title, desc, _svg(chart_id, title, desc, []), headers, (), True)
    keys = sorted(set(totals) | set(unknown))
    months = []
    cursor = keys[0]
    while cursor <= keys[-1]:
        months.append(cursor)
        cursor = (cursor[0] + (cursor[1] == 12), cursor[1] % 12 + 1)
    rows = tuple(
        (
            date_format(date(y_, m, 1), "F Y"),
            count_words(totals.get((y_, m), 0)),
            str(unknown.get((y_, m), 0)),
        )
        for y_, m in months
    )
    peak = max(totals.values(), default=0) or 1
    step = _nice_step(peak)
    high = -(-peak // step) * step

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / high)

    body = _y_axis(0, high, step, y)
    slot = (WIDTH - LEFT - RIGHT) / len(months)
    every = max(1, math.ceil(len(months) / 12))
    for index, (y_, m) in enumerate(months):
        value = totals.get((y_, m), 0)
        x0 = LEFT + index * slot + slot * 0.15
        label = f"{date_format(date(y_, m, 1), 'F Y')}: {value:,}"
        body.append(
            h(
                '<g><rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>'
                "<title>{}</title></g>",
                x0,
                y(value),
                slot * 0.7,
                (HEIGHT - BOTTOM) - y(value),
                BAR,
                label,
            )
        )
        if index % every == 0:
            body.append(
                h(
                    '<text x="{:.1f}" y="{}" font-size="12" text-anchor="middle" '
                    'fill="{}">{}</text>',
                    x0 + slot * 0.35,
                    HEIGHT - BOTTOM + 18,
                    INK,
                    date_format(date(y_, m, 1), "M Y"),
                )
            )
    busiest = max(months, key=lambda k: totals.get(k, 0))
    total = sum(totals.values())
    desc = " ".join(
        (
            ngettext(
                "%(n)s month from %(first)s to %(last)s.",
                "%(n)s months from %(first)s to %(last)s.",
                len(months),
            )
            % {
                "n": len(months),
                "first": date_format(date(*months[0], 1), "F Y"),
                "last": date_format(date(*months[-1], 1), "F Y"),
            },
            ngettext(
                "%(total)s invitation in all.",
                "%(total)s invitations in all.",
                SUPPRESS_BELOW if is_suppressed(total) else total,
            )
            % {"total": count_words(total)},
            _("The busiest month was %(busiest)s, with %(peak)s.")
            % {
                "busiest": date_format(date(*busiest, 1), "F Y"),
                "peak": count_words(totals.get(busiest, 0)),
            },
        )
    )
    return Chart(chart_id, title, desc, _svg(chart_id, title, desc, body), headers, rows)


def allocation_chart(
    use: AllocationUse, entries: Sequence[Entry], *, chart_id: str = "chart-allocation"
) -> Chart:
    """Invitations issued over the year, cumulated, against the year's allocation."""
    year = use.year
    per_day: dict[date, int] = defaultdict(int)
    for e in entries:
        if e.counted and e.date.year == year and e.invitations is not None:
            per_day[e.date] += e.invitations
    title = _("Allocation used over %(year)s") % {"year": year}
    headers = (_("Date"), _("Invitations that day"), _("Invitations so far"))
    running = 0
    rows_list = []
    points: list[tuple[date, int]] = []
    for day in sorted(per_day):
        running += per_day[day]
        points.append((day, running))
        rows_list.append((day.isoformat(), count_words(per_day[day]), count_words(running)))
    rows = tuple(rows_list)
    if not points and not use.nominations:
        desc = _("No allocation and no draws for %(year)s.") % {"year": year}
        return Chart(chart_id, title, desc, _svg(chart_id, title, desc, []), headers, rows, True)
    first, last = date(year, 1, 1), date(year, 12, 31)
    peak = max(running, use.nominations or 0, 1)
    step = _nice_step(peak)
    high = -(-peak // step) * step

    def x(day: date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * ((day - first).days / (last - first).days)

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / high)

    body = _y_axis(0, high, step, y)
    body.append(_x_dates(first, last, x))
    if use.nominations:
        body.append(
            h(
                '<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="6 4"/><text x="{}" y="{:.1f}" font-size="12" fill="{}" '
                'text-anchor="end">{}</text>',
                LEFT,
                y(use.nominations),
                WIDTH - RIGHT,
                y(use.nominations),
                LIMIT,
                WIDTH - RIGHT,
                y(use.nominations) - 6,
                LIMIT,
                _("Allocation: %(n)s nominations") % {"n": f"{use.nominations:,}"},
            )
        )
    if points:
        steps = [f"{x(first):.1f},{y(0):.1f}"]
        previous = 0
        for day, total in points:
            steps.append(f"{x(day):.1f},{y(previous):.1f}")
            steps.append(f"{x(day):.1f},{y(total):.1f}")
            previous = total
        body.append(
            h(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>',
                " ".join(steps),
                BAR,
            )
        )
        for day, total in points:
            body.append(
                h(
                    '<g><circle cx="{:.1f}" cy="{:.1f}" r="4" fill="{}"/><title>{}</title></g>',
                    x(day),
                    y(total),
                    BAR,
                    f"{day.isoformat()}: {total:,}",
                )
            )
    desc = _(
        "Invitations issued in %(year)s, added up draw day by draw day: %(total)s by "
        "%(last)s, against an allocation of %(allocation)s nominations."
    ) % {
        "year": year,
        "total": f"{running:,}",
        "last": points[-1][0].isoformat() if points else "-",
        "allocation": f"{use.nominations:,}" if use.nominations else _("(none set)"),
    }
    return Chart(chart_id, title, desc, _svg(chart_id, title, desc, body), headers, rows)


def distribution_chart(dist: Distribution, *, chart_id: str) -> Chart:
    """A stream's pool by score band, as horizontal bars; suppressed bands drawn at the
    threshold and labelled "<5" so that the picture reveals no more than the table."""
    title = _("%(stream)s: the pool by score") % {"stream": dist.stream_label}
    headers = (_("Score band"), _("Expressions of interest"))
    rows = tuple((band.label, band.shown) for band in dist.bands)
    if not dist.bands:
        desc = _("No expression of interest in this pool.")
        return Chart(chart_id, title, desc, _svg(chart_id, title, desc, []), headers, rows, True)
    height_each = min(24, (HEIGHT - TOP - 8) / len(dist.bands))
    largest = dist.largest or 1
    body: list[str] = []
    for index, band in enumerate(dist.bands):
        shown_count = max(band.count, 5) if band.shown.startswith("<") else band.count
        width = (WIDTH - LEFT - 90) * shown_count / largest
        yy = TOP + index * height_each
        body.append(
            h(
                '<g><text x="{}" y="{:.1f}" font-size="12" text-anchor="end" fill="{}">{}</text>'
                '<rect x="{}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>'
                '<text x="{:.1f}" y="{:.1f}" font-size="12" fill="{}">{}</text>'
                "<title>{}</title></g>",
                LEFT - 6,
                yy + height_each * 0.7,
                INK,
                band.label,
                LEFT,
                yy + 2,
                width,
                height_each - 4,
                _colour(dist.stream, BAR),
                LEFT + width + 6,
                yy + height_each * 0.7,
                INK,
                band.shown,
                f"{band.label}: {band.shown}",
            )
        )
    desc = ngettext(
        "%(total)s expressions of interest in %(n)s band of scores, as of %(day)s.",
        "%(total)s expressions of interest in %(n)s bands of scores, as of %(day)s.",
        len(dist.bands),
    ) % {
        "total": dist.total_shown,
        "n": len(dist.bands),
        "day": dist.as_of.isoformat(),
    }
    svg = _svg(chart_id, title, desc, body)
    return Chart(chart_id, title, desc, svg, headers, rows)
