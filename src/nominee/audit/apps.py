from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    """The append-only, hash-chained audit log."""

    name = "nominee.audit"
    label = "audit"

    def ready(self) -> None:
        from .services import ensure_chain_head  # models load after apps.py

        post_migrate.connect(ensure_chain_head, sender=self)
