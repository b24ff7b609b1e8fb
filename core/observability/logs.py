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
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key in _RECORD_ATTRIBUTES:
                continue
            if key.startswith("dd."):
                short = _DATADOG_ATTRIBUTES.get(key)
                if short and value and value != "0":
                    event[short] = value
                continue
            event[key] = value
        if record.exc_info:
            event["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            event["exc_info"] = record.exc_text
        if record.stack_info:
            event["stack_info"] = self.formatStack(record.stack_info)
        return orjson.dumps(event, default=str).decode()


class TextFormatter(logging.Formatter):
    """A readable line for a terminal: `12:00:00 INFO  [<request id>] logger: message`."""

    def format(self, record):
        request_id = getattr(record, "request_id", None) or request_id_var.get() or "-"
        line = (
            f"{self.formatTime(record, '%H:%M:%S')} {record.levelname:<5} [{request_id}] "
            f"{record.name}: {record.getMessage()}"
        )
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        elif record.exc_text:
            line += "\n" + record.exc_text
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


def _utc_iso(created: float) -> str:
    seconds = int(created)
    return (
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{int((created - seconds) * 1000):03d}Z"
    )
