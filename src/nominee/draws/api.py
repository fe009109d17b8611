"""JSON API of the draws app (mounted under /api/v1/ by nominee.api.root)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["draws"])
