"""The page's language: a ``/en/`` or ``/fr/`` prefix in the URL, else the visitor's choice.

Every page answers at its plain path (``/draws/``) and under each language's prefix
(``/fr/draws/``); the contract paths of INTERFACES §4 and the API keep answering at their
plain paths (Decision 69, docs/architecture.md "Languages in the URL"). Django's
``i18n_patterns`` would redirect the plain paths, so ``LanguagePrefixMiddleware`` replaces
``LocaleMiddleware`` instead:

- a prefixed request is routed without its prefix (``request.path_info``), keeps it in
  ``request.path`` (so ``get_full_path()`` and ``next=`` stay prefixed), and makes every
  ``reverse()`` and ``{% url %}`` of the request carry it (the script prefix); the language
  is the prefix's, remembered in the language cookie;
- a plain page takes the cookie, then ``Accept-Language``, then ``LANGUAGE_CODE``;
- the API (``/api/``) takes ``Accept-Language`` only: a client's language is the one it
  asks for, whatever a browser's cookie says.

``context`` (a template context processor) gives base.html the language switch and the
alternate links of the page in each language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import trans_real

API_PREFIX = "/api/"


def language_codes() -> tuple[str, ...]:
    """The site's languages (``settings.LANGUAGES``), in their order."""
    return tuple(code for code, _name in settings.LANGUAGES)


def split_language_prefix(path: str) -> tuple[str | None, str]:
    """``("fr", "/draws/")`` for ``/fr/draws/``; ``(None, path)`` for a path without one."""
    for code in language_codes():
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return code, path[len(prefix) - 1 :]
    return None, path


def strip_language_prefix(path: str) -> str:
    """``path`` without its language prefix (``/fr/draws/`` gives ``/draws/``)."""
    return split_language_prefix(path)[1]


def language_path(path: str, language: str) -> str:
    """``path`` (with or without a prefix) under ``language``'s prefix: ``/fr/draws/``."""
    return f"/{language}{strip_language_prefix(path)}"


def _plain_script_prefix() -> str:
    prefix = get_script_prefix()
    for code in language_codes():
        if prefix.endswith(f"/{code}/"):
            return prefix[: -len(code) - 1]
    return prefix


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Run in ``language``, its prefix on every ``reverse()`` (an e-mail to a French reader
    written while an English page is served): the active language and the script prefix
    are restored after."""
    previous = get_script_prefix()
    set_script_prefix(f"{_plain_script_prefix().rstrip('/')}/{language}/")
    try:
        with translation.override(language):
            yield
    finally:
        set_script_prefix(previous)


@contextmanager
def plain_links() -> Iterator[None]:
    """Run with ``reverse()`` giving plain paths, without the request's language prefix: a
    body served to every language (the CSV, the API's JSON) must not depend on it."""
    previous = get_script_prefix()
    set_script_prefix(_plain_script_prefix())
    try:
        yield
    finally:
        set_script_prefix(previous)


def supported_language(code: str | None) -> str:
    """The site's language for ``code`` (``fr-CA`` gives ``fr``), else ``LANGUAGE_CODE``."""
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return str(settings.LANGUAGE_CODE)


def _accept_language(request: HttpRequest) -> str:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
    )


class LanguagePrefixMiddleware:
    """Routes ``/en/…`` and ``/fr/…`` to the plain paths, in that language (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path_info = request.path_info
        codes = language_codes()
        bare = path_info.strip("/") if path_info.count("/") <= 1 else None
        if bare in codes and not path_info.endswith("/"):
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                f"{request.path}/" + (f"?{query}" if query else "")
            )
        prefixed, rest = split_language_prefix(path_info)
        previous_prefix = get_script_prefix()
        if prefixed is not None:
            language = prefixed
            # request.path keeps the prefix (Django built it from the script name and the
            # path before this); routing sees the plain path.
            request.path_info = rest
            set_script_prefix(f"{previous_prefix.rstrip('/')}/{language}/")
        elif path_info.startswith(API_PREFIX):
            language = _accept_language(request)
        else:
            language = translation.get_language_from_request(request, check_path=False)
        request.LANGUAGE_CODE = language
        request.nominee_language_prefix = prefixed  # type: ignore[attr-defined]
        try:
            with translation.override(language):
                response = self.get_response(request)
                response.headers.setdefault("Content-Language", language)
        finally:
            set_script_prefix(previous_prefix)
        is_api = rest.startswith(API_PREFIX)
        if prefixed is None:
            patch_vary_headers(
                response, ("Accept-Language",) if is_api else ("Accept-Language", "Cookie")
            )
        elif not is_api and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            _set_language_cookie(response, language)
        return response


def context(request: HttpRequest) -> dict[str, Any]:
    """The language switch and the page's alternates, for base.html.

    ``language_switch``: the other language's link to this same page and query string
    (``/fr`` + the plain path), its code and its name in that language;
    ``language_alternates``: one (code, absolute path) per language, for
    ``<link rel="alternate" hreflang>``.
    """
    current = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    current = supported_language(current)
    plain = getattr(request, "path_info", "/") or "/"
    script = request.path[: len(request.path) - len(plain)] if hasattr(request, "path") else ""
    prefixed = getattr(request, "nominee_language_prefix", None)
    if prefixed is not None:
        script = script[: -len(prefixed) - 1] if script.endswith(f"/{prefixed}") else script
    script = script.rstrip("/")
    query = request.META.get("QUERY_STRING", "") if hasattr(request, "META") else ""
    suffix = f"?{query}" if query else ""
    names = dict(settings.LANGUAGES)
    alternates = [(code, f"{script}/{code}{plain}{suffix}") for code in language_codes()]
    others = [(code, url) for code, url in alternates if code != current]
    switch = None
    if others:
        code, url = others[0]
        switch = {"code": code, "url": url, "name": names[code]}
    return {"language_switch": switch, "language_alternates": alternates}
