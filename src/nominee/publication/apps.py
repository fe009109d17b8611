from django.apps import AppConfig


class PublicationConfig(AppConfig):
    """The public record: draw results, pool statistics, feeds, summaries and charts."""

    name = "nominee.publication"
    label = "publication"

    def ready(self) -> None:
        """Listen for executed draws: snapshot the pool, bump the publication version."""
        from nominee.draws.signals import draw_executed

        from .services import on_draw_executed

        draw_executed.connect(on_draw_executed, dispatch_uid="publication-draw-executed")
