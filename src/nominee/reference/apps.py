from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReferenceConfig(AppConfig):
    """Reference data, loaded from the files shipped in ``nominee/data`` after each migrate."""

    name = "nominee.reference"
    label = "reference"

    def ready(self) -> None:
        from .services import load_on_migrate  # models load after apps.py

        post_migrate.connect(load_on_migrate, sender=self)
