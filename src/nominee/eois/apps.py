from typing import Any

from django.apps import AppConfig

from nominee.accounts.signals import candidate_signed_up


class EoisConfig(AppConfig):
    """Candidates and expressions of interest: registration, scoring, the pool, bulk import."""

    name = "nominee.eois"
    label = "eois"

    def ready(self) -> None:
        candidate_signed_up.connect(_create_candidate, dispatch_uid="eois.create_candidate")
        # models load after apps.py: both modules import them
        from nominee.program.policy_source import register_impact_counter

        from .queries import score_changes  # (models, as above)

        # A policy version's preview counts the pool's EOIs it would re-score.
        register_impact_counter(score_changes)


def _create_candidate(*, user: Any, full_name: str, **_kwargs: Any) -> None:
    """A new candidate account gets its candidate file (inside sign_up's transaction)."""
    from django.utils import timezone

    from .models import Candidate  # models are not ready when apps.py loads

    Candidate.objects.create(
        user=user, full_name=full_name, email=user.email, created_at=timezone.now()
    )
