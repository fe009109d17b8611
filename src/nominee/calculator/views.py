"""The public score calculator page. GET only: results are shareable and need no JS."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nominee.core import labels
from nominee.core.errors import ValidationFailed
from nominee.core.ratelimits import limit
from nominee.core.timeutil import today
from nominee.program import streams
from nominee.reference.models import Noc

from .forms import CalculatorForm
from .queries import eligibility, score

FACTOR_LABELS = labels.FACTOR_LABELS


def calculator(request: HttpRequest) -> HttpResponse:
    """Show the form; with submitted values, the total, the breakdown and eligibility warnings."""
    context: dict[str, Any] = {
        "nocs": Noc.objects.only("code", "title", "title_fr", "title_fr_official")
    }
    if "stream" in request.GET:
        limit(request, "score_ip")
        form = CalculatorForm(request.GET)
        if form.is_valid():
            try:
                profile, result = score(form.document(), at=form.cleaned_data.get("at"))
            except ValidationFailed as error:
                form.add_document_errors(error.fields)
            else:
                context["score"] = result
                context["rows"] = [
                    (FACTOR_LABELS.get(f.factor, f.factor), f) for f in result.factors
                ]
                context["warnings"] = eligibility(profile, on=form.cleaned_data.get("at"))
    else:
        # The stream in force today first (DOMAIN §9: the program changes; the calculator
        # follows it), else the registry's first.
        open_today = streams.open_codes(today())
        first = open_today[0] if open_today else streams.codes()[0]
        form = CalculatorForm(initial={"stream": first, "permit": "none"})
    context["form"] = form
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "calculator/calculator.html", context, status=status)
