"""No page a candidate, an employer or the public reads shows a raw registry code.

The pages are rendered with the test client over data made by ``tests/factories``; their
visible text (tags stripped, attributes and URLs left out, scripts and styles skipped) must
not contain a stream code, a score factor key, an eligibility rule code or a region code:
each is shown by its label (``{% load labels %}``, issue 13).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from nominee.accounts.models import User
from nominee.core import labels
from nominee.employers.models import Employer
from nominee.eois.models import EOI, Candidate
from nominee.program import streams
from nominee.reference.models import Region
from tests.dates import IN_2025
from tests.factories import make_eoi, submit_offer
from tests.personas import client_for

pytestmark = [pytest.mark.django_db, IN_2025]


class _Text(HTMLParser):
    """The text a person reads: character data outside <script>, <style>, <template> and
    <datalist> (a field's suggestions: NOC titles such as "Fishing masters and officers")."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in {"script", "style", "template", "datalist"}:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template", "datalist"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def registry_codes() -> set[str]:
    """The codes people must not read: streams and pathways, factor keys, rule codes and
    the region codes that are not plain words ("other" and "northern" are words)."""
    codes = set(streams.codes())
    for code in streams.codes():
        codes.update(p for p, _name in streams.pathway_choices(code))
    codes.update(labels.FACTOR_LABELS)
    codes.update(labels.RULE_LABELS)
    codes.update(code for code in Region.values if "-" in code)
    codes.discard("permit")  # a factor key that is also the word on the page
    return codes


def codes_shown(html: str, codes: Iterable[str]) -> list[str]:
    """Each code found, with the text around it ("code: …around…")."""
    text = " ".join(visible_text(html).split())
    found = []
    for code in sorted(codes):
        # A code as a token of its own: not inside a longer word, path or name.
        match = re.search(rf"(?<![\w./-]){re.escape(code)}(?![\w/-])", text)
        if match:
            found.append(f"{code}: …{text[max(0, match.start() - 60) : match.end() + 60]}…")
    return found


def test_the_check_finds_a_code_in_text_but_not_in_attributes() -> None:
    codes = {"foreign-worker", "job_offer.wage_floor"}
    html = (
        '<a href="/draws/?stream=foreign-worker" data-rule="job_offer.wage_floor">x</a>'
        "<p>Stream: foreign-worker</p><script>var s = 'job_offer.wage_floor';</script>"
    )
    assert [hit.split(":")[0] for hit in codes_shown(html, codes)] == ["foreign-worker"]
    assert codes_shown("<p>Employer Job Offer: Foreign Worker</p>", codes) == []


def _assert_words(pages: dict[str, bytes]) -> None:
    codes = registry_codes()
    shown = {
        url: found for url, html in pages.items() if (found := codes_shown(html.decode(), codes))
    }
    assert shown == {}


def _get(client: object, urls: Iterable[str]) -> dict[str, bytes]:
    pages = {}
    for url in urls:
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200, url
        pages[url] = response.content
    return pages


def test_employer_pages_show_words(bob: User) -> None:
    employer = Employer.objects.get(contacts__user=bob, contacts__is_signing_officer=True)
    # No Job Bank figure for the NOC: the offer is flagged with the wage floor rule.
    offer = submit_offer(bob, employer, noc="21232", hourly_wage=Decimal("20"))
    assert offer.failures, "the offer must fail a rule for the page to name it"
    client = client_for(bob)
    _assert_words(
        _get(
            client,
            [
                f"/employer/{employer.pk}/",
                f"/employer/job-offers/{offer.public_id}/",
                f"/employer/{employer.pk}/job-offers/new/",
                f"/employer/{employer.pk}/locations/new/",
                "/employer/register/",
            ],
        )
    )


def test_candidate_pages_show_words(alice: User, at: Callable[..., object]) -> None:
    candidate = Candidate.objects.get(user=alice)
    eoi = make_eoi(
        registered_at=at(2025, 6, 1, 10),
        candidate=candidate,
        region="greater-toronto",
        census_division="3521",
        flags=[
            {
                "rule": "job_offer.wage_floor",
                "message": "the wage is below the floor",
                "severity": "flag",
            }
        ],
    )
    EOI.objects.filter(pk=eoi.pk).update(
        breakdown=[
            {"factor": "job_offer_teer", "points": 10, "max": 10, "reason": "TEER 1"},
            {"factor": "language_ability", "points": 6, "max": 10, "reason": "CLB 9"},
        ]
    )
    client = client_for(alice)
    _assert_words(
        _get(
            client,
            [
                "/candidate/",
                f"/eoi/{eoi.external_id}/",
                f"/candidate/{candidate.pk}/eoi/new/stream/",
            ],
        )
    )


def test_public_pages_show_words() -> None:
    client = client_for(None)
    calculator = (
        "/calculator/?stream=foreign-worker&noc=21231&hourly_wage=16&census_division=3520"
        "&permit=work&job_tenure_months=7&highest_annual_earnings=52000&english=9"
    )
    pages = _get(client, ["/", "/calculator/", calculator, "/draws/"])
    assert b"Job offer: TEER" in pages[calculator]
    _assert_words(pages)
