from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top layer: site pages and the commands that run every app's sweeps; no models."""

    name = "nominee.site"
    label = "site"
