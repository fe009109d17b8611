"""The accounts tests share the employer fixtures (``dave``, employer B)."""

from tests.employers.conftest import dave, submit

__all__ = ["dave", "submit"]
