"""The nomination letter as a PDF (fpdf2: pure Python, no system libraries)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from .models import Nomination


def letter_lines(nomination: Nomination) -> list[str]:
    """The letter's text, line by line (the PDF and the tests read the same lines), in the
    active language."""
    application = nomination.application
    identity = (application.details or {}).get("identity") or {}
    name = f"{identity.get('given_names', '')} {identity.get('family_name', '')}".strip()
    offer = application.eoi.job_offer
    lines = [
        _("Ontario Immigrant Nominee Program"),
        _("Nomination certificate"),
        "",
        _("Certificate number: %(number)s") % {"number": nomination.certificate},
        _("Issued on: %(date)s") % {"date": nomination.issued_on.isoformat()},
        _("Valid until: %(date)s") % {"date": nomination.expires_on.isoformat()},
        "",
        _("Nominee: %(name)s") % {"name": name or application.eoi.external_id},
        _("Date of birth: %(date)s") % {"date": identity.get("date_of_birth", "")},
        _("Stream: %(stream)s") % {"stream": nomination.stream},
        _("Expression of interest: %(eoi)s") % {"eoi": application.eoi.external_id},
    ]
    if offer is not None:
        lines.append(_("Employer: %(name)s") % {"name": offer.employer.legal_name})
        lines.append(
            _("Position: %(title)s (NOC %(noc)s)") % {"title": offer.job_title, "noc": offer.noc_id}
        )
    lines += [
        "",
        _("The Province of Ontario nominates the person named above for permanent residence."),
        _("Apply to Immigration, Refugees and Citizenship Canada before the date of expiry,"),
        _("quoting the certificate number."),
    ]
    return lines


def letter_language(nomination: Nomination) -> str:
    """The nominee's language (their account's), else the active one (Decision 69)."""
    candidate = nomination.application.eoi.candidate
    user = candidate.user if candidate is not None else None
    return getattr(user, "preferred_language", None) or translation.get_language() or "en"


def render_letter(nomination: Nomination) -> bytes:
    """The letter as PDF bytes, in the nominee's language (whoever downloads it)."""
    with translation.override(letter_language(nomination)):
        return _render_letter(nomination)


def _render_letter(nomination: Nomination) -> bytes:
    pdf = FPDF(format="Letter")
    pdf.set_title(_("Nomination %(number)s") % {"number": nomination.certificate})
    pdf.set_author("Nominee")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for index, line in enumerate(letter_lines(nomination)):
        # The core fonts are Latin-1: a name outside it is transliterated, not dropped.
        text = line.encode("latin-1", "replace").decode("latin-1")
        pdf.set_font("Helvetica", style="B" if index < 2 else "", size=16 if index < 2 else 12)
        pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
