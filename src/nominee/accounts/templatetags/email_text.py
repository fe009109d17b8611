"""``{{ email.body|email_body }}``: a recorded e-mail's text, with the site's links clickable.

The text is escaped piece by piece; only an ``http(s)`` URL under ``settings.SITE_URL``
becomes a link (docs/decisions.md, decision 72): e-mails quote text other people typed
(a business's name, an officer's reasons), and the site does not turn a stranger's URL
into a link on its own pages.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from nominee.core.links import is_site_url

register = template.Library()

URL = re.compile(r"https?://[^\s<>\"']+")
TRAILING = ".,;:!?)]}"


@register.filter
def email_body(text: str) -> SafeString:
    """The e-mail's text escaped, each link into the site an ``<a>``."""
    out: list[str] = []
    position = 0
    for match in URL.finditer(text or ""):
        url = match.group(0).rstrip(TRAILING)
        end = match.start() + len(url)
        out.append(escape(text[position : match.start()]))
        if is_site_url(url):
            out.append(format_html('<a href="{}">{}</a>', url, url))
        else:
            out.append(escape(url))
        position = end
    out.append(escape((text or "")[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above
