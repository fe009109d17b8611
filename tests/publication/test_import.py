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

# The file shipped before issue 12 (30 rows of 2024-2025), kept for the upgrade test.
OLD_2025_FILE = Path(__file__).with_name("oinp_draws_2025.csv")

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("publication", *args, stdout=out)
    return out.getvalue()


def test_it_imports_the_shipped_record_of_2024_to_2026(tmp_path: Path) -> None:
    path = tmp_path / "oinp_draws.csv"
    path.write_text(data_file("oinp_draws.csv"))
    out = run("import-draws", str(path))
    assert "107 draws read: 107 new" in out
    assert PublishedDraw.objects.count() == 107
    assert PublishedDraw.objects.filter(draw_date__year=2026).count() == 56
    northern = PublishedDraw.objects.get(
        draw_date="2025-06-03", stream="foreign-worker", invitations=391
    )
    assert northern.min_score == 36  # the corrected row (earlier reports said 56)
    sept3 = PublishedDraw.objects.get(
        draw_date="2025-09-03", stream="foreign-worker", invitations=1134
    )
    assert sept3.min_score == 42
    assert str(sept3.registered_from) == "2025-07-02"
    assert sept3.source_file == "oinp_draws.csv"
    assert sept3.source_urls[0] == "https://unaimmi.cn/news/detail/245"
    health = PublishedDraw.objects.get(draw_date="2025-09-02", stream="foreign-worker")
    assert "31100" in health.noc_codes
    assert len(health.noc_codes) == 10
    physicians = PublishedDraw.objects.get(draw_date="2026-02-02", invitations=129)
    assert physicians.noc_codes == ["31100", "31101", "31102"]
    last = PublishedDraw.objects.filter(draw_date="2026-04-30").order_by("line")
    assert [d.stream for d in last] == ["foreign-worker", "international-student"]
    assert "Greater Toronto Area" in last[0].targeting_notes


def test_the_shipped_record_replaces_the_2025_file_without_duplicates(tmp_path: Path) -> None:
    """An installation that imported the 2025 file: the corrected rows are updated in place
    (their slugs kept), the aggregates the new file splits are removed with --replace."""
    old = tmp_path / "oinp_draws_2025.csv"
    old.write_text(OLD_2025_FILE.read_text())
    run("import-draws", str(old))
    assert PublishedDraw.objects.count() == 30
    before = PublishedDraw.objects.get(draw_date="2025-06-03", invitations=391)
    assert before.min_score == 56

    out = run("import-draws", "--shipped")
    assert "107 draws read:" in out
    assert "removed" in out
    assert PublishedDraw.objects.count() == 107
    after = PublishedDraw.objects.get(draw_date="2025-06-03", invitations=391)
    assert (after.pk, after.slug, after.min_score) == (before.pk, before.slug, 36)
    assert not PublishedDraw.objects.filter(invitations=2912).exists()  # the aggregate
    assert not PublishedDraw.objects.filter(draw_date="2025-06-06", stream=None).exists()
    event = AuditEvent.objects.filter(action="publication.draws_imported").latest("id")
    assert event.after["removed"] >= 2

    again = run("import-draws", "--shipped")
    assert "107 draws read: 0 new, 0 updated, 107 unchanged, 0 removed" in again
    assert PublishedDraw.objects.count() == 107


def test_a_plain_reimport_corrects_a_row_by_date_stream_type_and_invitations() -> None:
    import_published_draws(text=OLD_2025_FILE.read_text(), source_file="oinp_draws_2025.csv")
    result = import_published_draws(text=data_file("oinp_draws.csv"), source_file="oinp_draws.csv")
    assert result.removed == 0
    northern = PublishedDraw.objects.filter(draw_date="2025-06-03", invitations=391)
    assert [d.min_score for d in northern] == [36]
    # The three International Student draws of 173 on 2026-04-23 are three rows.
    assert PublishedDraw.objects.filter(draw_date="2026-04-23", invitations=173).count() == 3


def test_the_shipped_option_and_a_file_are_exclusive(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        run("import-draws", "--shipped", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError):
        run("import-draws")


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
    assert event.after == {"created": 5, "updated": 0, "removed": 0}


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
