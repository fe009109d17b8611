from django.apps import AppConfig


class EoisConfig(AppConfig):
    """Candidates and expressions of interest: registration, scoring, the pool, bulk import."""

    name = "nominee.eois"
    label = "eois"
