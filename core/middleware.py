"""Middleware that keeps oversized bodies and database outages inside the JSON error shape."""

from django.conf import settings
from django.db import InterfaceError, OperationalError

from core.errors import DATABASE_UNAVAILABLE, json_error


class BodySizeLimitMiddleware:
    """Answer 413 before reading a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE.

    DRF's parsers read the request stream directly, so Django's own limit (which guards
    `request.body`) does not apply to API requests; this check does, for every view.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return json_error(400, "The Content-Length header is not a number.")
        if self.limit is not None and length > self.limit:
            return json_error(413, f"The request body is larger than the limit of {self.limit} bytes.")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A lost database connection outside a DRF view answers 503, not an HTML 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            return json_error(503, DATABASE_UNAVAILABLE, Retry_After="5")
        return None
