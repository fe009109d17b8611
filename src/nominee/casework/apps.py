from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """Applications after invitation, position approvals, review and nominations (to come)."""

    name = "nominee.casework"
    label = "casework"
