"""What gunicorn.conf.py needs for observability, before any worker (or Django) is loaded.

- `tracing_enable()`: `import ddtrace.auto` when DD_TRACE_ENABLED is true, in the master before
  workers fork (what `ddtrace-run gunicorn` does), so Django, psycopg and requests get traced.
- `prometheus_dir_prepare()` / `prometheus_dir_wipe()` / `prometheus_worker_exit()`: the folder
  where workers write their metric samples (prometheus_client's multiprocess mode).
- `Logger`: gunicorn's own log lines in the application's format on stdout.
"""

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from gunicorn import glogging

from core.observability.logs import JsonFormatter, TextFormatter

# What django-environ reads as true, as the settings do.
TRUE = frozenset({"1", "true", "yes", "on", "y", "t", "ok"})

# Folders created by prometheus_dir_prepare() in this (master) process, removed on exit.
_own_dirs: set[str] = set()


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in TRUE


def tracing_enable(service: str, version: str) -> bool:
    """Turn Datadog tracing on when DD_TRACE_ENABLED is true; returns whether it is on."""
    if not env_flag("DD_TRACE_ENABLED"):
        return False
    os.environ.setdefault("DD_SERVICE", service)
    os.environ.setdefault("DD_VERSION", version)
    # ddtrace's own warnings go through the application's log handler (JSON), not a raw one.
    os.environ.setdefault("DD_TRACE_LOG_STREAM_HANDLER", "false")
    # One span per middleware hook (a dozen middlewares) about halves throughput under ddtrace and
    # says little; the request, view, SQL and HTTP spans remain. DD_DJANGO_INSTRUMENT_MIDDLEWARE=true
    # brings them back.
    os.environ.setdefault("DD_DJANGO_INSTRUMENT_MIDDLEWARE", "false")
    try:
        import ddtrace.auto  # noqa: F401 - patches Django, psycopg, sqlite3, requests... on import
    except ImportError as exc:
        raise RuntimeError(
            "DD_TRACE_ENABLED is true but ddtrace is not installed: pip install -r requirements/prod.txt"
        ) from exc
    return True


def prometheus_dir_prepare() -> str:
    """PROMETHEUS_MULTIPROC_DIR, or a new temporary folder when it is unset.

    Must run before any worker imports prometheus_client, which picks its mode at import time.
    The temporary folder is in memory (/dev/shm) when possible: the samples are memory-mapped files.
    """
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if not path:
        shm = "/dev/shm"  # noqa: S108 - a private folder is created inside, mode 0700
        parent = shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
        path = tempfile.mkdtemp(prefix="prometheus-multiproc-", dir=parent)
        _own_dirs.add(path)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = path
    return path


def prometheus_dir_wipe(path: str) -> None:
    """Start from zero: samples left by a previous run would be added to this one's."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    for file in folder.glob("*.db"):
        file.unlink(missing_ok=True)


def prometheus_dir_remove(path: str) -> None:
    """Remove the folder on exit if it is a temporary one we created; an operator's folder stays."""
    if path in _own_dirs:
        shutil.rmtree(path, ignore_errors=True)


def prometheus_worker_exit(pid: int) -> None:
    """A worker is gone: its live gauges stop counting (its counters stay, as counters must)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)


def log_formatter(json_format: bool) -> logging.Formatter:
    return JsonFormatter() if json_format else TextFormatter()


class Logger(glogging.Logger):
    """gunicorn's error log (boot, workers, timeouts) as JSON or text lines on stdout.

    There is no access log: the application logs one line per request itself, with its id.
    """

    json_format = True

    def setup(self, cfg):
        super().setup(cfg)
        formatter = log_formatter(self.json_format)
        for handler in self.error_log.handlers:
            if cfg.errorlog == "-" and isinstance(handler, logging.StreamHandler):
                handler.setStream(sys.stdout)
            handler.setFormatter(formatter)
        root = logging.getLogger()
        if not root.handlers:
            # Libraries logging in the master (ddtrace) get the same format; workers then
            # configure logging from Django's LOGGING.
            handler = logging.StreamHandler(sys.stdout)
            handler.setFormatter(formatter)
            root.addHandler(handler)
            root.setLevel(logging.INFO)


class TextLogger(Logger):
    json_format = False


def log_format_json() -> bool:
    """The same choice as LOG_FORMAT in the Django settings: JSON unless debug is on."""
    chosen = os.environ.get("DJANGO_LOG_FORMAT", "").strip().lower()
    if chosen:
        return chosen == "json"
    return not env_flag("DJANGO_DEBUG")
