"""Fixtures of the rollbar_items tests: the app's settings pointing at the fake Rollbar API."""

import pytest

from rollbar_items.tests.fake_rollbar import POST_TOKEN, READ_TOKEN, WRITE_TOKEN


@pytest.fixture
def fake_rollbar(fake_rollbar_server, settings):
    """The fake of the root conftest (a fresh project), with the app's ROLLBAR_* settings pointing at it."""
    settings.ROLLBAR_API_URL = fake_rollbar_server.url
    settings.ROLLBAR_READ_TOKEN = READ_TOKEN
    settings.ROLLBAR_WRITE_TOKEN = WRITE_TOKEN
    settings.ROLLBAR_POST_TOKEN = POST_TOKEN
    settings.ROLLBAR_TIMEOUT = 2.0
    return fake_rollbar_server


@pytest.fixture
def rollbar_env(fake_rollbar):
    """Environment variables for a subprocess (`manage.py rollbar ...`) talking to the fake."""
    return {
        "ROLLBAR_API_URL": fake_rollbar.url,
        "ROLLBAR_READ_TOKEN": READ_TOKEN,
        "ROLLBAR_WRITE_TOKEN": WRITE_TOKEN,
        "ROLLBAR_POST_TOKEN": POST_TOKEN,
        "ROLLBAR_TIMEOUT": "2",
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The shared user fixtures hash a password; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
