from typing import Any

from django.apps import AppConfig

from nominee.core import panels


class DrawsConfig(AppConfig):
    """Draw definitions, selection, execution and invitations; adds the invitation panels
    to the candidate dashboard and the employer's page (``core.panels``)."""

    name = "nominee.draws"
    label = "draws"

    def ready(self) -> None:
        panels.register("eois.dashboard", _candidate_panel)
        panels.register("employers.detail", _employer_panel)


def _candidate_panel(candidate: Any) -> dict[str, Any]:
    from .queries import invitations_for_candidate  # models are not ready when apps.py loads

    return {"invitations": invitations_for_candidate(candidate)}


def _employer_panel(employer: Any) -> dict[str, Any]:
    from .queries import invitations_for_employer  # models are not ready when apps.py loads

    return {"invitations": invitations_for_employer(employer)}
