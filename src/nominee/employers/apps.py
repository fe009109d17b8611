from django.apps import AppConfig


class EmployersConfig(AppConfig):
    """Businesses, work locations, contacts and job offers: the employer portal."""

    name = "nominee.employers"
    label = "employers"
