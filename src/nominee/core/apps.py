from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared infrastructure; holds no models. Registers the deployment checks."""

    name = "nominee.core"
    label = "core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks; nothing else imports it)
