"""Middleware keeping oversized bodies and database outages inside the JSON error shape."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError

from core.errors import json_error

logger = logging.getLogger(__name__)


class BodySizeLimitMiddleware:
    """Answer 413 before reading a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE.

    DRF's parsers read the request stream, not `request.body`, so Django's own limit does not apply
    to API requests; this one does, for every view. Chunked bodies get their Content-Length in
    config/wsgi.py.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return json_error(400, "The Content-Length header is not a number.")
        if limit is not None and length > limit:
            return json_error(413, f"The request body is larger than the limit of {limit} bytes.")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """The one place a database outage becomes 503 with Retry-After, for DRF and Django views alike.

    A refused or lost connection, and a statement cancelled by DATABASE_STATEMENT_TIMEOUT, are
    OperationalError or InterfaceError. Listed last in MIDDLEWARE, so that it answers them before the
    error reporter sees them: an outage is the operator's news, not a bug.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        # The driver's reason for the operator (psycopg's messages name host and port, never a password).
        logger.warning(
            "database unavailable: %s: %s",
            type(exception).__name__,
            str(exception).strip().partition("\n")[0],
        )
        return json_error(503, "The database is not answering; try again in a few seconds.", Retry_After="5")
