from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CaseworkConfig(AppConfig):
    """Applications, nominations and allocations; seeds the allocations after migrate."""

    name = "nominee.casework"
    label = "casework"

    def ready(self) -> None:
        from .services import seed_allocations

        post_migrate.connect(seed_allocations, sender=self)
