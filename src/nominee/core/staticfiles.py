"""Static files in production: hashed names after ``collectstatic``, plain names before.

whitenoise's manifest storage raises on every ``{% static %}`` tag until ``collectstatic``
has written its manifest, so a production start that skipped the step answered every
page with a 500. Here a name the manifest does not know (no manifest yet, or a file added
since the last ``collectstatic``) is linked by its plain name, which whitenoise serves
from the apps' static directories (``WHITENOISE_USE_FINDERS``); ``nominee check
--deploy`` reports the missing step (nominee.W002, ``core.checks``) and docs/operations.md
lists it.
"""

from __future__ import annotations

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger("nominee.static")


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's compressed, hashed storage that falls back to the plain file name."""

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError:
            # Not collected: the plain name still works (served by the finders), only
            # without the far-future caching a hashed name allows.
            logger.warning("static file %s is not collected: run `nominee collectstatic`", name)
            return name

    def has_manifest(self) -> bool:
        """Whether ``collectstatic`` has written its manifest into STATIC_ROOT."""
        return bool(self.exists(self.manifest_name))
