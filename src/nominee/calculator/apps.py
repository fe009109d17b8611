from django.apps import AppConfig


class CalculatorConfig(AppConfig):
    """The public score calculator (page and API); holds no models."""

    name = "nominee.calculator"
    label = "calculator"
