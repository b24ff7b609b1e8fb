"""Settings for a gunicorn started by a test: the project's own, plus views that fail on purpose.

Production URLs have no crashing view; `DJANGO_SETTINGS_MODULE=core.tests.crash_settings` adds
the ones of core/tests/urls.py (`/test/crash` in DRF, `/test/plain-crash` in plain Django).
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "core.tests.urls"
