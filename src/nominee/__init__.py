"""Nominee: runs an employer-led Expression of Interest immigration program end to end."""

__version__ = "0.1.0"
