"""Per-request observability: X-Request-ID, one log line and metrics per request; Rollbar reports."""

import logging
import re
import uuid
from collections.abc import Callable
from time import perf_counter
from typing import Any

from django.http import HttpRequest, HttpResponse
from rollbar.contrib.django.middleware import RollbarNotifierMiddlewareExcluding404

from core.observability import metrics
from core.observability.logs import request_id_var

logger = logging.getLogger("core.request")

# A proxy's or client's X-Request-ID is kept when it looks like an id, so that one id follows a request.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}").fullmatch


class RequestObservabilityMiddleware:
    """First in MIDDLEWARE, to see every request: its id, its log line and its metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        metrics.query_counting_enable()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = perf_counter()
        request_id = request.META.get("HTTP_X_REQUEST_ID")
        if not request_id or not SANE_REQUEST_ID(request_id):
            request_id = uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
            seconds = perf_counter() - start
            response["X-Request-ID"] = request_id
            match = request.resolver_match  # None when no URL was resolved (static file, redirect)
            view = match.view_name if match else "<unresolved>"
            method, path, status = request.method or "", request.path, response.status_code
            label = method if method in metrics.KNOWN_METHODS else "other"
            metrics.REQUESTS.labels(view, label, status).inc()
            metrics.REQUEST_DURATION.labels(view).observe(seconds)
            ms = round(seconds * 1000, 2)
            fields = {"method": method, "path": path, "status": status, "duration_ms": ms, "view": view}
            level = logging.ERROR if status >= 500 else logging.INFO
            logger.log(level, "%s %s %s %sms", method, path, status, ms, extra=fields)
            return response
        finally:
            request_id_var.reset(token)


class RollbarNotifierMiddleware(RollbarNotifierMiddlewareExcluding404):
    """pyrollbar's middleware, which reports no Http404, with the request id in each report and the
    URL without its query string, which may hold a token (the settings' ROLLBAR drop the rest)."""

    def get_payload_data(self, request: HttpRequest, exc: Exception) -> dict[str, Any]:
        return {
            "custom": {"request_id": request_id_var.get()},
            "request": {"url": request.build_absolute_uri(request.path)},
        }
