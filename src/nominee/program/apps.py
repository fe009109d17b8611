from django.apps import AppConfig
from django.db.models.signals import post_migrate

from nominee.core.commands import before_command


class ProgramConfig(AppConfig):
    """The program's policy tables and lookups (the stream registry, allocations, policy
    versions); seeds the allocations and the shipped policy versions after migrate."""

    name = "nominee.program"
    label = "program"

    def ready(self) -> None:
        # models load after apps.py: these modules import them
        from . import policy_source
        from .services import seed_allocations, seed_policy_versions  # (models, as above)

        post_migrate.connect(seed_allocations, sender=self)
        post_migrate.connect(seed_policy_versions, sender=self)
        # Every ``nominee`` command starts from the database's policy versions.
        before_command(policy_source.ensure_fresh)
