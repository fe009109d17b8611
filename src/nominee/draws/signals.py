"""Signals of the draws app.

``draw_executed`` is sent with ``draw=<Draw>`` after the transaction that executed the
draw has committed (``transaction.on_commit``), so receivers (the publication app's pool
snapshot and cache invalidation) always see the draw's result and its invitations.
"""

from __future__ import annotations

import django.dispatch

draw_executed = django.dispatch.Signal()
