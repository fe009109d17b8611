"""The WSGI application, for gunicorn: ``gunicorn nominee.wsgi -k gthread``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nominee.settings")
application = get_wsgi_application()
