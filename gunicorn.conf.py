"""gunicorn settings from the environment: `gunicorn config.wsgi` needs no flags."""

import os
import shutil
import tempfile
from pathlib import Path

import environ

from core.observability.logs import logging_config

# The .env the Django settings read, so that the switches read here work from it too.
env = environ.Env()
environ.Env.read_env(Path(__file__).resolve().parent / ".env")

if env.bool("DD_TRACE_ENABLED", default=False):
    os.environ.setdefault("DD_SERVICE", "django-twelve-factor-api")
    os.environ.setdefault("DD_VERSION", env("APP_VERSION", default="1.0.0"))
    os.environ.setdefault("DD_TRACE_LOG_STREAM_HANDLER", "false")  # its warnings through our logging
    os.environ.setdefault("DD_DJANGO_INSTRUMENT_MIDDLEWARE", "false")
    import ddtrace.auto  # noqa: F401 - patches Django, psycopg, requests... (requirements/prod.txt)

# Memory, not a possibly slow container disk, for the workers' heartbeats and Prometheus samples.
SHM = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108 - private files inside

bind = f"0.0.0.0:{env.int('PORT', default=8000)}"
cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1
workers = env.int("WEB_CONCURRENCY", default=2 * cpus + 1)
threads = env.int("GUNICORN_THREADS", default=1)
timeout = env.int("GUNICORN_TIMEOUT", default=30)
graceful_timeout = env.int("GUNICORN_GRACEFUL_TIMEOUT", default=25)
keepalive = 5
# Its supervisor's signals manage it: no control socket in $HOME, shared by all the user's servers.
control_socket_disable = True
worker_tmp_dir = SHM
forwarded_allow_ips = env("FORWARDED_ALLOW_IPS", default="127.0.0.1")

loglevel = env("GUNICORN_LOG_LEVEL", default="info")
log_format = env("DJANGO_LOG_FORMAT", default="text" if env.bool("DJANGO_DEBUG", default=False) else "json")
logconfig_dict = logging_config(
    json_format=log_format.strip().lower() == "json",
    level="INFO",
    loggers={
        "gunicorn.error": {"level": loglevel.upper(), "propagate": True},
        "gunicorn.access": {"level": "WARNING"},
    },
)

# Set before any worker imports prometheus_client, which picks its mode at import time.
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
OWN_PROMETHEUS_DIR = not PROMETHEUS_MULTIPROC_DIR
if OWN_PROMETHEUS_DIR:
    PROMETHEUS_MULTIPROC_DIR = tempfile.mkdtemp(prefix="prometheus-multiproc-", dir=SHM)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = PROMETHEUS_MULTIPROC_DIR


def on_starting(server):
    # Start from zero: samples left by a previous run would be added to this one's.
    os.makedirs(PROMETHEUS_MULTIPROC_DIR, exist_ok=True)
    for file in Path(PROMETHEUS_MULTIPROC_DIR).glob("*.db"):
        file.unlink(missing_ok=True)


def child_exit(server, worker):
    # prometheus_client's multiprocess mode asks for this: a dead worker's live gauges stop.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if OWN_PROMETHEUS_DIR:
        shutil.rmtree(PROMETHEUS_MULTIPROC_DIR, ignore_errors=True)
