"""Pages of the draws app: the officer pages under /staff/draws/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "draws"
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/draws/", views.draw_list, name="list"),
    path("staff/draws/new/", views.draw_propose, name="propose"),
    path("staff/draws/preview/", views.draw_propose, name="preview"),
    path("staff/draws/<int:pk>/", views.draw_detail, name="detail"),
    path("staff/draws/<int:pk>/approve/", views.draw_approve, name="approve"),
    path("staff/draws/<int:pk>/execute/", views.draw_execute, name="execute"),
    path("staff/draws/<int:pk>/cancel/", views.draw_cancel, name="cancel"),
]
