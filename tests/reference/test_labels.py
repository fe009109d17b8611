"""Labels of codes, the ``labels`` template filters, and municipalities (issue 13)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from nominee.core import labels
from nominee.employers.forms import LocationForm
from nominee.program import streams
from nominee.reference.models import CensusSubdivision
from nominee.reference.queries import economic_region_name, find_municipalities, place_name
from nominee.reference.templatetags.labels import count, format_money
from nominee.scoring import eligibility


def render(source: str, **context: object) -> str:
    return Template("{% load labels %}" + source).render(Context(context))


def test_every_rule_the_engine_names_has_a_sentence() -> None:
    # The engine's rule codes are string literals of Failure(...) calls.
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(eligibility))
    rules = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "Failure"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert rules, "the engine names its rules"
    assert rules - set(labels.RULE_LABELS) == set()


def test_rule_factor_and_action_labels_and_their_fallback() -> None:
    assert labels.rule_label("job_offer.wage_floor") == (
        "The wage must be at least the floor for the occupation and region"
    )
    assert labels.factor_label("job_offer_teer") == "Job offer: TEER"
    assert labels.action_label("employers.job_offer_submitted") == "Job offer submitted"
    # An unknown code reads as words, never as the code.
    assert labels.rule_label("job_offer.brand_new_rule") == "Brand new rule"
    assert labels.action_label("eois.eoi_reopened") == "Eoi reopened"


@pytest.mark.django_db
def test_stream_and_pathway_labels_come_from_the_registry() -> None:
    assert streams.label("foreign-worker") == "Employer Job Offer: Foreign Worker"
    assert streams.pathway_label("workforce-priority", "teer-0-3") == (
        "Workers in TEER 0-3 occupations"
    )
    assert streams.label("no-such-stream") == "No such stream"
    assert render("{{ s|stream_label }}", s="phd") == "PhD Graduate"
    assert render("{{ p|pathway_label:s }}", p="physician", s="workforce-priority") == (
        "Self-employed physicians"
    )


@pytest.mark.django_db
def test_places_by_name() -> None:
    assert place_name("other") == "Outside the GTA, not Northern Ontario"
    assert place_name("greater-toronto") == "Greater Toronto Area except Toronto"
    assert place_name("3520") == "Toronto"  # a census division
    assert place_name("3510") == "Frontenac"  # a census division, not the region
    assert economic_region_name("3510") == "Ottawa"
    assert render("{{ e|economic_region_label }}", e="35") == "Ontario"
    assert render("{{ r|region_label }}", r="northern") == "Northern Ontario"


def test_template_filters_name_factors_rules_and_actions() -> None:
    out = render(
        "{{ f|factor_label }}|{{ r|rule_label }}|{{ a|action_label }}",
        f="language_ability",
        r="job_offer.permanent",
        a="eois.eoi_withdrawn",
    )
    assert out == "Official language ability|The job must be permanent|EOI withdrawn"


def test_counts_and_money_follow_the_language() -> None:
    with translation.override("en"):
        assert count(1134) == "1,134"
        assert count(12) == "12"
        assert format_money(Decimal("95000.00")) == "$95,000"
        assert format_money(Decimal("32.5")) == "$32.50"
        assert format_money(None) == ""
        assert render("{{ n|count }} {{ m|money }}", n=1234567, m=1250000) == (
            "1,234,567 $1,250,000"
        )


@pytest.mark.django_db
def test_the_census_subdivisions_are_loaded_with_their_divisions() -> None:
    assert CensusSubdivision.objects.count() == 575
    toronto = CensusSubdivision.objects.get(code="3520005")
    assert (toronto.name, toronto.census_division_id) == ("Toronto", "3520")
    for code, division in CensusSubdivision.objects.values_list("code", "census_division"):
        assert code[:4] == division


@pytest.mark.django_db
def test_a_municipality_is_found_as_offered_or_by_its_name() -> None:
    assert [p.code for p in find_municipalities("  greater   sudbury ")] == ["3553005"]
    assert [p.code for p in find_municipalities("Hamilton, Northumberland")] == ["3514019"]
    assert {p.code for p in find_municipalities("Hamilton")} == {"3514019", "3525005"}
    assert find_municipalities("Scarborough") == []


def _location(**data: str) -> LocationForm:
    form = LocationForm({"full_time_employees": "3", **data})
    form.is_valid()
    return form


@pytest.mark.django_db
def test_the_location_form_fills_the_census_division_from_the_municipality() -> None:
    form = _location(municipality="Kitchener")
    assert form.errors == {}
    assert form.cleaned_data["census_division"].code == "3530"
    # The city, not the township of the same name in Northumberland.
    assert _location(municipality="Hamilton").cleaned_data["census_division"].code == "3525"
    # Six Nations 40 lies in two divisions: the person chooses.
    assert "municipality" in _location(municipality="Six Nations 40").errors
    # A place that is not a census subdivision: the division must be chosen.
    assert "census_division" in _location(municipality="Scarborough").errors
    assert _location(municipality="Scarborough", census_division="3520").errors == {}
    # A division that is not the municipality's is refused.
    assert "census_division" in _location(municipality="Kitchener", census_division="3520").errors


@pytest.mark.django_db
def test_the_location_page_offers_the_municipalities_without_a_script(bob: object) -> None:
    from nominee.employers.models import Employer
    from tests.personas import client_for

    employer = Employer.objects.get(contacts__user=bob, contacts__is_signing_officer=True)
    html = client_for(bob).get(f"/employer/{employer.pk}/locations/new/").content.decode()
    assert 'list="ontario-municipalities"' in html
    assert '<datalist id="ontario-municipalities">' in html
    assert '<option value="Toronto, Toronto">' in html
    assert "(optional)" in html.split('for="id_census_division"')[1].split("</label>")[0]
    assert "(optional)" not in html.split('for="id_municipality"')[1].split("</label>")[0]


@pytest.mark.django_db
def test_the_calculator_says_plain_messages_and_flags_only_optional_fields() -> None:
    from django.test import Client

    response = Client().get(
        "/calculator/", {"stream": "foreign-worker", "noc": "abc", "permit": "work"}
    )
    assert response.status_code == 400
    messages = [str(m) for m in response.context["form"].errors.get("noc", [])]
    assert messages
    assert not any("as a string" in m for m in messages)
    html = response.content.decode()
    assert "as a string" not in html
    # The job offer's NOC is required by a job-offer stream: not called optional.
    assert "(optional)" not in html.split('for="id_noc"')[1].split("</label>")[0]
    # The date to score at may be left empty.
    assert "(optional)" in html.split('for="id_at"')[1].split("</label>")[0]
