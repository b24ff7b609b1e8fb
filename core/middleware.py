"""The policy header of every answer; oversized bodies and database outages in the JSON error shape."""

import logging
from collections.abc import Callable

from csp.constants import HEADER
from csp.utils import build_policy
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from core.errors import json_error

logger = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware:
    """django-csp's policy (CONTENT_SECURITY_POLICY), built once: its own middleware rebuilds it, and
    a report-only one, on every answer, for per-view decorators and nonces that no view here uses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = build_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not (settings.DEBUG and response.status_code in (404, 500)):  # Django's debug pages
            response.headers.setdefault(HEADER, self.policy)
        return response


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
