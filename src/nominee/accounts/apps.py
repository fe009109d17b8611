from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Users, their roles, representatives' appointments and personal API tokens."""

    name = "nominee.accounts"
    label = "accounts"

    def ready(self) -> None:
        from .roles import ensure_staff_groups  # models load after apps.py

        post_migrate.connect(ensure_staff_groups, dispatch_uid="nominee_staff_groups")
