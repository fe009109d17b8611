"""Pages of the eois app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "eois"
urlpatterns: list[URLPattern | URLResolver] = []
