"""The one JSON error shape of every non-2xx answer: {"status": WORD, "message": ..., "errors"?}."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, views
from rest_framework.response import Response

STATUS_WORDS = {
    400: "INVALID",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT-FOUND",
    405: "METHOD-NOT-ALLOWED",
    406: "NOT-ACCEPTABLE",
    409: "CONFLICT",
    413: "TOO-LARGE",
    415: "UNSUPPORTED-MEDIA-TYPE",
    429: "THROTTLED",
    500: "ERROR",
    502: "BAD-GATEWAY",
    503: "UNAVAILABLE",
    504: "TIMEOUT",
}

FieldErrors = dict[str, list[str]]


class ServiceError(Exception):
    """An app's own error, raised by its services and selectors; `exception_handler` answers it."""

    status_code = 400

    def __init__(self, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class InvalidInput(ServiceError):
    status_code = 400


class NotFound(ServiceError):
    status_code = 404


class UpstreamFailed(ServiceError):
    """An outside service answered, but not with what we asked for (refused our key, broke)."""

    status_code = 502


class Unavailable(ServiceError):
    """Not configured, rate-limited, or cooling down after repeated failures: try again later."""

    status_code = 503


class UpstreamTimeout(ServiceError):
    status_code = 504


def error_body(code: int, message: str, errors: FieldErrors | None = None) -> dict[str, Any]:
    word = STATUS_WORDS.get(code, "INVALID" if code < 500 else "ERROR")
    body: dict[str, Any] = {"status": word, "message": message}
    if errors is not None:
        body["errors"] = errors
    return body


def json_error(code: int, message: str, headers: dict[str, str] | None = None) -> JsonResponse:
    """The shape for plain Django views and middleware, outside DRF."""
    return JsonResponse(error_body(code, message), status=code, headers=headers)


def _messages(value: Any) -> list[str]:
    """DRF's error detail flattened to strings; a nested serializer's as "child: message"."""
    if isinstance(value, dict):
        return [f"{key}: {msg}" for key, inner in value.items() for msg in _messages(inner)]
    if isinstance(value, list):
        return [msg for item in value for msg in _messages(item)]
    return [str(value)]


def _validation_message(errors: FieldErrors) -> str:
    parts = []
    for field, messages in errors.items():
        first = messages[0] if messages else "invalid"
        parts.append(first if field == "non_field_errors" else f"{field}: {first}")
    return "Invalid input. " + " ".join(p if p.endswith(".") else p + "." for p in parts)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: DRF's own answer (status, headers) in the one shape; the rest passes on."""
    if isinstance(exc, ServiceError):
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
        return Response(error_body(exc.status_code, exc.message), status=exc.status_code, headers=headers)
    response = views.exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException) and isinstance(exc.detail, (list, dict)):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        errors = {field: _messages(value) for field, value in detail.items()}
        response.data = error_body(response.status_code, _validation_message(errors), errors)
    elif isinstance(exc, exceptions.Throttled):
        wait = response.headers.get("Retry-After", "a few")
        response.data = error_body(429, f"Too many requests; try again in {wait} seconds.")
    else:
        response.data = error_body(response.status_code, str(response.data["detail"]))
    return response


def _handler(code: int, message: str) -> Callable[..., JsonResponse]:
    """One of Django's own error views (config/urls.py, CSRF_FAILURE_VIEW), for what never reaches DRF."""

    def handler(request: HttpRequest, exception: Exception | None = None, reason: str = "") -> JsonResponse:
        return json_error(code, message.format(path=request.path, reason=reason))

    return handler


handler400 = _handler(400, "The request could not be understood.")
handler403 = _handler(403, "You do not have permission to do that.")
handler404 = _handler(404, "Nothing at {path}; see / for the services.")
handler500 = _handler(500, "Something went wrong on our side; it has been logged.")
csrf_failure = _handler(403, "CSRF check failed: {reason}")
