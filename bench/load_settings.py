"""The site's settings with the load benchmark's URLs (``load_urls``) at the root."""

from nominee.settings import *  # noqa: F403 - the site's settings, unchanged but one

ROOT_URLCONF = "load_urls"
