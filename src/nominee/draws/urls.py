"""Pages of the draws app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "draws"
urlpatterns: list[URLPattern | URLResolver] = []
