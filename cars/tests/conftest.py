"""Fixtures of the cars tests."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(request, settings):
    """In-process tests hash passwords cheaply; a gunicorn server checks them with the real hasher."""
    if "gunicorn_server" not in request.fixturenames:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
