from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The django-ninja root; holds no models."""

    name = "nominee.api"
    label = "api"
