from django.apps import AppConfig


class PublicationConfig(AppConfig):
    """The public record: draw results, pool statistics, feeds, summaries and charts."""

    name = "nominee.publication"
    label = "publication"
