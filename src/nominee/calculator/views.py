"""The public score calculator page. GET only: results are shareable and need no JS."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nominee.core.errors import ValidationFailed
from nominee.reference.models import Noc

from .forms import CalculatorForm
from .queries import eligibility, score


def calculator(request: HttpRequest) -> HttpResponse:
    """Show the form; with submitted values, the total, the breakdown and eligibility warnings."""
    context: dict[str, Any] = {"nocs": Noc.objects.only("code", "title")}
    if "stream" in request.GET:
        form = CalculatorForm(request.GET)
        if form.is_valid():
            try:
                profile, result = score(form.document(), at=form.cleaned_data.get("at"))
            except ValidationFailed as error:
                form.add_document_errors(error.fields)
            else:
                context["score"] = result
                context["warnings"] = eligibility(profile, on=form.cleaned_data.get("at"))
    else:
        form = CalculatorForm(initial={"stream": "foreign-worker", "permit": "none"})
    context["form"] = form
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "calculator/calculator.html", context, status=status)
