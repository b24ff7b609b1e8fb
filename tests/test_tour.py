"""Dev/prod parity, as `make tour` shows it (X): the suite runs on production's settings and services."""

import os
import re
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


def test_the_suite_runs_on_the_production_settings_module():
    assert settings.SETTINGS_MODULE == "config.settings"
    assert not settings.DEBUG
    for entry_point in ("manage.py", "config/wsgi.py"):
        text = (BASE_DIR / entry_point).read_text()
        assert 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")' in text, entry_point


def test_the_suite_uses_the_database_and_cache_the_environment_names(db):
    url = os.environ.get("DATABASE_URL", "sqlite://")
    expected = "postgresql" if re.match(r"(postgres|postgresql|pgsql)://", url) else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    if os.environ.get("CACHE_URL", "").startswith("redis"):
        assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
        cache.set("tour-parity", "seen", 10)
        assert cache.get("tour-parity") == "seen"
