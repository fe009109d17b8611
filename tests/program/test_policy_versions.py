"""Policy versions in the database: seeded on migrate, installed as the engine's baseline,
published by a manager (previewed, audited, refused before writing), pinned on EOIs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, transaction
from django.utils import timezone

from nominee.audit.models import AuditEvent
from nominee.core.errors import Conflict, PermissionDenied, ValidationFailed
from nominee.core.timeutil import today
from nominee.eois import services as eois
from nominee.eois.models import EOI
from nominee.program import policy_source, queries, services
from nominee.program import streams as program_streams
from nominee.program.models import PolicyKind, PolicyVersion
from nominee.scoring import policy as engine_policy
from nominee.scoring.grids import grid_for
from nominee.scoring.policy import policy_at

from .policy_helpers import STREAM, later, noon, permit_grid, register_physician, shipped_grid

pytestmark = pytest.mark.django_db


def _publish(actor: Any, **overrides: Any) -> PolicyVersion:
    day = overrides.pop("effective_from", later())
    arguments = {
        "actor": actor,
        "kind": PolicyKind.GRID,
        "document": permit_grid(day),
        "effective_from": day,
        "reason": "Permit points rebalanced",
    }
    version = services.publish_policy_version(**(arguments | overrides))
    policy_source.ensure_fresh()  # what the next request or command does first
    return version


# ---- seeding ---------------------------------------------------------------------------


def test_migrate_seeds_every_shipped_version_without_an_author() -> None:
    shipped = {(kind, day) for kind, day, _doc in services.shipped_versions()}
    rows = set(PolicyVersion.objects.values_list("kind", "effective_from"))
    assert rows == shipped
    assert {k for k, _d in rows} == {"registry", "policy", "grid"}
    assert not PolicyVersion.objects.filter(author__isnull=False).exists()


def test_seeding_again_adds_only_what_is_missing() -> None:
    before = PolicyVersion.objects.count()
    services.seed_policy_versions()
    assert PolicyVersion.objects.count() == before
    newest = PolicyVersion.objects.filter(kind="grid").order_by("-effective_from").first()
    assert newest is not None
    newest.delete()
    services.seed_policy_versions()
    assert PolicyVersion.objects.count() == before


def test_the_database_refuses_to_edit_a_version() -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        PolicyVersion.objects.filter(kind="grid").update(reason="edited")


def test_the_engine_answers_from_the_installed_versions() -> None:
    assert policy_source.ensure_fresh() is True
    assert policy_source.ensure_fresh() is False  # one query, nothing changed
    assert grid_for(today()).label == shipped_grid()["effective_from"]


def test_a_rolled_back_version_does_not_stay_installed(martin: Any) -> None:
    day = later()
    policy_source.ensure_fresh()

    def publish_then_roll_back() -> None:
        with transaction.atomic():
            PolicyVersion.objects.create(
                kind="grid",
                effective_from=day,
                document=permit_grid(day),
                reason="rolled back",
                published_at=timezone.now(),
            )
            assert policy_source.ensure_fresh() is True
            assert grid_for(day).label == day.isoformat()
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        publish_then_roll_back()
    assert policy_source.ensure_fresh() is True
    assert grid_for(day).label != day.isoformat()


# ---- publishing, superseding, pinned scores -------------------------------------------


def test_a_grid_published_for_a_later_date_is_scheduled_then_superseded(martin: Any) -> None:
    first = _publish(martin, effective_from=later(30))
    event = AuditEvent.objects.get(action="program.policy_published", subject_id=str(first.pk))
    assert event.after["effective_from"] == later(30).isoformat()
    assert first.author == martin
    states = {r.version.pk: r.state for r in queries.policy_versions(kind="grid")}
    assert states[first.pk] == queries.VersionState.SCHEDULED
    second = _publish(martin, effective_from=later(60), document=permit_grid(later(60), work=12))
    assert grid_for(later(45)).label == later(30).isoformat()
    assert grid_for(later(60)).label == later(60).isoformat()
    on = later(61)
    states = {r.version.pk: r.state for r in queries.policy_versions(kind="grid", on=on)}
    assert states[first.pk] == queries.VersionState.SUPERSEDED
    assert states[second.pk] == queries.VersionState.IN_FORCE
    assert grid_for(today()).label == shipped_grid()["effective_from"]


def test_old_eois_keep_their_pinned_scores_and_new_ones_use_the_new_grid(martin: Any) -> None:
    old = register_physician("old@example.com", permit="work")
    assert old.policy_version == policy_at(today()).effective_from
    day = later()
    _publish(martin, effective_from=day)
    old.refresh_from_db()
    assert old.grid == shipped_grid()["effective_from"]
    pinned = old.score
    new = register_physician("new@example.com", permit="work", now=noon(day))
    assert new.grid == day.isoformat()
    assert new.score == pinned + 5  # the work permit is worth 15 instead of 10
    before = register_physician("eve@example.com", permit="work", now=noon(day - timedelta(1)))
    assert (before.grid, before.score) == (old.grid, pinned)
    # An update on or after the date re-scores under the version in force then.
    updated = eois.update_eoi(
        actor=old.candidate.user,
        eoi=old,
        document={k: v for k, v in old.profile.items() if k not in ("id", "registered_at")},
        now=noon(day),
    )
    assert (updated.grid, updated.score) == (day.isoformat(), pinned + 5)


# ---- the preview ------------------------------------------------------------------------


def test_the_preview_counts_the_live_eois_that_would_change(martin: Any) -> None:
    up = register_physician("up@example.com", permit="work")
    register_physician("down@example.com", permit="study")
    register_physician("gone@example.com", permit="study")
    EOI.objects.filter(candidate__email="gone@example.com").update(status=EOI.Status.WITHDRAWN)
    day = later()
    policy_source.ensure_fresh()
    before = (PolicyVersion.objects.count(), AuditEvent.objects.count())
    generation = engine_policy.generation
    preview = queries.preview_policy_version(
        kind="grid", document=permit_grid(day), effective_from=day
    )
    assert (PolicyVersion.objects.count(), AuditEvent.objects.count()) == before
    # The proposal was loaded aside: the engine's documents in use were never swapped.
    assert engine_policy.generation == generation
    stream = next(i for i in preview.impact if i.stream == STREAM)
    assert (stream.live, stream.changed, stream.up, stream.down) == (2, 2, 1, 1)
    assert (preview.changed, preview.up, preview.down) == (2, 1, 1)
    changes = {(c.stream, c.parameter): (c.old, c.new) for c in preview.changes}
    assert changes[(STREAM, "permit: work")] == (10, 15)
    assert changes[(STREAM, "permit: study")] == (5, 2)
    assert changes[(STREAM, "maximum")][1] == changes[(STREAM, "maximum")][0] + 5
    assert up.score == EOI.objects.get(pk=up.pk).score
    # The engine's documents are back as they were.
    assert grid_for(day).label == shipped_grid()["effective_from"]


def test_the_preview_of_a_policy_version_lists_each_changed_parameter() -> None:
    current = PolicyVersion.objects.filter(kind="policy").order_by("-effective_from").first()
    assert current is not None
    document = {**current.document, "effective_from": later().isoformat()}
    document["job_offer_validity_days"] = 45
    document["streams"] = {**document["streams"]}
    document["streams"][STREAM] = {**document["streams"][STREAM], "min_clb": 8}
    preview = queries.preview_policy_version(
        kind="policy", document=document, effective_from=later()
    )
    changes = {(c.stream, c.parameter): (c.old, c.new) for c in preview.changes}
    assert changes[("", "job_offer_validity_days")] == (30, 45)
    assert changes[(STREAM, "min_clb")][1] == 8
    assert len(changes) == 2


# ---- refusals ---------------------------------------------------------------------------


def _nothing_written(call: Any, error: type[Exception]) -> Exception:
    before = (PolicyVersion.objects.count(), AuditEvent.objects.count())
    with pytest.raises(error) as caught:
        call()
    assert (PolicyVersion.objects.count(), AuditEvent.objects.count()) == before
    return caught.value


@pytest.mark.parametrize("days", [0, -1, -400])
def test_it_refuses_a_date_not_after_today(martin: Any, days: int) -> None:
    day = today() + timedelta(days=days)
    refusal = _nothing_written(
        lambda: _publish(martin, effective_from=day, document=permit_grid(day)), ValidationFailed
    )
    assert "after today" in refusal.fields["effective_from"][0]  # type: ignore[attr-defined]


def test_it_refuses_a_document_the_engine_refuses_with_every_message(martin: Any) -> None:
    document = permit_grid(later())
    document["factors"]["permit"]["max"] = "many"
    document["factors"]["permit"]["categories"]["work"] = {"points": 1}
    refusal = _nothing_written(lambda: _publish(martin, document=document), ValidationFailed)
    messages = refusal.fields["document"]  # type: ignore[attr-defined]
    assert len(messages) >= 2
    assert any("max" in m for m in messages)
    assert any("label" in m for m in messages)


def test_it_refuses_a_grid_whose_max_is_wrong(martin: Any) -> None:
    document = permit_grid(later())
    document["factors"]["permit"]["max"] = 99
    refusal = _nothing_written(lambda: _publish(martin, document=document), ValidationFailed)
    assert "max is 99" in refusal.fields["document"][0]  # type: ignore[attr-defined]


def test_it_refuses_a_second_version_of_a_kind_on_the_same_date(martin: Any) -> None:
    _publish(martin)
    refusal = _nothing_written(lambda: _publish(martin), Conflict)
    assert refusal.fields["effective_from"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_an_empty_reason(martin: Any, reason: str) -> None:
    refusal = _nothing_written(lambda: _publish(martin, reason=reason), ValidationFailed)
    assert refusal.fields["reason"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "persona", ["alice", "bob", "carol", "olivia", "audrey", "oscar", "ursula", "anonymous"]
)
def test_only_a_manager_publishes(request: pytest.FixtureRequest, persona: str) -> None:
    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    _nothing_written(lambda: _publish(user), PermissionDenied)


def test_a_registry_may_not_drop_a_stream(martin: Any) -> None:
    registry = PolicyVersion.objects.get(kind="registry").document
    document = {**registry, "streams": registry["streams"][1:]}
    refusal = _nothing_written(
        lambda: _publish(martin, kind="registry", document=document), ValidationFailed
    )
    assert "never removed" in refusal.fields["document"][0]  # type: ignore[attr-defined]


def test_a_registry_that_renames_a_stream_is_published(martin: Any) -> None:
    registry = PolicyVersion.objects.get(kind="registry").document
    streams = [dict(s) for s in registry["streams"]]
    streams[0]["name"] = "Employer Job Offer: Foreign Worker (renamed)"
    _publish(martin, kind="registry", document={**registry, "streams": streams})
    assert program_streams.name(streams[0]["code"]).endswith("(renamed)")


@pytest.mark.django_db
def test_the_seeded_versions_carry_the_region_tables_and_validate() -> None:
    """The registry version holds the region tables its policy versions name (the 2026
    version's six-region table), so the database's documents load as they are."""
    documents = policy_source.database_documents()
    assert documents is not None
    assert set(documents.policy["region_tables"]) == {"2025", "2026"}
    policy_source.validate(documents)
