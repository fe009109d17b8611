"""Applications after invitation, position approvals, review and nominations.

Empty until the casework issue lands; the yearly allocation it will consume lives in
``nominee.program``.
"""
