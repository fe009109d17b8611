"""Root URLs. Each app owns its own paths (see each ``urls.py``); all are mounted at /."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from nominee.api.root import api
from nominee.core import views as core_views
from nominee.site import health, metrics
from nominee.site import views as site_views

admin.site.site_header = "Nominee: program office"
admin.site.site_title = "Nominee"

urlpatterns = [
    path("", site_views.home, name="home"),
    path("dashboard/", site_views.dashboard, name="dashboard"),
    path("staff/", site_views.staff_home, name="staff_home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Django's names and paths, the site's templates, accounts' services (auth_urls).
    path("accounts/", include("nominee.accounts.auth_urls")),
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
