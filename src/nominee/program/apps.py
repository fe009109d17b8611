from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ProgramConfig(AppConfig):
    """The program's policy tables and lookups (the stream registry, allocations); seeds the
    allocations after migrate."""

    name = "nominee.program"
    label = "program"

    def ready(self) -> None:
        from .services import seed_allocations  # models load after apps.py

        post_migrate.connect(seed_allocations, sender=self)
