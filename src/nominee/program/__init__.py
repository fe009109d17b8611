"""The program's policy on the Django side: the stream registry and policy lookups, and the
yearly allocations. A bottom layer: it imports only ``scoring``, ``core`` and ``audit``.
"""
