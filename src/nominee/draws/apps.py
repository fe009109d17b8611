from django.apps import AppConfig


class DrawsConfig(AppConfig):
    """Draw definitions, selection, execution and invitations."""

    name = "nominee.draws"
    label = "draws"
