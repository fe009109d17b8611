"""Signals accounts sends, so that the apps above it act on an account without accounts
importing them (docs/architecture.md, "Layers")."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside ``sign_up``'s transaction when a person signs up as a candidate, with
#: ``user`` and ``full_name``. eois creates the candidate file; a receiver that raises
#: undoes the sign-up.
candidate_signed_up = Signal()
