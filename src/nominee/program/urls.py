"""The policy page's paths."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "program"

urlpatterns = [
    path("staff/policy/", views.policy_list, name="policy_list"),
    path("staff/policy/publish/", views.policy_publish, name="policy_publish"),
    path(
        "staff/policy/<str:kind>/<str:effective_from>/",
        views.policy_detail,
        name="policy_detail",
    ),
]
