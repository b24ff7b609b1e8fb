"""Oversized bodies and database outages answered in the JSON error shape, for every view."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from core.errors import json_error

logger = logging.getLogger(__name__)


class ErrorShapeMiddleware:
    """Last in MIDDLEWARE, to see the view's exceptions before the error reporter. Django's body limit
    does not cover the stream DRF's parsers read: this one does (413)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return json_error(400, "The Content-Length header is not a number.")
        if limit is not None and length > limit:
            return json_error(413, f"The request body is larger than the limit of {limit} bytes.")
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        # The driver's reason for the operator (psycopg's messages name host and port, never a password).
        reason = str(exception).strip().partition("\n")[0]
        logger.warning("database unavailable: %s: %s", type(exception).__name__, reason)
        message = "The database is not answering; try again in a few seconds."
        return json_error(503, message, headers={"Retry-After": "5"})
