"""System checks of the deployment (``nominee check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
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


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Warn when ``collectstatic`` has not written its manifest into STATIC_ROOT.

    Pages still work (``core.staticfiles`` links the plain names), but without the hashed,
    compressed copies that browsers may keep for a year.
    """
    has_manifest = getattr(staticfiles_storage, "has_manifest", None)
    if has_manifest is None or has_manifest():
        return []
    return [
        Warning(
            f"the static files are not collected into {settings.STATIC_ROOT}",
            hint="run `nominee collectstatic --no-input` after each install or upgrade",
            id="nominee.W002",
        )
    ]
