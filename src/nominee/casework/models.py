"""Casework's models (applications, nominations) come with the casework issue.

``Allocation`` moved to ``nominee.program.models`` (it is policy data); its table kept its
name, ``casework_allocation``.
"""
