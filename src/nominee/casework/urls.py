"""Casework paths: the parties' files, staff casework, the public allocation page."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("applications/", views.my_files, name="mine"),
    path("invitations/<int:invitation_id>/start/", views.start, name="start"),
    path("invitations/<int:invitation_id>/decline/", views.decline, name="decline"),
    path("applications/<int:pk>/", views.file_page, name="file"),
    path("applications/<int:pk>/apply/<slug:step>/", views.step, name="step"),
    path(
        "applications/<int:pk>/position-approval/",
        views.position_approval,
        name="position_approval",
    ),
    path("applications/<int:pk>/documents/", views.upload, name="upload"),
    path("applications/<int:pk>/documents/<int:document_id>/", views.download, name="download"),
    path("applications/<int:pk>/answer/", views.answer, name="answer"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/letter.pdf", views.letter, name="letter"),
    path("staff/applications/", views.staff_queue, name="staff_queue"),
    path("staff/applications/<int:pk>/", views.staff_file, name="staff_file"),
    path("staff/allocation/", views.staff_allocation, name="staff_allocation"),
    path("allocation/", views.public_allocation, name="public_allocation"),
    path("allocation/<int:year>/", views.public_allocation, name="public_allocation_year"),
]
