"""Steps shared by the journeys: what a person does on the pages, as functions.

Each step acts through the page as a person would (labels, buttons, links) and waits for
the page it leads to. The helpers that read a row (an e-mail's link) stand in for the
person's mailbox.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from nominee.accounts.models import OutgoingEmail

PASSWORD = "Maple orchard 2025 lantern"
EMPLOYER_EMAIL = "erin@example.com"
CANDIDATE_EMAIL = "farid@example.com"
#: The two widths every journey is walked at.
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
JOB_OFFER_ID = re.compile(r"JO-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")


def click_label(page: Any, text: str) -> None:
    """Tick a radio button or checkbox: ODS draws its own over the input, so click the label."""
    page.locator("label", has_text=text).click()


def sign_up(page: Any, *, role_label: str, full_name: str, email: str) -> None:
    """Create an account on /accounts/signup/, sign in, land on "Confirm your e-mail address"."""
    page.goto("/accounts/signup/")
    click_label(page, role_label)
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_url("**/accounts/confirm/sent/")
    page.get_by_role("heading", name="Confirm your e-mail address").wait_for()
    # Sign-up signs nobody in (Decision 78c): the new account signs in as anyone does.
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("e-mail address", re.IGNORECASE)).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/accounts/confirm/sent/")
    page.get_by_role("heading", name="Confirm your e-mail address").wait_for()


def link_in_email(*, to: str, kind: str, pattern: str) -> str:
    """The path of the link the newest e-mail of that kind to that address carries."""
    email = OutgoingEmail.objects.filter(to_email=to, kind=kind).order_by("-id").first()
    assert email is not None, f"no {kind} e-mail to {to}"
    found = re.search(r"https?://\S+", email.body)
    assert found, email.body
    # Links carry the recipient's language (/en/…): the pattern is of the page itself.
    path = re.sub(r"^/(en|fr)(?=/)", "", urlsplit(found.group(0)).path)
    assert re.fullmatch(pattern, path), path
    return path


def confirm_email(page: Any, *, email: str) -> None:
    """Follow the confirmation link from the e-mail, as from another device, signed out."""
    path = link_in_email(
        to=email, kind=OutgoingEmail.Kind.CONFIRM_EMAIL, pattern=r"/accounts/confirm/[^/]+/"
    )
    page.goto(path)
    page.wait_for_url("**/accounts/login/**")
    page.get_by_text("Your e-mail address is confirmed: sign in to continue.").wait_for()


def sign_in(page: Any, *, email: str, password: str = PASSWORD) -> None:
    """Sign in on the login page the browser is on (or goes to)."""
    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.get_by_label(re.compile("e-mail address", re.IGNORECASE)).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.get_by_text(email).first.wait_for()


def expect_not_found(page: Any, path: str, *hidden: str) -> None:
    """Open the path: it answers 404 ("Page not found") and shows none of the texts given."""
    response = page.goto(path)
    assert response is not None
    assert response.status == 404, (path, response.status)
    page.get_by_role("heading", name="Page not found").wait_for()
    content = page.content()
    for text in hidden:
        assert text not in content, (path, text)


def expect_no_form_errors(page: Any) -> None:
    """Fail with the page's own error messages when a form was refused."""
    errors = page.locator(".ontario-error-messaging, .ontario-alert--error")
    assert errors.count() == 0, errors.all_inner_texts()


def register_business(page: Any) -> None:
    """From the employer portal, register a Toronto business that meets the requirements."""
    page.goto("/employer/")
    page.get_by_role("link", name="Register a business").click()
    page.wait_for_url("**/employer/register/")
    page.get_by_label("Legal name").fill("Erin's Engineering Inc.")
    page.get_by_label("CRA business number").fill("123456782")
    page.get_by_label("Street address", exact=True).fill("100 Queen St W")
    page.get_by_label("Municipality", exact=True).fill("Toronto")
    page.get_by_label("Postal code").fill("M5H 2N2")
    page.get_by_label("Years in business").fill("12")
    page.get_by_label("Gross revenue of the last fiscal year (CAD)").fill("3200000")
    page.get_by_label("Census division").select_option("3520")
    page.get_by_label("Work location: municipality").fill("Toronto")
    page.get_by_label("Work location: full-time permanent employees").fill("25")
    page.get_by_role("button", name="Register the business").click()
    page.wait_for_url(re.compile(r".*/employer/\d+/$"))
    expect_no_form_errors(page)
    page.get_by_text("The business is registered. You are its signing officer.").wait_for()
    page.get_by_role("heading", name="Erin's Engineering Inc.").wait_for()
    page.get_by_role("heading", name="Meets the employer requirements").wait_for()


def submit_job_offer(page: Any, *, candidate_name: str, candidate_email: str) -> str:
    """From the business's page, submit a Foreign Worker offer; answer its Job Offer ID."""
    page.get_by_role("link", name="Submit a job offer").click()
    page.wait_for_url("**/job-offers/new/")
    click_label(page, "Employer Job Offer: Foreign Worker")
    page.get_by_label("Occupation (NOC 2021)").fill("21231")
    page.get_by_label("Job title").fill("Software engineer")
    page.get_by_label("Hourly wage (CAD)").fill("55.00")
    page.get_by_label("Hours per week").fill("40")
    click_label(page, "Yes")
    page.get_by_label("Candidate's full name").fill(candidate_name)
    page.get_by_label("Candidate's e-mail address").fill(candidate_email)
    page.get_by_role("button", name="Submit the job offer").click()
    page.wait_for_url(re.compile(r".*/employer/job-offers/JO-[^/]+/$"))
    expect_no_form_errors(page)
    shown = page.locator(".nominee-job-offer-id").inner_text().strip()
    assert JOB_OFFER_ID.fullmatch(shown), shown
    assert page.url.endswith(f"/employer/job-offers/{shown}/")
    page.get_by_text(f"Its Job Offer ID is {shown}: we e-mailed it to the candidate.").wait_for()
    return shown


def employer_with_offer(
    new_page: Any, *, candidate_name: str, candidate_email: str
) -> tuple[Any, str]:
    """The whole employer side: sign up, confirm, sign in, register, submit an offer."""
    signup = new_page()
    sign_up(
        signup,
        role_label="I act for an employer",
        full_name="Erin Employer",
        email=EMPLOYER_EMAIL,
    )
    # The link is followed from the mailbox, in a browser that is not signed in.
    page = new_page()
    confirm_email(page, email=EMPLOYER_EMAIL)
    sign_in(page, email=EMPLOYER_EMAIL)
    register_business(page)
    job_offer_id = submit_job_offer(
        page, candidate_name=candidate_name, candidate_email=candidate_email
    )
    return page, job_offer_id


def register_foreign_worker_eoi(page: Any, *, job_offer_id: str, english: str = "9") -> str:
    """From a candidate's page, register a Foreign Worker EOI with that Job Offer ID in the
    four steps (work permit, 7 months in the job, $52,000, the CLB given, 36 months in the
    NOC); answer the new EOI's id, shown on its page."""
    page.get_by_role("link", name="Register an EOI").click()
    page.wait_for_url("**/eoi/new/stream/")
    click_label(page, "Employer Job Offer: Foreign Worker")
    page.get_by_label("Job Offer ID").fill(job_offer_id)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/eoi/new/profile/")
    expect_no_form_errors(page)
    click_label(page, "Work permit")
    page.locator("#id_job_tenure_months").fill("7")
    page.locator("#id_highest_annual_earnings").fill("52000")
    page.locator("#id_english").select_option(english)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/eoi/new/eligibility/")
    expect_no_form_errors(page)
    page.locator("#id_experience_months_in_noc_last_5y").fill("36")
    if page.locator("#id_ontario_licence").count():
        page.locator("#id_ontario_licence").locator("label", has_text="No").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/eoi/new/review/")
    expect_no_form_errors(page)
    page.get_by_text(f"Job offer {job_offer_id}: Software engineer").wait_for()
    click_label(page, "I confirm")
    page.get_by_role("button", name="Register my EOI").click()
    page.wait_for_url(re.compile(r".*/eoi/[^/]+/$"))
    heading = page.get_by_role("heading", name="Expression of interest").inner_text()
    return heading.rsplit(" ", 1)[-1]


def sign_in_as(page: Any, email: str, password: str) -> None:
    """Sign in from the login page and wait to leave it (at a phone's width the header folds
    the address away, so nothing else is awaited)."""
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("e-mail address", re.IGNORECASE)).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def artifacts(tmp_path_factory: Any) -> Path:
    """The folder screenshots go to: ``$NOMINEE_E2E_ARTIFACTS``, else the run's temp folder."""
    root = os.environ.get("NOMINEE_E2E_ARTIFACTS")
    folder = Path(root) if root else tmp_path_factory.getbasetemp() / "e2e-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(page: Any, name: str, tmp_path_factory: Any) -> None:
    """A full-page screenshot ``<name>.png`` in the artifacts folder, to look at."""
    page.screenshot(path=str(artifacts(tmp_path_factory) / f"{name}.png"), full_page=True)


def forgot_password(page: Any, *, email: str) -> None:
    """From the sign-in page, follow "Forgot your password?" and ask for a link."""
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url("**/accounts/password_reset/")
    page.get_by_role("heading", name="Reset your password").wait_for()
    page.get_by_label(re.compile("e-mail", re.IGNORECASE)).fill(email)
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url("**/accounts/password_reset/done/")
    page.get_by_role("heading", name="Check your e-mail").wait_for()


def choose_new_password(page: Any, *, email: str, password: str) -> None:
    """Follow the reset link of the newest reset e-mail and choose ``password``."""
    path = link_in_email(
        to=email, kind=OutgoingEmail.Kind.PASSWORD_RESET, pattern=r"/accounts/reset/[^/]+/[^/]+/"
    )
    page.goto(path)
    page.get_by_role("heading", name="Choose a new password").wait_for()
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("New password confirmation").fill(password)
    page.get_by_role("button", name="Save the password").click()
    page.wait_for_url("**/accounts/reset/done/")
    page.get_by_role("heading", name="Your password is saved").wait_for()


def expect_no_sideways_scroll(page: Any) -> None:
    """The page is no wider than the window (nothing scrolls sideways on a phone)."""
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{page.url} is {wide}px wider than the window"
