"""The public allocation page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nominee.core.errors import NotFound
from nominee.core.timeutil import today

from .. import queries
from ..policy import casework_policy_at
from .common import _not_found


def public_allocation(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The public allocation page: counts only, small ones shown as "<5"."""
    from django.core.cache import cache

    year = year or today().year
    key = f"casework:public-allocation:{year}:{today().isoformat()}"
    context = cache.get(key)
    if context is None:
        try:
            document = queries.allocation_document(year)
        except NotFound:
            return _not_found(request)
        outstanding = queries.invitations_outstanding()
        times = queries.processing_times()
        context = {
            "year": year,
            "nominations": document["nominations"],
            "issued": document["issued"],
            "remaining": document["remaining"],
            "streams": [
                {
                    "stream": stream,
                    "share": row["nominations"],
                    "issued": queries.small(row["issued"]),
                    "remaining": (row["nominations"] - row["issued"])
                    if row["nominations"] is not None
                    else None,
                    "outstanding": queries.small(outstanding[stream]),
                    "median": times[stream].median_days,
                    "decided": queries.small(times[stream].decided),
                    "oldest": times[stream].oldest_submitted_on,
                }
                for stream, row in document["by_stream"].items()
            ],
            "outstanding": queries.small(sum(outstanding.values())),
            "window": casework_policy_at(today()).processing_window_days,
        }
        cache.set(key, context, 300)
    return render(request, "casework/public_allocation.html", context)
