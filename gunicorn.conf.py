"""gunicorn settings from the environment: `gunicorn config.wsgi` needs no flags."""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
# The .env the Django settings read (real environment variables win), so that the switches read
# here (DD_TRACE_ENABLED, DJANGO_DEBUG, DJANGO_LOG_FORMAT) work from .env too.
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

from core.observability.logs import logging_config  # noqa: E402

# Datadog APM: ddtrace is imported here, in the master before the workers fork and before anything
# imports Django, psycopg or requests, as `ddtrace-run gunicorn` would.
if env.bool("DD_TRACE_ENABLED", default=False):
    os.environ.setdefault("DD_SERVICE", "django-twelve-factor-api")
    os.environ.setdefault("DD_VERSION", env("APP_VERSION", default="1.0.0"))
    # ddtrace's own warnings go through the log configuration below, not a handler of its own.
    os.environ.setdefault("DD_TRACE_LOG_STREAM_HANDLER", "false")
    # A span per middleware hook (a dozen middlewares) about halves throughput and says little; the
    # request, view, SQL and HTTP spans remain. DD_DJANGO_INSTRUMENT_MIDDLEWARE=true brings them back.
    os.environ.setdefault("DD_DJANGO_INSTRUMENT_MIDDLEWARE", "false")
    import ddtrace.auto  # noqa: F401 - patches Django, psycopg, requests... on import (requirements/prod.txt)

bind = f"0.0.0.0:{env.int('PORT', default=8000)}"
# gunicorn's advice for sync workers, 2 x CPUs + 1: a request stuck on a slow outside service then
# holds one worker of several while the circuit breakers open (docs/design.md).
cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1
workers = env.int("WEB_CONCURRENCY", default=2 * cpus + 1)
threads = env.int("GUNICORN_THREADS", default=1)
timeout = env.int("GUNICORN_TIMEOUT", default=30)
# On SIGTERM, workers stop accepting and finish in-flight requests for up to this long.
graceful_timeout = env.int("GUNICORN_GRACEFUL_TIMEOUT", default=25)
keepalive = 5
# gunicorn's control socket sits in $HOME by default, one path for every server of the user; this
# process is managed by signals (SIGTERM, SIGHUP) from its supervisor, so it opens none.
control_socket_disable = True
# Heartbeat files in memory, not on a possibly slow container disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
forwarded_allow_ips = env("FORWARDED_ALLOW_IPS", default="127.0.0.1")

# gunicorn's own lines (boot, workers, timeouts) in the application's format on stdout; in a
# worker, Django's LOGGING takes over the same handler. There is no access log: the application
# logs one line per request itself, with its id, view and duration and without the query string.
loglevel = env("GUNICORN_LOG_LEVEL", default="info")
# The same choice as LOG_FORMAT in the Django settings: JSON unless debug is on.
log_format = env("DJANGO_LOG_FORMAT", default="text" if env.bool("DJANGO_DEBUG", default=False) else "json")
logconfig_dict = logging_config(
    json_format=log_format.strip().lower() == "json",
    level="INFO",
    loggers={
        "gunicorn.error": {"level": loglevel.upper(), "propagate": True},
        "gunicorn.access": {"level": "WARNING"},
    },
)

# Prometheus: every worker writes its samples under PROMETHEUS_MULTIPROC_DIR and /metrics adds them
# up. Set before any worker imports prometheus_client, which picks its mode at import time; unset,
# a private folder in memory (the samples are memory-mapped files), removed on exit.
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
OWN_PROMETHEUS_DIR = not PROMETHEUS_MULTIPROC_DIR
if OWN_PROMETHEUS_DIR:
    shm = "/dev/shm"  # noqa: S108 - mkdtemp makes a private folder inside, mode 0700
    PROMETHEUS_MULTIPROC_DIR = tempfile.mkdtemp(
        prefix="prometheus-multiproc-", dir=shm if os.access(shm, os.W_OK) else None
    )
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = PROMETHEUS_MULTIPROC_DIR


def on_starting(server):
    # Start from zero: samples left by a previous run would be added to this one's.
    folder = Path(PROMETHEUS_MULTIPROC_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    for file in folder.glob("*.db"):
        file.unlink(missing_ok=True)


def child_exit(server, worker):
    # The worker's live gauges stop counting; its counters stay, as counters must.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if OWN_PROMETHEUS_DIR:
        shutil.rmtree(PROMETHEUS_MULTIPROC_DIR, ignore_errors=True)
