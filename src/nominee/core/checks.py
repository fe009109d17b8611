"""System checks of the deployment (``nominee check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def secret_key_configured(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Warn when the secret key was generated into ``var/secret_key`` instead of configured.

    A generated key is per machine: two web nodes would sign sessions and links with
    different keys, so each would reject the other's.
    """
    if getattr(settings, "NOMINEE_SECRET_KEY_SOURCE", "env") != "generated":
        return []
    return [
        Warning(
            "the secret key was generated into var/secret_key, not configured",
            hint="set NOMINEE_SECRET_KEY or NOMINEE_SECRET_KEY_FILE, the same on every web node",
            id="nominee.W001",
        )
    ]
