"""Public pages and feeds of the publication app (no login)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, register_converter

from . import views


class TwoDigits:
    """A month, day or ISO week written with two digits (``09``), read as an int."""

    regex = "[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):02d}"


class Year:
    """A four-digit year from 1900 to 2999, as the year pages have it; any other is a 404.

    At either end of the calendar (year 1, 9999) a period's neighbours (the previous day,
    the next week) are not dates at all: refused here, no view computes them.
    """

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not 1900 <= year <= 2999:
            raise ValueError("no such year")  # the URL does not match: 404
        return year

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


register_converter(TwoDigits, "pub2d")
register_converter(Year, "pubyear")

app_name = "publication"
urlpatterns: list[URLPattern | URLResolver] = [
    path("draws/", views.draw_list, name="list"),
    path("draws.csv", views.draws_csv, name="csv"),
    path("draws.atom", views.draws_atom, name="atom"),
    path("draws/summary/", views.summary_index, name="summaries"),
    path("draws/summary/<pubyear:year>/", views.summary_year, name="summary_year"),
    path(
        "draws/summary/<pubyear:year>/week/<pub2d:week>/", views.summary_week, name="summary_week"
    ),
    path("draws/summary/<pubyear:year>/<pub2d:month>/", views.summary_month, name="summary_month"),
    path(
        "draws/summary/<pubyear:year>/<pub2d:month>/<pub2d:day>/",
        views.summary_day,
        name="summary_day",
    ),
    path("draws/charts/", views.chart_page, name="charts"),
    path("draws/allocation/", views.allocation, name="allocation"),
    path("draws/allocation/<pubyear:year>/", views.allocation, name="allocation_year"),
    path("draws/pool/", views.pool, name="pool"),
    path("draws/sources/", views.sources, name="sources"),
    path("program/changes/", views.program_changes, name="changes"),
    # Last: a draw's slug (nominee-17, or 2025-09-03-foreign-worker-1a2b3c4d when imported).
    path("draws/<slug:slug>/", views.draw_detail, name="detail"),
]
