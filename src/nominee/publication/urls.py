"""Pages of the publication app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "publication"
urlpatterns: list[URLPattern | URLResolver] = []
