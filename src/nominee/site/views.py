"""The site's own pages: home, the dashboard switch, the program-office hub."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nominee.accounts.roles import Role, has_role, is_staff_reader
from nominee.core.views import page_not_found


def home(request: HttpRequest) -> HttpResponse:
    """The front page: what Nominee is and where each kind of user starts."""
    return render(request, "site/home.html")


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
    return render(request, "site/choose_role.html")


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """The program office hub for officers, managers and auditors (404 for anyone else)."""
    if not is_staff_reader(request.user):
        return page_not_found(request, None)
    return render(
        request,
        "site/staff_home.html",
        {
            "is_officer": has_role(request.user, Role.OFFICER),
            "is_manager": has_role(request.user, Role.MANAGER),
        },
    )
