from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared infrastructure; holds no models."""

    name = "nominee.core"
    label = "core"
