"""Page panels: a higher app adds context to a lower app's page without being imported.

The candidate dashboard (eois) and the employer's page (employers) show the invitations
of draws, an app above both. Rather than import it, they ask :func:`context` for the
panels registered under the page's name; draws registers its providers in
``DrawsConfig.ready``, as publication already listens to ``draws.signals`` (see
docs/architecture.md, "Layers").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

Provider = Callable[[Any], Mapping[str, Any]]

_providers: defaultdict[str, list[Provider]] = defaultdict(list)


def register(page: str, provider: Provider) -> None:
    """Add ``provider(subject) -> context`` to the page named ``page`` (idempotent)."""
    if provider not in _providers[page]:
        _providers[page].append(provider)


def context(page: str, subject: Any) -> dict[str, Any]:
    """The context every provider registered for ``page`` gives for ``subject``, merged."""
    merged: dict[str, Any] = {}
    for provider in _providers[page]:
        merged.update(provider(subject))
    return merged
