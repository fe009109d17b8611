"""Pages of the employers app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "employers"
urlpatterns: list[URLPattern | URLResolver] = []
