"""Log formatting: one JSON object per line (production) or one readable line (debug), with the request id.

Django-free on purpose: gunicorn.conf.py uses these formatters for gunicorn's own log before any
Django code is loaded.
"""

import logging
import time
from contextvars import ContextVar

import orjson

# The id of the request being served by this thread, or None outside a request.
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# LogRecord attributes that are not "extra" fields passed by the caller.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()
    | {"message", "asctime", "request_id", "taskName"}
)
# ddtrace's log correlation adds these (when tracing is on); they are kept under shorter keys.
_DATADOG_ATTRIBUTES = {"dd.trace_id": "trace_id", "dd.span_id": "span_id"}


class RequestIdFilter(logging.Filter):
    """Give every record the current request id (None outside a request), for both formatters."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", "request_id", ...extra fields}` on one line."""

    def format(self, record):
        event = {
            "time": _utc_iso(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES:
                name = _DATADOG_ATTRIBUTES.get(key, key)
                if name is not key:
                    if value and value != "0":
                        event[name] = value
                elif not key.startswith("dd."):
                    event[name] = value
        if record.exc_info:
            event["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            event["exc_info"] = record.exc_text
        if record.stack_info:
            event["stack_info"] = self.formatStack(record.stack_info)
        return orjson.dumps(event, default=str).decode()


class TextFormatter(logging.Formatter):
    """A readable line for a terminal: `12:00:00.123 INFO  [abc123] logger: message`."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)-5s [%(request_id)s] %(name)s: %(message)s", "%H:%M:%S")

    def format(self, record):
        if not hasattr(record, "request_id"):  # a handler without the filter
            record.request_id = request_id_var.get()
        if record.request_id is None:
            record.request_id = "-"
        return super().format(record)


def _utc_iso(created: float) -> str:
    seconds = int(created)
    return (
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{int((created - seconds) * 1000):03d}Z"
    )
