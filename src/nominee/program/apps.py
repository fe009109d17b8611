from django.apps import AppConfig


class ProgramConfig(AppConfig):
    """The program's policy tables and lookups (the stream registry, allocations)."""

    name = "nominee.program"
    label = "program"
