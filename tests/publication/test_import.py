"""Importing draws published elsewhere: all or nothing, idempotent, unknowns kept unknown."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nominee.audit.models import AuditEvent
from nominee.core.errors import ValidationFailed
from nominee.publication.importer import stream_codes
from nominee.publication.models import PublicationState, PublishedDraw
from nominee.publication.services import import_published_draws
from nominee.reference.services import data_file

from .conftest import SAMPLE_CSV

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("publication", *args, stdout=out)
    return out.getvalue()


def test_it_imports_the_shipped_2025_record(tmp_path: Path) -> None:
    path = tmp_path / "oinp_draws_2025.csv"
    path.write_text(data_file("oinp_draws_2025.csv"))
    out = run("import-draws", str(path))
    assert "30 draws read: 30 new" in out
    assert PublishedDraw.objects.count() == 30
    sept3 = PublishedDraw.objects.get(
        draw_date="2025-09-03", stream="foreign-worker", invitations=1134
    )
    assert sept3.min_score == 42
    assert str(sept3.registered_from) == "2025-07-02"
    assert sept3.source_file == "oinp_draws_2025.csv"
    assert sept3.source_urls[0] == "https://unaimmi.cn/news/detail/245"
    unknown = PublishedDraw.objects.get(draw_date="2025-12-10", stream=None)
    assert unknown.invitations is None
    assert unknown.min_score is None
    assert unknown.streams == ["foreign-worker", "international-student", "in-demand-skills"]
    health = PublishedDraw.objects.get(draw_date="2025-09-02", stream="foreign-worker")
    assert "31100" in health.noc_codes
    assert len(health.noc_codes) == 10


def test_it_does_not_duplicate_a_reimported_file() -> None:
    first = import_published_draws(text=SAMPLE_CSV, source_file="a.csv")
    version = PublicationState.objects.get().version
    second = import_published_draws(text=SAMPLE_CSV, source_file="a.csv")
    assert (first.created, second.created, second.unchanged) == (5, 0, 5)
    assert PublishedDraw.objects.count() == 5
    assert PublicationState.objects.get().version == version  # nothing changed: no bump


def test_it_updates_a_corrected_figure_without_a_new_row() -> None:
    import_published_draws(text=SAMPLE_CSV, source_file="a.csv")
    slug = PublishedDraw.objects.get(stream="in-demand-skills").slug
    corrected = SAMPLE_CSV.replace(
        "2025-12-10,Employer Job Offer: In-Demand Skills,targeted,,",
        "2025-12-10,Employer Job Offer: In-Demand Skills,targeted,88,",
    )
    result = import_published_draws(text=corrected, source_file="b.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    row = PublishedDraw.objects.get(stream="in-demand-skills")
    assert (row.invitations, row.slug, row.source_file) == (88, slug, "b.csv")


def test_it_refuses_the_whole_file_naming_each_bad_line(tmp_path: Path) -> None:
    bad = SAMPLE_CSV + (
        "2025-13-01,Employer Job Offer: Foreign Worker,targeted,10,40,,,,\n"
        "2025-10-01,Provincial Nominee Express,general,ten,,,,,\n"
        "2025-10-02,PhD Graduate,sometimes,5,40,2025-10-05,2025-10-01,,ftp://x\n"
    )
    path = tmp_path / "bad.csv"
    path.write_text(bad)
    with pytest.raises(CommandError) as caught:
        run("import-draws", str(path))
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "line 7: date" in message
    assert "line 8: stream" in message
    assert "line 8: invitations" in message
    assert "line 9: draw_type" in message
    assert "line 9: profiles_from" in message
    assert "line 9: source_url" in message
    assert "line 2" not in message
    assert PublishedDraw.objects.count() == 0


def test_it_refuses_the_same_draw_twice_in_one_file() -> None:
    lines = SAMPLE_CSV.strip().splitlines()
    with pytest.raises(ValidationFailed) as caught:
        import_published_draws(text="\n".join([*lines, lines[1]]) + "\n", source_file="x")
    assert "line 7" in caught.value.fields
    assert "same draw as line 2" in caught.value.fields["line 7"][0]


def test_it_refuses_a_file_without_the_layout_columns() -> None:
    with pytest.raises(ValidationFailed) as caught:
        import_published_draws(text="date,stream\n2025-01-01,phd\n", source_file="x")
    assert "missing column" in caught.value.fields["line 1"][0]


def test_it_reports_a_missing_file_as_bad_input() -> None:
    with pytest.raises(CommandError) as caught:
        run("import-draws", "/nonexistent/draws.csv")
    assert caught.value.returncode == 2


def test_it_records_an_audit_event() -> None:
    import_published_draws(text=SAMPLE_CSV, source_file="a.csv")
    event = AuditEvent.objects.get(action="publication.draws_imported")
    assert event.after == {"created": 5, "updated": 0}


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Employer Job Offer: Foreign Worker", ["foreign-worker"]),
        ("Masters Graduate", ["masters"]),
        ("PhD Graduate", ["phd"]),
        ("in-demand-skills", ["in-demand-skills"]),
        (
            "Employer Job Offer: International Student + In-Demand Skills (7 draws)",
            ["international-student", "in-demand-skills"],
        ),
        (
            "Employer Job Offer: Foreign Worker + International Student + In-Demand Skills (REDI)",
            ["foreign-worker", "international-student", "in-demand-skills"],
        ),
        ("Express Entry", None),
    ],
)
def test_it_maps_stream_text_to_stream_codes(text: str, codes: list[str] | None) -> None:
    assert stream_codes(text) == codes
