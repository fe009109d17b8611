"""Casework pages: the parties' files, the candidate's wizard, the employer's filing,
documents and the letter, the officers' queue and file page, the allocation pages.
Thin: each parses a form, calls one service or query, and renders.

The pages live in ``parties``, ``staff`` and ``public``, with what they share in
``common``; this package re-exports them for ``casework/urls.py``.
"""

from .common import STEP_TITLES, STEPS, _card, _open_invitations
from .parties import (
    answer,
    decline,
    download,
    file_page,
    letter,
    my_files,
    position_approval,
    start,
    step,
    upload,
    withdraw,
)
from .public import public_allocation
from .staff import _dashboard, staff_allocation, staff_file, staff_queue

__all__ = [
    "STEPS",
    "STEP_TITLES",
    "_card",
    "_dashboard",
    "_open_invitations",
    "answer",
    "decline",
    "download",
    "file_page",
    "letter",
    "my_files",
    "position_approval",
    "public_allocation",
    "staff_allocation",
    "staff_file",
    "staff_queue",
    "start",
    "step",
    "upload",
    "withdraw",
]
