"""Settings come from the environment only: defaults, backing services by URL, loud failures."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": db["ENGINE"], "name": str(db["NAME"]), "conn_max_age": db.get("CONN_MAX_AGE"),
    "health_checks": db.get("CONN_HEALTH_CHECKS"), "options": db.get("OPTIONS"),
    "server_side_cursors_disabled": db.get("DISABLE_SERVER_SIDE_CURSORS"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "hosts": settings.ALLOWED_HOSTS,
    "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "secure_cookies": getattr(settings, "SESSION_COOKIE_SECURE", False),
}))
"""


def run_settings(**env):
    """Load the settings in a fresh process with exactly this environment (plus PATH)."""
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "false"}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=BASE_DIR, env=clean, capture_output=True, text=True
    )


def test_missing_secret_outside_debug_stops_with_a_clear_message():
    result = run_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_needs_no_secret():
    result = run_settings(DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is True


def test_defaults_are_production_safe_and_need_nothing_installed():
    result = run_settings(DJANGO_SECRET_KEY="s" * 50)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(BASE_DIR / "db.sqlite3")
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["hosts"] == ["localhost", "127.0.0.1"]
    assert values["hsts"] >= 31536000
    assert values["secure_cookies"] is True


def test_backing_services_come_from_urls():
    result = run_settings(
        DJANGO_SECRET_KEY="s" * 50,
        DATABASE_URL="postgres://app:pw@db.internal:5433/inventory",
        CACHE_URL="redis://cache.internal:6379/0",
        DJANGO_ALLOWED_HOSTS="api.example.com,www.example.com",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "inventory"
    assert values["conn_max_age"] == 600  # persistent connections...
    assert values["health_checks"] is True  # ...checked before reuse
    assert values["options"]["options"] == "-c statement_timeout=10000"  # below gunicorn's 30 s
    assert values["options"]["prepare_threshold"] == 5
    assert values["server_side_cursors_disabled"] is False
    assert values["cache"] == "django_redis.cache.RedisCache"
    assert values["hosts"] == ["api.example.com", "www.example.com"]


def test_behind_a_transaction_pooler_settings_say_so():
    """PgBouncer in transaction mode: no server-side cursors, no prepared statements, Django's pool."""
    result = run_settings(
        DJANGO_SECRET_KEY="s" * 50,
        DATABASE_URL="postgres://app:pw@pgbouncer.internal:6432/inventory",
        DATABASE_POOL="true",
        DATABASE_SERVER_SIDE_CURSORS="false",
        DATABASE_PREPARED_STATEMENTS="false",
        DATABASE_STATEMENT_TIMEOUT="0",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["conn_max_age"] == 0  # Django's pool instead of persistent connections
    assert values["options"]["pool"]
    assert values["options"].get("prepare_threshold") is None  # Django passes None to psycopg
    assert values["options"]["options"] == "-c statement_timeout=0"
    assert values["server_side_cursors_disabled"] is True


ENV_VARIABLES = [
    "DJANGO_DEBUG",
    "DATABASE_URL",
    "DATABASE_POOL",
    "DATABASE_CONN_MAX_AGE",
    "DATABASE_SERVER_SIDE_CURSORS",
    "DATABASE_PREPARED_STATEMENTS",
    "DATABASE_STATEMENT_TIMEOUT",
    "CACHE_URL",
    "ROLLBAR_READ_TOKEN",
]


@pytest.mark.parametrize("variable", ENV_VARIABLES)
def test_env_example_lists_every_variable(variable):
    assert f"{variable}=" in (BASE_DIR / ".env.example").read_text()


def test_check_deploy_is_clean_with_production_env():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "api.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
