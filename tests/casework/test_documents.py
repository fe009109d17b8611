"""Documents: the type read from the content, the limits, storage outside the web roots,
downloads only to staff and the party that filed them; the nomination letter's text."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from tests.casework.files import close
from tests.personas import client_for

from nominee.casework import services
from nominee.casework.models import Application, Document
from nominee.core.errors import ValidationFailed
from nominee.core.timeutil import PROGRAM_TZ

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def _documents_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.CASEWORK_DOCUMENT_ROOT = tmp_path / "documents"
    settings.CASEWORK_MAX_DOCUMENT_BYTES = 1024
    settings.CASEWORK_MAX_APPLICATION_BYTES = 2048


def _add(
    app: Application, actor: Any, name: str, content: bytes, party: str = "candidate"
) -> Document:
    return services.add_document(
        actor=actor, application=app, party=party, label="Passport", name=name, content=content
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("passport.pdf", PDF), ("photo.png", PNG), ("scan.JPG", JPEG), ("scan.jpeg", JPEG)],
)
def test_pdf_jpeg_and_png_are_accepted(
    application: Application, alice: Any, name: str, content: bytes
) -> None:
    document = _add(application, alice, name, content)
    stored = Path(settings.CASEWORK_DOCUMENT_ROOT) / document.storage_name
    assert stored.read_bytes() == content
    assert document.content_type in {"application/pdf", "image/png", "image/jpeg"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("passport.pdf", PNG, "passport.pdf is a PNG image, not what its name says: name it .png"),
        (
            "passport.pdf",
            HTML,
            "passport.pdf is not a PDF, JPEG or PNG file (judged by its content)",
        ),
        ("passport.pdf", b"", "passport.pdf is empty"),
        (
            "passport.pdf",
            PDF + b"x" * 2000,
            "passport.pdf is 2045 bytes: the limit is 1024 bytes a file",
        ),
        ("notes.txt", PDF, "notes.txt is a PDF, not what its name says: name it .pdf"),
    ],
)
def test_bad_documents_are_refused_with_a_clear_message_and_nothing_kept(
    application: Application, alice: Any, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _add(application, alice, name, content)
    assert caught.value.fields["file"] == [message]
    assert not Document.objects.exists()
    root = Path(settings.CASEWORK_DOCUMENT_ROOT)
    assert not root.exists() or list(root.iterdir()) == []


def test_the_applications_total_is_limited(application: Application, alice: Any) -> None:
    _add(application, alice, "a.pdf", PDF + b"x" * 900)
    _add(application, alice, "b.pdf", PDF + b"x" * 900)
    with pytest.raises(ValidationFailed) as caught:
        _add(application, alice, "c.pdf", PDF + b"x" * 900)
    assert "the limit is 2048 bytes" in caught.value.message


def test_documents_are_stored_outside_static_and_media() -> None:
    root = Path(settings.CASEWORK_DOCUMENT_ROOT).resolve()
    assert not root.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert Path(settings.MEDIA_ROOT or "/nonexistent").resolve() != root


def test_the_download_is_an_attachment_for_the_party_and_staff_only(
    application: Application, alice: Any, bob: Any, oscar: Any, olivia: Any, audrey: Any, carol: Any
) -> None:
    document = _add(application, alice, "passport.pdf", PDF)
    url = f"/applications/{application.pk}/documents/{document.pk}/"
    for user in (alice, olivia, audrey):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        close(response)
    for user in (bob, oscar, carol):
        assert client_for(user).get(url).status_code == 404, user
    assert client_for(None).get(url).status_code == 302  # to the sign-in page
    assert (
        client_for(olivia)
        .get(f"/applications/{application.pk + 1}/documents/{document.pk}/")
        .status_code
        == 404
    )


def test_the_wizard_upload_refuses_html_renamed_pdf_with_a_message(
    application: Application, alice: Any
) -> None:
    response = client_for(alice).post(
        f"/applications/{application.pk}/apply/documents/",
        {"label": "Passport", "file": SimpleUploadedFile("passport.pdf", HTML, "application/pdf")},
    )
    assert response.status_code == 400
    assert "is not a PDF, JPEG or PNG file" in response.content.decode()
    assert not Document.objects.exists()


def test_the_nomination_letter(
    in_review: Application, olivia: Any, alice: Any, bob: Any, carol: Any, oscar: Any
) -> None:
    from nominee.accounts.services import appoint_representative

    nomination = services.approve_application(
        actor=olivia, application=in_review, now=datetime(2025, 11, 12, 9, tzinfo=PROGRAM_TZ)
    )
    url = f"/applications/{in_review.pk}/letter.pdf"
    response = client_for(alice).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{nomination.certificate}.pdf"'
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"Certificate number: {nomination.certificate}" in text
    assert "Issued on: 2025-11-12" in text
    assert "Valid until: 2026-05-12" in text
    assert "Nominee: Alice Candidate" in text
    assert "Employer: Bob's Bakery Inc." in text
    assert client_for(olivia).get(url).status_code == 200
    for user in (bob, carol, oscar):
        assert client_for(user).get(url).status_code == 404
    appoint_representative(actor=alice, representative=carol, candidate=alice.candidate)
    assert client_for(carol).get(url).status_code == 200
