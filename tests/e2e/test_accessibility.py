"""Pages of every kind pass axe-core's WCAG 2.1 A and AA rules (Ontario's AODA asks for
WCAG 2.0 AA of public-sector sites), at a desktop width and at a phone's.

The demo program is loaded (with a smaller pool) so that pages show what users see:
tables, charts, histograms, forms; refused forms are checked too, since their error
summary and messages are added then.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from nominee.draws.models import Draw
from nominee.employers.models import Employer, EmployerRegistration, JobOffer
from nominee.eois.models import EOI, Candidate
from nominee.publication.queries import replayed_draw_ids
from tests.test_visible_words import registry_codes

from .journeys import WIDTHS, artifacts, sign_in

AXE = Axe()
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
DEMO_PASSWORD = "nominee-demo"  # the demo accounts' (README)


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, base_url: str) -> None:
    """The demo program with a pool of 2,000 EOIs: the pages, not the volume, matter here."""
    monkeypatch.setattr("nominee.demo.eois.POOL_SIZE", 2_000)
    call_command("demo", "load", stdout=StringIO())


def _check(page: Any, path: str | None = None) -> list[str]:
    """The WCAG violations of the page (opened at ``path`` first, when given), in words."""
    if path is not None:
        response = page.goto(path)
        assert response is not None
        assert response.status < 500, (path, response.status)
    where = page.url.split("/", 3)[-1]
    return [
        f"/{where}: {v['id']} ({v['impact']}) {v['help']}: "
        + "; ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in AXE.run(page, options=WCAG).response["violations"]
    ]


def _refused(page: Any, path: str) -> list[str]:
    """Submit the page's main form empty: the violations of the page that refuses it."""
    page.goto(path)
    page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    page.wait_for_load_state()
    return _check(page)


def _paths() -> dict[str, list[str]]:
    # A public one: the demo's replays of published draws are not public (decision 70).
    draw = (
        Draw.objects.filter(status="executed")
        .exclude(pk__in=replayed_draw_ids())
        .order_by("pk")
        .first()
    )
    assert draw is not None
    employer = Employer.objects.get(contacts__user__email="employer@demo.nominee.test")
    offer = JobOffer.objects.filter(employer=employer).order_by("pk").first()
    candidate = Candidate.objects.get(user__email="candidate@demo.nominee.test")
    pooled = EOI.objects.order_by("pk").first()
    assert offer is not None
    assert pooled is not None
    from nominee.casework.models import Application

    draft = Application.objects.get(eoi__candidate__user__email="file01@demo.nominee.test")
    decided = Application.objects.filter(status="approved").order_by("pk").first()
    assert decided is not None
    pending = EmployerRegistration.objects.filter(status="pending").order_by("pk").first()
    assert pending is not None
    return {
        "": [
            "/",
            "/draws/",
            f"/draws/nominee-{draw.pk}/",
            "/draws/summary/2025/week/36/",
            "/draws/summary/2025/",
            "/draws/charts/",
            "/draws/allocation/",
            "/draws/pool/",
            "/allocation/",
            "/calculator/",
            "/accounts/login/",
            "/accounts/signup/",
            "/no-such-page/",
        ],
        "employer@demo.nominee.test": [
            "/employer/?all=1",
            f"/employer/{employer.pk}/",
            f"/employer/{employer.pk}/locations/new/",
            f"/employer/{employer.pk}/edit/",
            f"/employer/{employer.pk}/job-offers/new/",
            f"/employer/job-offers/{offer.public_id}/",
            "/employer/nocs/?q=software",
            "/accounts/emails/",
        ],
        "representative@demo.nominee.test": ["/representative/"],
        "applicant@demo.nominee.test": ["/applications/"],
        "file01@demo.nominee.test": [
            f"/applications/{draft.pk}/",
            f"/applications/{draft.pk}/apply/confirm/",
            f"/applications/{draft.pk}/apply/identity/",
            f"/applications/{draft.pk}/apply/documents/",
            f"/applications/{draft.pk}/apply/declaration/",
        ],
        "candidate@demo.nominee.test": [
            "/candidate/",
            f"/candidate/{candidate.pk}/eoi/new/stream/",
        ],
        "officer@demo.nominee.test": [
            "/staff/",
            "/staff/pool/",
            "/staff/pool/eois/?stream=foreign-worker",
            f"/eoi/{pooled.external_id}/",
            "/staff/draws/",
            "/staff/draws/new/",
            f"/staff/draws/{draw.pk}/",
            "/staff/draws/preview/?stream=foreign-worker&invitations=100&draw_date=2025-09-03",
            "/staff/employers/",
            "/staff/employers/registrations/",
            f"/staff/employers/registrations/{pending.pk}/approve/",
            f"/staff/employers/registrations/{pending.pk}/refuse/",
            f"/employer/{pending.employer_id}/",
            "/staff/applications/",
            f"/staff/applications/{decided.pk}/",
            "/staff/allocation/",
            "/staff/policy/",
            "/staff/policy/grid/2024-01-01/",
        ],
        "manager@demo.nominee.test": ["/staff/policy/publish/"],
    }


def _visible_codes(page: Any, codes: set[str]) -> list[str]:
    """The registry codes (``tests.test_visible_words.registry_codes``) in the main
    content's visible text, each a token of its own (not inside a word, path or name)."""
    text = " ".join(page.locator("main").inner_text().split())
    return [
        code
        for code in sorted(codes)
        if re.search(rf"(?<![\w./-]){re.escape(code)}(?![\w/-])", text)
    ]


_TEXT_NODES = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest('script, style, code, kbd, samp, [translate="no"]')) continue;
    const lang = el.closest('[lang]');
    if (lang && !lang.getAttribute('lang').startsWith('fr')) continue;
    if (!el.getClientRects().length) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  return out;
}"""
#: Words of English that French does not use: one of them on a French page is English left.
_ENGLISH = {
    "the",
    "and",
    "your",
    "you",
    "with",
    "this",
    "that",
    "are",
    "has",
    "have",
    "been",
    "will",
    "which",
    "when",
    "what",
    "who",
    "there",
    "their",
    "must",
    "may",
    "can",
    "not",
    "please",
    "here",
    "from",
    "into",
    "than",
    "these",
    "those",
    "yet",
    "was",
    "were",
}


def _english_left(page: Any, english: set[str]) -> list[str]:
    """Text of the main content of a French page that is English: a message of the
    catalogue in its English form, or a sentence with words only English has."""
    left = []
    for text in page.evaluate(_TEXT_NODES):
        words = set(re.findall(r"[A-Za-z]+", text.lower()))
        if text in english or len(words & _ENGLISH) >= 2:
            left.append(text[:120])
    return left


def _english_messages() -> set[str]:
    """The catalogue's messages whose French differs from their English."""
    import polib

    from nominee.settings import LOCALE_PATHS

    catalogue = polib.pofile(str(Path(LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"))
    return {
        e.msgid.strip()
        for e in catalogue.translated_entries()
        if e.msgstr and e.msgstr.strip() != e.msgid.strip() and len(e.msgid.split()) >= 2
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pages_of_every_kind_in_each_language_at_each_width(
    demo: None, new_page: Any, language: str, tmp_path_factory: Any
) -> None:
    """Every page kind, at a desktop's width and a phone's: WCAG 2.1 AA (axe-core), nothing
    scrolls sideways, no registry code on the pages of the public, candidates and
    employers, and on French pages no English in the main content. Each page's screenshot
    is kept (``pages-<language>-<width>-<n>.png`` in the artefacts folder)."""
    codes = registry_codes()
    english = _english_messages() if language == "fr" else set()
    folder = artifacts(tmp_path_factory)
    found: list[str] = []
    shot = 0
    for email, paths in _paths().items():
        page = new_page()
        if email:
            sign_in(page, email=email, password=DEMO_PASSWORD)
        staff = email.split("@")[0] in {"officer", "manager"}
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            for path in paths:
                target = f"/{language}{path}"
                found += _check(page, target)
                where = f"{language} {width} {path}"
                overflow = page.evaluate("document.documentElement.scrollWidth")
                if overflow > viewport["width"]:
                    found.append(f"{where}: {overflow} px wide at {viewport['width']} px")
                if not staff:
                    found += [f"{where}: code {c}" for c in _visible_codes(page, codes)]
                if language == "fr":
                    found += [f"{where}: English {t!r}" for t in _english_left(page, english)]
                shot += 1
                page.screenshot(
                    path=str(folder / f"pages-{language}-{width}-{shot:03d}.png"), full_page=True
                )
    assert found == [], "\n".join(found)


def test_refused_forms_meet_wcag_2_1_aa(demo: None, new_page: Any) -> None:
    employer = Employer.objects.get(contacts__user__email="employer@demo.nominee.test")
    found: list[str] = []
    public = new_page()
    found += _refused(public, "/accounts/signup/")
    found += _refused(public, "/calculator/")
    page = new_page()
    sign_in(page, email="employer@demo.nominee.test", password=DEMO_PASSWORD)
    found += _refused(page, f"/employer/{employer.pk}/job-offers/new/")
    found += _refused(page, "/employer/register/")
    from nominee.casework.models import Application

    draft = Application.objects.get(eoi__candidate__user__email="file01@demo.nominee.test")
    applicant = new_page()
    sign_in(applicant, email="file01@demo.nominee.test", password=DEMO_PASSWORD)
    found += _refused(applicant, f"/applications/{draft.pk}/apply/identity/")
    pending = EmployerRegistration.objects.get(status="pending")
    officer = new_page()
    sign_in(officer, email="officer@demo.nominee.test", password=DEMO_PASSWORD)
    found += _refused(officer, f"/staff/employers/registrations/{pending.pk}/refuse/")
    assert found == [], "\n".join(found)
