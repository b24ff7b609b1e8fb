"""Fixtures shared by every app's tests: API clients, users, the fake outside services, and a real gunicorn.

Each fake server lives beside the tests of the app that talks to it (`rollbar_items/tests/`,
`availability/tests/`, `core/tests/`); the one fixture that starts it is here, for every folder.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

BASE_DIR = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests use a file, not memory, so that a gunicorn started by a test sees the same data."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def pytest_sessionstart(session):
    """Debug is off in tests, as in production: pages need the collected, hashed static files.

    Collected before test modules are imported, as one of them builds the WSGI application (and with
    it WhiteNoise's index of the static folder) at import.
    """
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (throttles, availability and quote entries)."""
    from django.core.cache import cache

    with contextlib.suppress(Exception):  # a test may have pointed the cache at a closed port
        cache.clear()
    yield


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def user(db, django_user_model):
    return django_user_model.objects.create_user(username="alice", password="s3cret-pass-123")


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(username="staff", password="s3cret-pass-123", is_staff=True)


@pytest.fixture
def token(user):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=user).key


@pytest.fixture
def auth_client(api_client, token):
    """An APIClient sending `Authorization: Token <key>` of a normal user."""
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api_client


@pytest.fixture
def staff_client(staff_user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_user).key}")
    return client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict) -> str:
    """The URL of the database Django is connected to now (the test database during tests)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


class GunicornServer:
    """A real `gunicorn config.wsgi` in a subprocess, on 127.0.0.1 and a free port."""

    def __init__(self, env: dict, workers: int = 2, args: tuple = (), wait_path: str = "/check"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(env.get("_LOG_DIR", "/tmp")) / f"gunicorn-{self.port}.log"
        env = {k: v for k, v in env.items() if not k.startswith("_")}
        env.update({"PORT": str(self.port), "WEB_CONCURRENCY": str(workers)})
        self.log = open(self.log_path, "w+b")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{self.port}", *args],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait(wait_path)

    def _wait(self, path: str, seconds: float = 30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.output()}")
            try:
                requests.get(self.url + path, timeout=1)
                return
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still booting
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {seconds}s:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


@pytest.fixture
def gunicorn_server(transactional_db, tmp_path):
    """Factory: `gunicorn_server(workers=2, **env)` starts gunicorn on the test database.

    Tests that use it see committed data only (transactional_db), as the server is another process.
    """
    from django.db import connection

    servers = []

    def start(workers: int = 2, args: tuple = (), wait_path: str = "/check", **extra_env):
        env = {
            **os.environ,
            "DATABASE_URL": database_url(connection.settings_dict),
            "_LOG_DIR": str(tmp_path),
        }
        env.update({k: str(v) for k, v in extra_env.items()})
        server = GunicornServer(env, workers=workers, args=args, wait_path=wait_path)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def fake_rollbar_session():
    """One fake Rollbar API (a real HTTP server on 127.0.0.1) for the session: take fake_rollbar_server."""
    from rollbar_items.tests.fake_rollbar import FakeRollbar

    with FakeRollbar() as server:
        yield server


@pytest.fixture
def fake_rollbar_server(fake_rollbar_session):
    """The fake Rollbar, reset to a fresh project (demo tokens, no items) before and after the test.

    One server serves the session because stopping one waits up to half a second for its loop; the
    reset leaves it as a new one would be, and requests still in flight from before do not touch it.
    """
    fake_rollbar_session.state.reset()
    yield fake_rollbar_session
    fake_rollbar_session.state.reset()


@pytest.fixture
def fake_openweather_server():
    """A running fake OpenWeatherMap of its own for the test; `url` and `api_key` to configure."""
    from availability.tests.fake_openweather import FakeOpenWeather

    server = FakeOpenWeather().start()
    yield server
    server.stop()


@pytest.fixture
def fake_datadog_agent():
    """A running stand-in for the Datadog agent that keeps the spans it is sent; `url` to configure."""
    from core.tests.fake_datadog_agent import FakeDatadogAgent

    agent = FakeDatadogAgent().start()
    yield agent
    agent.stop()


@pytest.fixture(autouse=True)
def _outside_breakers_closed():
    """Each test starts with the circuit breakers of the outside services closed, with their own
    cool-downs: no other test's failures count."""
    from availability.services import weather_breaker
    from rollbar_items.services import rollbar_breaker

    breakers = [(breaker, breaker.reset_timeout) for breaker in (weather_breaker, rollbar_breaker)]
    for breaker, _ in breakers:
        breaker.close()
    yield
    for breaker, cooldown in breakers:
        breaker.close()
        breaker.reset_timeout = cooldown
