"""WSGI entry point (`gunicorn config.wsgi`). Django reads a chunked body (no Content-Length) as empty:
`application` reads it first, at most one byte past DATA_UPLOAD_MAX_MEMORY_SIZE (more is a 413), and
hands Django the bytes with their length."""

import io
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_wsgi_application()


def application(environ, start_response):
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower() and not environ.get("CONTENT_LENGTH"):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = environ["wsgi.input"].read() if limit is None else environ["wsgi.input"].read(limit + 1)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
    return django_application(environ, start_response)
