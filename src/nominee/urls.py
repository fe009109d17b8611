"""Root URLs. Each app owns its own paths (see each ``urls.py``); all are mounted at /."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from nominee.accounts import forms as accounts_forms
from nominee.accounts import views as accounts_views
from nominee.api.root import api
from nominee.core import views as core_views
from nominee.site import views as site_views

admin.site.site_header = "Nominee: program office"
admin.site.site_title = "Nominee"

urlpatterns = [
    path("", site_views.home, name="home"),
    path("dashboard/", site_views.dashboard, name="dashboard"),
    path("staff/", site_views.staff_home, name="staff_home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Before Django's own: the reset goes through accounts' service (it confirms the address).
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts_views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    # Before Django's own: the e-mail goes in the account's language (Decision 69).
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=accounts_forms.PasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("nominee.accounts.urls")),
    path("", include("nominee.program.urls")),
    path("", include("nominee.calculator.urls")),
    path("", include("nominee.employers.urls")),
    path("", include("nominee.eois.urls")),
    path("", include("nominee.draws.urls")),
    path("", include("nominee.publication.urls")),
    path("", include("nominee.casework.urls")),
]

handler400 = "nominee.core.views.bad_request"
handler403 = "nominee.core.views.permission_denied"
handler404 = "nominee.core.views.page_not_found"
handler500 = "nominee.core.views.server_error"
