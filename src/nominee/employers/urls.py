"""Pages of the employer portal (``/employer/...``) and the program office's employer pages."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "employers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("employer/", views.dashboard, name="dashboard"),
    path("employer/register/", views.register, name="register"),
    path("employer/nocs/", views.noc_search, name="noc_search"),
    path("employer/<int:pk>/", views.detail, name="detail"),
    path("employer/<int:pk>/edit/", views.edit, name="edit"),
    path("employer/<int:pk>/locations/new/", views.add_location, name="add_location"),
    path(
        "employer/<int:pk>/locations/<int:location_pk>/edit/",
        views.edit_location,
        name="edit_location",
    ),
    path("employer/<int:pk>/contacts/invite/", views.invite_contact, name="invite_contact"),
    path(
        "employer/<int:pk>/contacts/<int:contact_pk>/remove/",
        views.remove_contact,
        name="remove_contact",
    ),
    path("employer/<int:pk>/representatives/appoint/", views.appoint, name="appoint"),
    path(
        "employer/<int:pk>/representatives/<int:appointment_pk>/revoke/",
        views.revoke_appointment,
        name="revoke_appointment",
    ),
    path("employer/<int:pk>/job-offers/new/", views.submit_offer, name="submit_offer"),
    path("employer/<int:pk>/emails/", views.employer_emails, name="emails"),
    path("employer/job-offers/<str:public_id>/", views.offer_detail, name="offer"),
    path("employer/job-offers/<str:public_id>/edit/", views.edit_offer, name="edit_offer"),
    path(
        "employer/job-offers/<str:public_id>/withdraw/", views.withdraw_offer, name="withdraw_offer"
    ),
    path("employer/job-offers/<str:public_id>/review/", views.review_offer, name="review_offer"),
    path(
        "employer/<int:pk>/registration/request/",
        views.request_registration,
        name="request_registration",
    ),
    path("staff/employers/", views.staff_employers, name="staff_list"),
    path(
        "staff/employers/registrations/",
        views.staff_registrations,
        name="staff_registrations",
    ),
    path(
        "staff/employers/registrations/<int:pk>/approve/",
        views.approve_registration,
        name="approve_registration",
    ),
    path(
        "staff/employers/registrations/<int:pk>/refuse/",
        views.refuse_registration,
        name="refuse_registration",
    ),
]
