"""Pages of the eois app: the candidate's side under /candidate/ and /eoi/, staff under
/staff/pool/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "eois"
urlpatterns: list[URLPattern | URLResolver] = [
    path("candidate/", views.dashboard, name="dashboard"),
    path("candidate/representatives/", views.appoint, name="appoint"),
    path("candidate/representatives/<int:appointment_id>/revoke/", views.revoke, name="revoke"),
    path("candidate/<int:candidate_id>/", views.candidate_home, name="candidate"),
    path("candidate/<int:candidate_id>/eoi/new/<str:step>/", views.register, name="register"),
    path("eoi/<str:external_id>/", views.detail, name="detail"),
    path("eoi/<str:external_id>/update/", views.update, name="update"),
    path("eoi/<str:external_id>/withdraw/", views.withdraw, name="withdraw"),
    path("eoi/<str:external_id>/carry-over/", views.carry_over, name="carry_over"),
    path("staff/pool/", views.pool, name="pool"),
    path("staff/pool/eois/", views.pool_list, name="pool_list"),
    path("staff/closed-streams/", views.closed_streams, name="closed_streams"),
    path(
        "staff/closed-streams/<str:stream>/withdraw/",
        views.closed_stream_withdraw,
        name="closed_stream_withdraw",
    ),
]
