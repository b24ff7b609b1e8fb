"""The one JSON error shape of every non-2xx answer: {"status": WORD, "message": ..., "errors"?}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

# The one table of status words, for the application and for gunicorn's own answers (414, 431, 501).
STATUS_WORDS = {
    400: "INVALID",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT-FOUND",
    405: "METHOD-NOT-ALLOWED",
    406: "NOT-ACCEPTABLE",
    409: "CONFLICT",
    413: "TOO-LARGE",
    414: "TOO-LARGE",
    415: "UNSUPPORTED-MEDIA-TYPE",
    429: "THROTTLED",
    431: "TOO-LARGE",
    500: "ERROR",
    501: "ERROR",
    502: "BAD-GATEWAY",
    503: "UNAVAILABLE",
    504: "TIMEOUT",
}


class ServiceError(Exception):
    """An app's own error, raised by its services and selectors and never caught by its views:
    `exception_handler` below answers it in the error shape, with its status and Retry-After.

    Apps subclass the kind that fits (`class CarNotFound(NotFound)`); a service never raises DRF's or
    Django's HTTP exceptions.
    """

    status_code = 400

    def __init__(
        self, message: str, *, errors: dict[str, list[str]] | None = None, retry_after: int | None = None
    ):
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.retry_after = retry_after


class InvalidInput(ServiceError):
    status_code = 400


class NotFound(ServiceError):
    status_code = 404


class Conflict(ServiceError):
    status_code = 409


class UpstreamFailed(ServiceError):
    """An outside service answered, but not with what we asked for (refused our key, broke)."""

    status_code = 502


class Unavailable(ServiceError):
    """Not configured, rate-limited, or cooling down after repeated failures: try again later."""

    status_code = 503


class UpstreamTimeout(ServiceError):
    status_code = 504


def status_word(code: int) -> str:
    return STATUS_WORDS.get(code, "INVALID" if code < 500 else "ERROR")


def error_body(code: int, message: str, errors: dict | None = None) -> dict:
    body = {"status": status_word(code), "message": message}
    if errors is not None:
        body["errors"] = errors
    return body


def error_response(code: int, message: str, errors: dict | None = None, headers=None) -> Response:
    """A DRF response in the error shape (rendered as JSON, or as the browsable page for a browser)."""
    return Response(error_body(code, message, errors), status=code, headers=headers)


def json_error(code: int, message: str, **headers) -> JsonResponse:
    """The same shape for plain Django views and middleware, outside DRF."""
    response = JsonResponse(error_body(code, message), status=code)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {field: _messages(value) for field, value in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _messages(value) -> list:
    if isinstance(value, dict):
        # Nested serializers: flatten to "child: message".
        return [f"{key}: {msg}" for key, inner in value.items() for msg in _messages(inner)]
    if isinstance(value, list):
        return [msg for item in value for msg in _messages(item)]
    return [str(value)]


def _validation_message(errors: dict) -> str:
    parts = []
    for field, messages in errors.items():
        first = messages[0] if messages else "invalid"
        parts.append(first if field == "non_field_errors" else f"{field}: {first}")
    return "Invalid input. " + " ".join(p if p.endswith(".") else p + "." for p in parts)


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every exception a view raises becomes the one error shape.

    Anything else (a database outage included, answered by core.middleware) is passed on.
    """
    if isinstance(exc, ServiceError):
        retry = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
        return error_response(exc.status_code, exc.message, exc.errors, headers=retry)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if exc.args else "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) if exc.args else None)
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    detail = exc.detail
    if isinstance(detail, (list, dict)):  # validation errors
        errors = _field_errors(detail)
        return error_response(exc.status_code, _validation_message(errors), errors, headers=headers)
    message = str(detail)
    if isinstance(exc, exceptions.Throttled):
        message = f"Too many requests; try again in {headers.get('Retry-After', 'a few')} seconds."
    return error_response(exc.status_code, message, headers=headers)


# Django's own handlers (config/urls.py) for what never reaches a DRF view.
def handler400(request, exception=None):
    return json_error(status.HTTP_400_BAD_REQUEST, "The request could not be understood.")


def handler403(request, exception=None):
    return json_error(status.HTTP_403_FORBIDDEN, "You do not have permission to do that.")


def handler404(request, exception=None):
    return json_error(status.HTTP_404_NOT_FOUND, f"Nothing at {request.path}; see / for the services.")


def handler500(request):
    return json_error(
        status.HTTP_500_INTERNAL_SERVER_ERROR, "Something went wrong on our side; it has been logged."
    )


def csrf_failure(request, reason=""):
    return json_error(status.HTTP_403_FORBIDDEN, f"CSRF check failed: {reason}")
