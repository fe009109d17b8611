"""The load benchmark's URLs: the site's, and beside them the smallest Django endpoint that
inserts a row (the yardstick ``bench_load.py`` measures EOI registration against)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def insert(request: HttpRequest) -> JsonResponse:
    """Insert the request's body as one row of ``bench_insert``; 201."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_insert (body) VALUES (%s)", [request.body.decode()])
    return JsonResponse({"inserted": True}, status=201)


urlpatterns = [path("bench/insert", insert), path("", include("nominee.urls"))]
