"""Site-wide pages: home, the dashboard switch, the staff hub, health and error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader

from nominee.accounts.roles import Role, has_role, is_staff_reader


def home(request: HttpRequest) -> HttpResponse:
    """The front page: what Nominee is and where each kind of user starts."""
    return render(request, "core/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send each person to the dashboard of their role; offer a choice to a new account."""
    user = request.user
    if is_staff_reader(user):
        return redirect("staff_home")
    if has_role(user, Role.EMPLOYER_CONTACT):
        return redirect("employers:dashboard")
    if has_role(user, Role.REPRESENTATIVE):
        return redirect("accounts:representative_dashboard")
    if has_role(user, Role.CANDIDATE):
        return redirect("eois:dashboard")
    return render(request, "core/choose_role.html")


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """The program office hub for officers, managers and auditors (404 for anyone else)."""
    if not is_staff_reader(request.user):
        return page_not_found(request, None)
    return render(
        request,
        "core/staff_home.html",
        {
            "is_officer": has_role(request.user, Role.OFFICER),
            "is_manager": has_role(request.user, Role.MANAGER),
        },
    )


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return HttpResponse(loader.render_to_string(template, {}, request), status=status)


def bad_request(request: HttpRequest, exception: Any) -> HttpResponse:
    """400 page."""
    return _error(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Any) -> HttpResponse:
    """403 page."""
    return _error(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Any) -> HttpResponse:
    """404 page; also answers where the existence of a file is private."""
    return _error(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page, rendered without context processors (they may be what failed)."""
    return HttpResponse(loader.render_to_string("errors/500.html"), status=500)
