"""Public pages and feeds: no login, aggregates only, served from the publication cache.

Each page's content is rendered once per publication version (and language, and query)
and cached. For a visitor who is not signed in the whole page is cached, rendered with
no per-person context (no user, no CSRF token, no messages); a signed-in visitor gets the
cached content inside a freshly rendered page shell (their e-mail in the header) with
``Cache-Control: private``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from nominee.accounts.context_processors import site
from nominee.core import timeutil
from nominee.core.locale import context as locale_context
from nominee.program import queries as program_queries
from nominee.program import streams
from nominee.program.models import Allocation

from . import changes, charts, feeds, queries
from .cache import cached, cached_payload, respond
from .queries import SOURCES, STREAM_CODES, Period

POOL_SECONDS_DEFAULT = 300


@dataclass
class Page:
    """A page's content: title, breadcrumbs and the HTML of the main block."""

    title: str
    body: str
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    feeds: bool = True


def _shell_context(page: Page) -> dict[str, Any]:
    return {
        "page_title": page.title,
        "page_body": page.body,
        "page_breadcrumbs": page.breadcrumbs,
        "page_feeds": page.feeds,
    }


def _serve(
    request: HttpRequest,
    key: str,
    build: Callable[[], Page],
    *,
    timeout: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """Serve a page built by ``build``, cached under ``key`` for the current version."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    # The links of a page carry the request's language prefix (/fr/, or none).
    full_key = f"{language}:{get_script_prefix()}:{key}"
    if status != 200:
        page = build()
        return render(request, "publication/page.html", _shell_context(page), status=status)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:

        def whole() -> bytes:
            page = build()
            context = {
                **site(request),
                **locale_context(request),
                **_shell_context(page),
                "request": request,
                "LANGUAGE_CODE": language,
                "csrf_token": "",
            }
            return render_to_string("publication/page.html", context).encode()

        payload = cached_payload(
            f"page:{full_key}", whole, "text/html; charset=utf-8", timeout=timeout
        )
        response = respond(request, payload)
        response["Vary"] = "Cookie, Accept-Language"
        return response
    page = cached(f"content:{full_key}", build, timeout=timeout)
    response = render(request, "publication/page.html", _shell_context(page))
    response["Cache-Control"] = "private, no-cache"
    return response


def _home_crumb() -> list[tuple[str, str]]:
    return [(reverse("home"), _("Home")), (reverse("publication:list"), _("Draw results"))]


class BadFilter(ValueError):
    """A filter of the list is not one of its values."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def parse_filters(params: Any) -> tuple[int | None, str | None, str | None]:
    """``year``, ``stream``, ``source`` from a query string; raises BadFilter."""
    errors: dict[str, str] = {}
    year: int | None = None
    raw_year = (params.get("year") or "").strip()
    if raw_year:
        if raw_year.isdigit() and 1900 <= int(raw_year) <= 2999:
            year = int(raw_year)
        else:
            errors["year"] = _("Enter a year such as 2025.")
    stream = (params.get("stream") or "").strip() or None
    if stream is not None and stream not in STREAM_CODES:
        errors["stream"] = _("Choose one of the streams in the list.")
    source = (params.get("source") or "").strip() or None
    if source is not None and source not in SOURCES:
        errors["source"] = _("Choose where the draws come from: nominee or imported.")
    if errors:
        raise BadFilter(errors)
    return year, stream, source


def _list_page(
    year: int | None,
    stream: str | None,
    source: str | None,
    raw: dict[str, str],
    errors: dict[str, str] | None = None,
) -> Page:
    every = queries.all_entries()
    entries = queries.filter_entries(every, year=year, stream=stream, source=source)
    context = {
        "entries": entries,
        "years": queries.years(every),
        "streams": [(code, queries.stream_name(code)) for code in STREAM_CODES],
        "sources": [
            (queries.SOURCE_NOMINEE, _("Run in Nominee")),
            (queries.SOURCE_IMPORTED, _("Published record (imported)")),
        ],
        "selected": raw,
        "errors": errors or {},
        "year": year,
        "summary_year": year or (entries[0].date.year if entries else timeutil.today().year),
        "total_invitations": sum(e.invitations or 0 for e in entries),
    }
    return Page(
        title=_("Draw results"),
        body=render_to_string("publication/list.html", context),
        breadcrumbs=[(reverse("home"), _("Home"))],
    )


@require_safe
def draw_list(request: HttpRequest) -> HttpResponse:
    """``/draws/``: every published draw, newest first, filterable by year, stream, source."""
    raw = {name: request.GET.get(name, "") for name in ("year", "stream", "source")}
    try:
        year, stream, source = parse_filters(request.GET)
    except BadFilter as error:
        errors = error.errors
        return _serve(
            request,
            "list-error",
            lambda: _list_page(None, None, None, raw, errors),
            status=400,
        )
    key = f"list:{year}:{stream}:{source}"
    return _serve(request, key, lambda: _list_page(year, stream, source, raw))


def _detail_page(slug: str) -> Page:
    entry = queries.entry_by_slug(slug)
    if entry is None:
        raise Http404(slug)
    distribution = queries.draw_distribution(entry)
    chart = (
        charts.distribution_chart(distribution, chart_id="chart-pool")
        if distribution is not None
        else None
    )
    context = {
        "entry": entry,
        "nocs": queries.noc_titles(entry.noc_codes),
        "regions": [queries.region_label(code) for code in entry.regions],
        "pathways": [
            streams.pathway_name(entry.stream, code) for code in entry.pathways if entry.stream
        ],
        "census_divisions": entry.census_divisions,
        "distribution": distribution,
        "chart": chart,
        "day": Period.day(entry.date.year, entry.date.month, entry.date.day),
        "week": Period.week(*entry.date.isocalendar()[:2]),
        "month": Period.month(entry.date.year, entry.date.month),
        "threshold": queries.SUPPRESS_BELOW,
    }
    title = _("Draw of %(date)s: %(stream)s") % {
        "date": queries.long_date(entry.date),
        "stream": entry.stream_label,
    }
    return Page(
        title=title,
        body=render_to_string("publication/detail.html", context),
        breadcrumbs=_home_crumb(),
    )


@require_safe
def draw_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A draw's page: the published figures, NOC titles, the pool when it ran (404 for an
    unknown slug; nothing is cached for it)."""
    return _serve(request, f"detail:{slug}", lambda: _detail_page(slug))


def _summary_page(period: Period) -> Page:
    every = queries.all_entries()
    summary = queries.summarise(period, every)
    weeks = queries.weeks_of(period, every) if period.kind in {"month", "year"} else []
    months = []
    if period.kind == "year":
        months = [
            Period.month(period.year, m)
            for m in range(1, 13)
            if any(e.date.year == period.year and e.date.month == m for e in every)
        ]
    days = []
    if period.kind in {"week", "month"}:
        days = [Period.day(d.year, d.month, d.day) for d in summary.days]
    context = {
        "summary": summary,
        "period": period,
        "weeks": weeks,
        "months": months,
        "days": days,
        "previous": period.previous(),
        "next": period.next(),
        "monthly": charts.monthly_chart(summary.entries, chart_id="chart-period-monthly")
        if period.kind == "year"
        else None,
    }
    return Page(
        title=_("Summary: %(period)s") % {"period": period.title},
        body=render_to_string("publication/summary.html", context),
        breadcrumbs=[*_home_crumb(), (reverse("publication:summaries"), _("Summaries"))],
    )


def _period_or_404(make: Callable[[], Period]) -> Period:
    try:
        return make()
    except (ValueError, OverflowError):
        raise Http404("no such period") from None


@require_safe
def summary_index(request: HttpRequest) -> HttpResponse:
    """``/draws/summary/``: the years and months with draws."""

    def build() -> Page:
        every = queries.all_entries()
        context = {"periods": queries.summary_periods(every)}
        return Page(
            title=_("Summaries of draws"),
            body=render_to_string("publication/summary_index.html", context),
            breadcrumbs=_home_crumb(),
        )

    return _serve(request, "summaries", build)


@require_safe
def summary_year(request: HttpRequest, year: int) -> HttpResponse:
    """``/draws/summary/2025/``."""
    period = _period_or_404(lambda: Period.whole_year(year))
    if not 1900 <= year <= 2999:
        raise Http404("no such year")
    return _serve(request, f"summary:{period.kind}:{period.start}", lambda: _summary_page(period))


@require_safe
def summary_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """``/draws/summary/2025/09/``."""
    period = _period_or_404(lambda: Period.month(year, month))
    return _serve(request, f"summary:{period.kind}:{period.start}", lambda: _summary_page(period))


@require_safe
def summary_week(request: HttpRequest, year: int, week: int) -> HttpResponse:
    """``/draws/summary/2025/week/36/``: an ISO week (Monday to Sunday)."""
    period = _period_or_404(lambda: Period.week(year, week))
    return _serve(request, f"summary:{period.kind}:{period.start}", lambda: _summary_page(period))


@require_safe
def summary_day(request: HttpRequest, year: int, month: int, day: int) -> HttpResponse:
    """``/draws/summary/2025/09/03/``."""
    period = _period_or_404(lambda: Period.day(year, month, day))
    return _serve(request, f"summary:{period.kind}:{period.start}", lambda: _summary_page(period))


@require_safe
def chart_page(request: HttpRequest) -> HttpResponse:
    """``/draws/charts/``: cut-offs over time, invitations per month, allocation used."""
    try:
        year, _stream, _source = parse_filters({"year": request.GET.get("year", "")})
    except BadFilter:
        raise Http404("no such year") from None

    def build() -> Page:
        every = queries.all_entries()
        entries = queries.filter_entries(every, year=year)
        chosen = year or (entries[0].date.year if entries else timeutil.today().year)
        use = queries.allocation_use(chosen)
        context = {
            "year": year,
            "years": queries.years(every),
            "allocation_year": chosen,
            "charts": [
                charts.cutoff_chart(entries),
                charts.monthly_chart(entries),
                charts.allocation_chart(use, every),
            ],
        }
        return Page(
            title=_("Charts of the draws"),
            body=render_to_string("publication/charts.html", context),
            breadcrumbs=_home_crumb(),
        )

    return _serve(request, f"charts:{year}", build)


def _allocation_page(year: int) -> Page:
    use = queries.allocation_use(year)
    every = queries.all_entries()
    context = {
        "use": use,
        "years": queries.allocation_years(),
        "chart": charts.allocation_chart(use, every),
        "today": timeutil.today(),
    }
    return Page(
        title=_("Nomination allocation %(year)s") % {"year": year},
        body=render_to_string("publication/allocation.html", context),
        breadcrumbs=_home_crumb(),
    )


@require_safe
def allocation(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """``/draws/allocation/`` (the current program year, or the latest year with an
    allocation or draws when it has neither) and ``/draws/allocation/2025/``."""
    chosen = year if year is not None else queries.default_allocation_year(timeutil.today())
    if not 1900 <= chosen <= 2999:
        raise Http404("no such year")
    return _serve(request, f"allocation:{chosen}", lambda: _allocation_page(chosen))


def _sources_page() -> Page:
    imported = [e for e in queries.all_entries() if e.source == queries.SOURCE_IMPORTED]
    context = {
        "entries": imported,
        "files": sorted({e.source_file for e in imported if e.source_file}),
        "threshold": queries.SUPPRESS_BELOW,
        "allocations": list(
            Allocation.objects.order_by("-year").only("year", "nominations", "source")
        ),
    }
    return Page(
        title=_("Sources of the record"),
        body=render_to_string("publication/sources.html", context),
        breadcrumbs=_home_crumb(),
    )


@require_safe
def sources(request: HttpRequest) -> HttpResponse:
    """``/draws/sources/``: where each figure comes from, the attribution of the shipped
    data, and the notes kept with each imported draw (unconfirmed figures, derivations)."""
    return _serve(request, "sources", _sources_page)


def pool_seconds() -> int:
    """How long the current pool page is reused between draws (registrations change it)."""
    return int(getattr(settings, "NOMINEE_PUBLICATION_POOL_SECONDS", POOL_SECONDS_DEFAULT))


def _pool_page(day: date) -> Page:
    distributions = queries.current_pool(day)
    context = {
        "day": day,
        "items": [
            (dist, charts.distribution_chart(dist, chart_id=f"chart-pool-{dist.stream}"))
            for dist in distributions
        ],
        "band_width": queries.BAND_WIDTH,
        "threshold": queries.SUPPRESS_BELOW,
        "minutes": max(1, pool_seconds() // 60),
    }
    return Page(
        title=_("The pool today"),
        body=render_to_string("publication/pool.html", context),
        breadcrumbs=_home_crumb(),
    )


@require_safe
def pool(request: HttpRequest) -> HttpResponse:
    """``/draws/pool/``: each stream's pool by score band, refreshed after each draw."""
    day = timeutil.today()
    return _serve(request, f"pool:{day}", lambda: _pool_page(day), timeout=pool_seconds())


def _changes_page(today: date) -> Page:
    entries = changes.change_entries(today)
    context = {"entries": entries, "today": today}
    return Page(
        title=_("The program's changes"),
        body=render_to_string("publication/changes.html", context),
        breadcrumbs=_home_crumb(),
    )


@require_safe
def program_changes(request: HttpRequest) -> HttpResponse:
    """``/program/changes/``: streams opened and closed, EOIs withdrawn, allocations set."""
    day = timeutil.today()
    key = f"changes:{day}:{program_queries.registry_fingerprint()}"
    return _serve(request, key, lambda: _changes_page(day))


@require_safe
def draws_csv(request: HttpRequest) -> HttpResponse:
    """``/draws.csv``: the record as CSV (columns in ``feeds.CSV_COLUMNS``)."""
    payload = cached_payload(
        "csv",
        lambda: queries.english(lambda: feeds.csv_body(queries.all_entries())),
        "text/csv; charset=utf-8",
    )
    return respond(
        request,
        payload,
        extra_headers={
            "Content-Disposition": 'inline; filename="draws.csv"',
            "Content-Language": settings.LANGUAGE_CODE,
        },
    )


def _in_language(language: str, build: Callable[[], bytes]) -> bytes:
    with translation.override(language):
        return build()


@require_safe
def draws_atom(request: HttpRequest) -> HttpResponse:
    """``/draws.atom``: the record as an Atom 1.0 feed."""
    day = timeutil.today()
    # /draws.atom is in English (the contract); /fr/draws.atom in French, its links under
    # /fr/ (Decision 69): one body per prefix.
    prefix = getattr(request, "nominee_language_prefix", None)
    language = prefix or settings.LANGUAGE_CODE
    payload = cached_payload(
        f"atom:{prefix or '-'}:{day}:{program_queries.registry_fingerprint()}",
        lambda: _in_language(
            language, lambda: feeds.atom_body(queries.all_entries(), changes.change_entries(day))
        ),
        "application/atom+xml; charset=utf-8",
    )
    response = respond(request, payload)
    response["Content-Language"] = language
    return response
