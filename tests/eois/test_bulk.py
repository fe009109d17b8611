"""`nominee eoi import / export / generate` (INTERFACES §3) and the import service."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.utils import timezone

from nominee.audit.models import AuditEvent
from nominee.eois import services
from nominee.eois.bulk import prepare
from nominee.eois.models import EOI, Candidate
from nominee.reference.queries import reference_data
from nominee.scoring import parse_profile, score_profile

pytestmark = pytest.mark.django_db(transaction=True)

LINE: dict[str, Any] = {
    "id": "FW-000123",
    "stream": "foreign-worker",
    "registered_at": "2025-07-15T10:20:30Z",
    "job_offer": {"noc": "21231", "hourly_wage": 60.5, "census_division": "3520"},
    "permit": "work",
    "job_tenure_months": 7,
    "highest_annual_earnings": 52000,
    "languages": {"english": 9, "french": None},
}


def jsonl(*documents: dict[str, Any]) -> str:
    return "".join(json.dumps(d) + "\n" for d in documents)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("eoi", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "pool.jsonl") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_scores_each_line_as_the_engine_does(tmp_path: Path) -> None:
    out, _err = run("import", write(tmp_path, jsonl(LINE)))
    assert "imported 1 EOI(s)" in out
    eoi = EOI.objects.get(external_id="FW-000123")
    ref = reference_data()
    score = score_profile(parse_profile(LINE, ref=ref), ref=ref)
    assert (eoi.score, eoi.max_score, eoi.grid) == (score.total, score.max, score.grid)
    assert eoi.breakdown == score.to_document()["factors"]
    assert eoi.registered_at.isoformat() == "2025-07-15T10:20:30+00:00"
    assert (eoi.noc, eoi.region, eoi.in_canada, eoi.is_legacy) == ("21231", "toronto", True, False)
    assert eoi.candidate is None
    assert AuditEvent.objects.filter(action="eois.imported").count() == 1


def test_import_is_all_or_nothing_and_names_each_bad_line(tmp_path: Path) -> None:
    bad_noc = {**LINE, "id": "FW-2", "job_offer": {**LINE["job_offer"], "noc": "99999"}}
    no_id = {k: v for k, v in LINE.items() if k != "id"}
    text = jsonl(LINE, bad_noc) + "{not json\n" + jsonl(no_id, {**LINE, "id": "FW-5"})
    with pytest.raises(CommandError) as refused:
        run("import", write(tmp_path, text))
    assert refused.value.returncode == 2
    assert "3 of 5 line(s) are invalid" in str(refused.value)
    assert not EOI.objects.exists()
    assert not Candidate.objects.exists()


def test_import_names_the_bad_lines_on_stderr(tmp_path: Path, capsys: Any) -> None:
    bad = {**LINE, "id": "FW-2", "permit": "visa"}
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("eoi", "import", write(tmp_path, jsonl(LINE, bad)), stderr=err)
    assert "line 2: permit: unknown permit 'visa'" in err.getvalue()


def test_skip_invalid_imports_the_valid_lines(tmp_path: Path) -> None:
    bad = {**LINE, "id": "FW-2", "languages": {"english": 15}}
    out, err = run("import", "--skip-invalid", write(tmp_path, jsonl(LINE, bad)))
    assert "imported 1 EOI(s)" in out
    assert "skipped 1 invalid line(s)" in out
    assert "line 2: skipped" in err
    assert list(EOI.objects.values_list("external_id", flat=True)) == ["FW-000123"]


def test_import_refuses_ids_already_present_or_twice_in_the_file(tmp_path: Path) -> None:
    run("import", write(tmp_path, jsonl(LINE)))
    with pytest.raises(CommandError) as again:
        run("import", write(tmp_path, jsonl({**LINE, "id": "FW-9"}, LINE), "again.jsonl"))
    assert "1 of 2 line(s)" in str(again.value)
    with pytest.raises(CommandError) as twice:
        run(
            "import",
            write(tmp_path, jsonl({**LINE, "id": "FW-7"}, {**LINE, "id": "FW-7"}), "x.jsonl"),
        )
    assert "1 of 2 line(s)" in str(twice.value)
    assert EOI.objects.count() == 1


def test_import_refuses_what_eligibility_refuses(tmp_path: Path) -> None:
    low_wage = {**LINE, "job_offer": {**LINE["job_offer"], "hourly_wage": 12}}
    with pytest.raises(CommandError) as refused:
        run("import", write(tmp_path, jsonl(low_wage)))
    assert "1 of 1 line(s)" in str(refused.value)


def test_import_keeps_legacy_and_expired_eois_as_registered(tmp_path: Path) -> None:
    legacy = {**LINE, "id": "FW-OLD", "registered_at": "2025-06-30T12:00:00Z"}
    masters = {
        "id": "MS-OLD",
        "stream": "masters",
        "registered_at": "2024-01-10T12:00:00Z",
        "permit": "study",
        "education": {
            "level": "masters",
            "field": "stem",
            "canadian_credentials": 1,
            "study_census_division": "3520",
        },
        "languages": {"english": 8},
    }
    run("import", write(tmp_path, jsonl(legacy, masters)))
    assert EOI.objects.get(external_id="FW-OLD").is_legacy
    old = EOI.objects.get(external_id="MS-OLD")
    assert not old.is_legacy
    assert old.status == EOI.Status.ACTIVE
    assert old.expires_at < timezone.now()


def test_import_creates_one_candidate_per_address_and_one_live_eoi_per_stream(
    tmp_path: Path,
) -> None:
    who = {"candidate_name": "Ana Silva", "candidate_email": "Ana@Example.test"}
    fw = {**LINE, **who}
    masters = {
        "id": "MS-1",
        "stream": "masters",
        "registered_at": "2025-07-20T12:00:00Z",
        "permit": "study",
        "education": {
            "level": "masters",
            "field": "stem",
            "canadian_credentials": 1,
            "study_census_division": "3520",
        },
        "languages": {"english": 8},
        **who,
    }
    run("import", write(tmp_path, jsonl(fw, masters)))
    assert Candidate.objects.get().email == "ana@example.test"
    assert EOI.objects.filter(candidate__email="ana@example.test").count() == 2
    second_fw = {**LINE, "id": "FW-SECOND", **who}
    with pytest.raises(CommandError) as refused:
        run("import", write(tmp_path, jsonl(second_fw), "second.jsonl"))
    assert "1 of 1" in str(refused.value)


def test_export_gives_back_what_was_imported(tmp_path: Path) -> None:
    source = write(tmp_path, "")
    run("generate", "--count", "300", "--seed", "11", source)
    run("import", source)
    exported = tmp_path / "out.jsonl"
    run("export", str(exported))
    assert exported.read_text() == Path(source).read_text()
    only_phd, _err = run("export", "--stream", "phd")
    assert only_phd
    assert all(json.loads(line)["stream"] == "phd" for line in only_phd.splitlines())


def test_generate_is_reproducible_and_realistic(tmp_path: Path) -> None:
    a, b, c = (tmp_path / n for n in ("a.jsonl", "b.jsonl", "c.jsonl"))
    run("generate", "--count", "2000", "--seed", "5", str(a))
    run("generate", "--count", "2000", "--seed", "5", str(b))
    run("generate", "--count", "2000", "--seed", "6", str(c))
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    docs = [json.loads(line) for line in a.read_text().splitlines()]
    streams = [d["stream"] for d in docs]
    assert max(set(streams), key=streams.count) == "foreign-worker"
    assert all("job_offer" not in d for d in docs if d["stream"] in {"masters", "phd"})
    toronto = sum(1 for d in docs if d.get("job_offer", {}).get("census_division") == "3520")
    assert toronto > 0.2 * sum(1 for d in docs if "job_offer" in d)
    times = [d["registered_at"] for d in docs]
    assert times == sorted(times)
    assert times[0] >= "2025-07-02T04:00:00Z"
    assert times[-1] < "2025-09-04T04:00:00Z"


def test_generate_takes_a_window(tmp_path: Path) -> None:
    out = tmp_path / "w.jsonl"
    run(
        "generate",
        "--count",
        "50",
        "--seed",
        "1",
        "--from",
        "2025-01-01",
        "--to",
        "2025-01-31",
        str(out),
    )
    times = [json.loads(line)["registered_at"] for line in out.read_text().splitlines()]
    assert all("2025-01-01" <= t < "2025-02-01T05" for t in times)
    with pytest.raises(CommandError):
        run("generate", "--count", "5", "--seed", "1", "--from", "2025-02-01", "--to", "2025-01-01")


def test_the_generated_pool_imports_cleanly_in_parallel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks so that a small file takes the worker-process path.
    monkeypatch.setattr(prepare, "CHUNK_LINES", 100)
    monkeypatch.setattr(prepare, "PARALLEL_FROM", 200)
    source = write(tmp_path, "")
    run("generate", "--count", "1500", "--seed", "3", source)
    with Path(source).open() as lines:
        result = services.import_eois(actor=None, lines=lines, workers=2)
    assert (result.imported, result.invalid) == (1500, [])
    assert EOI.objects.count() == 1500
    assert EOI.objects.filter(is_legacy=True).count() == 0


def _schema() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        return {
            table: {
                name: (info["columns"], info["unique"], info["foreign_key"], info["index"])
                for name, info in connection.introspection.get_constraints(cursor, table).items()
            }
            for table in (EOI._meta.db_table, Candidate._meta.db_table)
        }


def test_a_bulk_load_leaves_indexes_and_constraints_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Into an empty pool the import drops indexes (and, on PostgreSQL, constraints) and
    # builds them again; a refused import, after chunks were written, rolls it all back.
    monkeypatch.setattr(prepare, "CHUNK_LINES", 2)
    before = _schema()
    assert any(unique for _c, unique, _f, _i in before[EOI._meta.db_table].values())
    emails = [
        {
            **LINE,
            "id": f"FW-{i}",
            "candidate_name": f"C {i}",
            "candidate_email": f"c{i}@example.com",
        }
        for i in range(5)
    ]
    with pytest.raises(CommandError):
        run("import", write(tmp_path, jsonl(*emails, {**LINE, "id": "FW-x", "permit": "?"})))
    assert not EOI.objects.exists()
    assert _schema() == before
    run("import", write(tmp_path, jsonl(*emails)))
    assert EOI.objects.count() == 5
    assert _schema() == before
    with pytest.raises(IntegrityError):
        EOI.objects.filter(external_id="FW-1").update(candidate_id=10**9)


def test_a_bulk_load_leaves_job_offers_readable() -> None:
    from django.db import connection, transaction

    from nominee.eois.bulk.write import DeferredIndexes

    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database for any write; PostgreSQL by table")
    with transaction.atomic(), DeferredIndexes(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'employers_joboffer' AND l.pid = pg_backend_pid()"
        )
        modes = {mode for (mode,) in cursor.fetchall()}
    assert "AccessExclusiveLock" not in modes


def test_bad_input_to_the_commands_is_exit_code_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as missing:
        run("import", str(tmp_path / "nope.jsonl"))
    assert missing.value.returncode == 2
    with pytest.raises(CommandError) as negative:
        run("generate", "--count", "-1", "--seed", "1")
    assert negative.value.returncode == 2
