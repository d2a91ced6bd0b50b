"""WSGI entry point for gunicorn: `gunicorn hrnet.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrnet.settings")
application = get_wsgi_application()
