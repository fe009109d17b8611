from django.apps import AppConfig

from nominee.draws.signals import draw_executed


class PublicationConfig(AppConfig):
    """The public record: draw results, pool statistics, feeds, summaries and charts."""

    name = "nominee.publication"
    label = "publication"

    def ready(self) -> None:
        """Listen for executed draws: snapshot the pool, bump the publication version."""
        from .services import on_draw_executed  # models load after apps.py

        draw_executed.connect(on_draw_executed, dispatch_uid="publication-draw-executed")
