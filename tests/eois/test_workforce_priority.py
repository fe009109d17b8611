"""EOIs of the 2026 stream as far as the engine change reaches: registration through the API
(a TEER pathway with a job offer, a physician without one), import, and the ``pathway``
column that later draws target. The portal's pages for the stream are another issue's."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from nominee.accounts.models import User
from nominee.core.errors import ValidationFailed
from nominee.employers.models import JobOffer
from nominee.eois import services
from nominee.eois.models import EOI, Candidate
from tests.eois.conftest import PHYSICIAN, WORKER
from tests.factories import make_eoi
from tests.personas import client_for

pytestmark = pytest.mark.django_db


#: What a physician gives beyond the document: the portal and the API require both.
PHYSICIAN_FACTS = {"cpso_class": "independent-practice", "ohip_billing_number": "123456"}


def register(
    user: User,
    document: dict[str, Any],
    job_offer_id: str | None = None,
    facts: dict[str, Any] | None = None,
) -> Any:
    if facts is None and document.get("pathway") == "physician":
        facts = PHYSICIAN_FACTS
    return client_for(user).post(
        "/api/v1/eois",
        {"document": document, "job_offer_id": job_offer_id, "facts": facts},
        content_type="application/json",
    )


def test_a_teer_0_3_eoi_registers_with_a_job_offer_and_keeps_its_pathway(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for(stream="workforce-priority", noc="21231")
    response = register(alice, WORKER, offer.public_id)
    assert response.status_code == 201, response.json()
    eoi = EOI.objects.get()
    assert (eoi.stream, eoi.pathway, eoi.grid) == ("workforce-priority", "teer-0-3", "2026-06-26")
    assert eoi.external_id.startswith("WP-")
    assert eoi.profile["pathway"] == "teer-0-3"
    assert eoi.max_score == 130


def test_a_teer_eoi_without_a_job_offer_is_refused(alice: User, alice_candidate: Candidate) -> None:
    response = register(alice, WORKER)
    assert response.status_code in {400, 422}
    assert "job_offer_id" in response.json()["fields"]
    assert not EOI.objects.exists()


def test_a_physician_registers_without_a_job_offer(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    response = register(alice, PHYSICIAN)
    assert response.status_code == 201, response.json()
    eoi = EOI.objects.get()
    assert (eoi.pathway, eoi.job_offer, eoi.max_score) == ("physician", None, 115)
    # The practice stands where a job offer would, in the 2026 region table.
    assert (eoi.noc, eoi.census_division, eoi.region) == ("31102", "3544", "northern")


def test_a_physician_quoting_a_job_offer_is_refused(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for(stream="workforce-priority", noc="31102")
    response = register(alice, PHYSICIAN, offer.public_id)
    assert response.status_code in {400, 422}
    assert "takes no job offer" in response.json()["fields"]["job_offer_id"][0]
    assert not EOI.objects.exists()


def test_an_unknown_pathway_is_refused_naming_the_choices(
    alice: User, alice_candidate: Candidate
) -> None:
    response = register(alice, {**PHYSICIAN, "pathway": "nurses"})
    assert response.status_code in {400, 422}
    assert "teer-0-3, teer-4-5, physician" in response.json()["fields"]["pathway"][0]


def test_a_2025_stream_is_refused_today_with_its_dates(
    alice: User, alice_candidate: Candidate
) -> None:
    masters = {
        "stream": "masters",
        "education": {"level": "masters", "field": "stem"},
        "languages": {"english": 9},
    }
    response = register(alice, masters)
    assert response.status_code in {400, 422}
    message = response.json()["fields"]["stream"][0]
    assert "2026-05-30" in message


def test_import_takes_workforce_priority_lines_with_their_pathways(tmp_path: Path) -> None:
    lines = [
        {
            **WORKER,
            "id": "WP-000042",
            "registered_at": "2026-08-20T14:05:00Z",
            # Above the Job Bank median for the NOC in Ottawa's economic region ($54.33).
            "job_offer": {"noc": "21231", "hourly_wage": 60, "census_division": "3506"},
        },
        {**PHYSICIAN, "id": "WP-000043", "registered_at": "2026-08-21T14:05:00Z"},
    ]
    path = tmp_path / "pool.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = io.StringIO()
    call_command("eoi", "import", str(path), stdout=out)
    assert "imported 2 EOI(s)" in out.getvalue()
    rows = dict(EOI.objects.values_list("external_id", "pathway"))
    assert rows == {"WP-000042": "teer-0-3", "WP-000043": "physician"}
    worker = EOI.objects.get(external_id="WP-000042")
    assert (worker.score, worker.region) == (116, "eastern")


def test_the_portal_refuses_a_closed_stream_at_its_first_step(
    alice: User, alice_candidate: Candidate
) -> None:
    response = client_for(alice).post(
        f"/candidate/{alice_candidate.pk}/eoi/new/stream/", {"stream": "masters"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["stream"]
    assert any("2026-05-30" in e for e in errors)


def test_an_eoi_of_a_closed_stream_cannot_be_updated_and_its_page_says_so(
    alice: User, alice_candidate: Candidate
) -> None:
    registered = datetime(2026, 5, 1, 14, tzinfo=UTC)
    eoi = make_eoi(stream="masters", registered_at=registered, candidate=alice_candidate)
    with pytest.raises(ValidationFailed) as refused:
        services.update_eoi(actor=alice, eoi=eoi, document={"stream": "masters"})
    assert "2026-05-30" in refused.value.fields["stream"][0]
    eoi.refresh_from_db()
    assert eoi.updated_at == registered
    client = client_for(alice)
    assert client.get(f"/eoi/{eoi.external_id}/update/").status_code == 200
