"""gunicorn settings from the environment: `gunicorn config.wsgi` needs no flags."""

import os
import sys
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
# The .env the Django settings read (real environment variables win), so that the switches read
# here (DD_TRACE_ENABLED, DJANGO_DEBUG, DJANGO_LOG_FORMAT) work from .env too.
environ.Env.read_env(BASE_DIR / ".env")

from core import gunicorn_errors  # noqa: E402
from core.observability import gunicorn as observability  # noqa: E402

# gunicorn's own 400/414/431 answers in the JSON error shape instead of its HTML page.
gunicorn_errors.install()

# Datadog APM (DD_TRACE_ENABLED=true): ddtrace is imported here, in the master before the workers
# fork and before anything imports Django, psycopg or requests, exactly as `ddtrace-run` would.
observability.tracing_enable(
    service="django-twelve-factor-api", version=os.environ.get("APP_VERSION", "1.0.0")
)

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM, workers stop accepting and finish in-flight requests for up to this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
keepalive = 5
# Heartbeat files in memory, not on a possibly slow container disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# No access log: the application logs one line per request itself, with its X-Request-ID, view
# and duration (core.observability.middleware). gunicorn's own lines use the same format, on stdout.
accesslog = None
errorlog = "-"
logger_class = observability.Logger if observability.log_format_json() else observability.TextLogger
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Prometheus: every worker writes its samples under PROMETHEUS_MULTIPROC_DIR (a temporary folder
# unless set); /metrics adds them up. Set before any worker imports prometheus_client.
PROMETHEUS_MULTIPROC_DIR = observability.prometheus_dir_prepare()


def on_starting(server):
    observability.prometheus_dir_wipe(PROMETHEUS_MULTIPROC_DIR)


def child_exit(server, worker):
    observability.prometheus_worker_exit(worker.pid)


def on_exit(server):
    observability.prometheus_dir_remove(PROMETHEUS_MULTIPROC_DIR)
