"""Middleware that keeps oversized bodies and database outages inside the JSON error shape."""

import io

from django.conf import settings
from django.db import InterfaceError, OperationalError

from core.errors import DATABASE_UNAVAILABLE, json_error, log_database_unavailable


class BodySizeLimitMiddleware:
    """Answer 413 before reading a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE.

    DRF's parsers read the request stream directly, so Django's own limit (which guards
    `request.body`) does not apply to API requests; this check does, for every view.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def __call__(self, request):
        if not request.META.get("CONTENT_LENGTH") and self._chunked(request):
            too_large = self._buffer_chunked_body(request)
            if too_large:
                return too_large
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return json_error(400, "The Content-Length header is not a number.")
        if self.limit is not None and length > self.limit:
            return self._too_large()
        return self.get_response(request)

    def _too_large(self):
        return json_error(413, f"The request body is larger than the limit of {self.limit} bytes.")

    @staticmethod
    def _chunked(request) -> bool:
        return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()

    def _buffer_chunked_body(self, request):
        """A chunked body has no Content-Length, so Django would read it as empty: read it here instead.

        The server (gunicorn) hands over the de-chunked bytes; reading one byte past the limit is
        enough to know the body is too large, without holding more than that in memory.
        """
        limit = self.limit if self.limit is not None else 2**62
        try:
            body = request.META["wsgi.input"].read(limit + 1)
        except Exception:  # noqa: BLE001 - each server has its own parse errors (gunicorn: InvalidChunkSize)
            return json_error(400, "The chunked request body is malformed.")
        if len(body) > limit:
            return self._too_large()
        request._stream = io.BytesIO(body)
        request.META["CONTENT_LENGTH"] = str(len(body))
        return None


class DatabaseUnavailableMiddleware:
    """A lost database connection outside a DRF view answers 503, not an HTML 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            log_database_unavailable(exception)
            return json_error(503, DATABASE_UNAVAILABLE, Retry_After="5")
        return None
