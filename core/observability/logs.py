"""The one logging set-up, for Django's LOGGING and gunicorn's logconfig_dict: a line per event on
stdout, with its request's id. No Django imports: gunicorn.conf.py loads this before Django."""

import logging
import time
from contextvars import ContextVar

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.orjson import OrjsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on each record; outside a request the formatters' default shows."""

    def filter(self, record):
        request_id = request_id_var.get()
        if request_id is not None:
            record.request_id = request_id
        return True


class JsonFormatter(OrjsonFormatter):
    """python-json-logger's formatter, with times in UTC: `2026-01-31T12:00:00.123Z` in any time zone."""

    converter = staticmethod(time.gmtime)
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"


def logging_config(*, json_format: bool, level: str, loggers: dict) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "json": {
                "()": JsonFormatter,
                "fmt": ["asctime", "levelname", "name", "message", "request_id"],
                "rename_fields": {
                    "asctime": "time",
                    "levelname": "level",
                    "name": "logger",
                    "dd.trace_id": "trace_id",
                    "dd.span_id": "span_id",
                },
                # Django's `request` holds the URL with its query; ddtrace's tags are the same on every line.
                "reserved_attrs": [*RESERVED_ATTRS, "request", "dd.service", "dd.env", "dd.version"],
            },
            "text": {
                "()": logging.Formatter,
                "fmt": "%(asctime)s %(levelname)-5s [%(request_id)s] %(name)s: %(message)s",
                "datefmt": "%H:%M:%S",
                "defaults": {"request_id": "-"},
            },
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json" if json_format else "text",
                "filters": ["request_id"],
            },
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": loggers,
    }
