from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only audit log."""

    name = "nominee.audit"
    label = "audit"
