"""``{% load labels %}``: words for codes, and numbers, money and dates for the language.

Every page that shows a code a person reads uses these filters, never the code:

- ``{{ code|stream_label }}``, ``{{ code|pathway_label:stream }}``: the policy registry's
  names (a stream the registry does not know: words from its code);
- ``{{ code|region_label }}``: a scoring region (``other``) or a census division
  (``3520``) by name; ``{{ code|economic_region_label }}`` an economic region (``3530``);
- ``{{ key|factor_label }}``, ``{{ code|rule_label }}``, ``{{ action|action_label }}``:
  ``nominee.core.labels``;
- ``{{ n|count }}``: a whole number with the language's grouping ("1,134"; French
  "1 134" with the ``fr`` format module);
- ``{{ amount|money }}``: dollars without cents when whole ("$95,000", "$32.50").

Dates use Django's own ``{{ day|date:"DATE_FORMAT" }}`` (words, in the active language).
This library lives in ``reference``, the lowest app that sees every concept named here.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language, pgettext

from nominee.core import labels
from nominee.program import streams

from .. import queries

register = template.Library()


@register.filter
def stream_label(code: Any) -> str:
    """A stream's name (the registry's), or words from an unknown code."""
    return streams.label(str(code)) if code not in (None, "") else ""


@register.filter
def pathway_label(code: Any, stream: Any = "") -> str:
    """A pathway's name within its stream (``teer-0-3`` → "Workers in TEER 0-3 occupations")."""
    if code in (None, ""):
        return ""
    return streams.pathway_label(str(stream or ""), str(code))


@register.filter
def region_label(code: Any) -> str:
    """A region, census division or economic region by name."""
    return queries.place_name(str(code)) if code not in (None, "") else ""


@register.filter
def economic_region_label(code: Any) -> str:
    """An economic region by name (``3530`` → "Kitchener-Waterloo-Barrie"; ``35``: Ontario)."""
    return queries.economic_region_name(str(code)) if code not in (None, "") else ""


@register.filter
def factor_label(code: Any) -> str:
    return labels.factor_label(str(code))


@register.filter
def rule_label(code: Any) -> str:
    return labels.rule_label(str(code))


@register.filter
def engine_message(message: Any) -> str:
    """An eligibility rule's explanation from the scoring engine, which writes English
    only (it is pure Python, without the catalogue): on a page in another language it is
    marked ``lang="en"`` so that readers and screen readers know (decision 77)."""
    if (get_language() or "en").startswith("en"):
        return conditional_escape(message)
    return format_html('<span lang="en">{}</span>', message)


@register.filter
def action_label(code: Any) -> str:
    return labels.action_label(str(code))


@register.filter
def event_label(code: Any) -> str:
    return labels.event_label(str(code))


@register.filter
def party_label(code: Any) -> str:
    return labels.party_label(str(code))


@register.inclusion_tag("reference/_municipalities.html")
def municipality_datalist(list_id: str = "ontario-municipalities") -> dict[str, Any]:
    """The ``<datalist>`` a municipality field suggests from (Ontario's census subdivisions)."""
    return {
        "list_id": list_id,
        "places": [queries.municipality_text(p) for p in queries.municipalities()],
    }


@register.filter
def count(value: Any) -> str:
    """A whole number grouped as the active language groups it ("1,134")."""
    if value in (None, ""):
        return ""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return number_format(number, use_l10n=True, force_grouping=True)


def format_money(value: Any) -> str:
    """An amount in dollars for the active language: no cents when whole ("$95,000"),
    else two decimals ("$32.50"). French reads "95 000 $" once the catalogue translates
    the pattern."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    places = 0 if amount == amount.to_integral_value() else 2
    number = number_format(amount, places, use_l10n=True, force_grouping=True)
    # Translators: an amount of money in dollars; French puts the sign after: "%(amount)s $".
    return pgettext("money", "$%(amount)s") % {"amount": number}


@register.filter
def money(value: Any) -> str:
    return format_money(value)
