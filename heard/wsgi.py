"""WSGI entry point, used by ``heard serve`` (waitress) and any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
application = get_wsgi_application()
