"""The nomination letter as a PDF (fpdf2: pure Python, no system libraries)."""

from __future__ import annotations

from fpdf import FPDF

from .models import Nomination


def letter_lines(nomination: Nomination) -> list[str]:
    """The letter's text, line by line (the PDF and the tests read the same lines)."""
    application = nomination.application
    identity = (application.details or {}).get("identity") or {}
    name = f"{identity.get('given_names', '')} {identity.get('family_name', '')}".strip()
    offer = application.eoi.job_offer
    lines = [
        "Ontario Immigrant Nominee Program",
        "Nomination certificate",
        "",
        f"Certificate number: {nomination.certificate}",
        f"Issued on: {nomination.issued_on.isoformat()}",
        f"Valid until: {nomination.expires_on.isoformat()}",
        "",
        f"Nominee: {name or application.eoi.external_id}",
        f"Date of birth: {identity.get('date_of_birth', '')}",
        f"Stream: {nomination.stream}",
        f"Expression of interest: {application.eoi.external_id}",
    ]
    if offer is not None:
        lines.append(f"Employer: {offer.employer.legal_name}")
        lines.append(f"Position: {offer.job_title} (NOC {offer.noc_id})")
    lines += [
        "",
        "The Province of Ontario nominates the person named above for permanent residence.",
        "Apply to Immigration, Refugees and Citizenship Canada before the date of expiry,",
        "quoting the certificate number.",
    ]
    return lines


def render_letter(nomination: Nomination) -> bytes:
    """The letter as PDF bytes."""
    pdf = FPDF(format="Letter")
    pdf.set_title(f"Nomination {nomination.certificate}")
    pdf.set_author("Nominee")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for index, line in enumerate(letter_lines(nomination)):
        # The core fonts are Latin-1: a name outside it is transliterated, not dropped.
        text = line.encode("latin-1", "replace").decode("latin-1")
        pdf.set_font("Helvetica", style="B" if index < 2 else "", size=16 if index < 2 else 12)
        pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
