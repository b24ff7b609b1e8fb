"""Fixtures of the reliability and security tests: a real PostgreSQL database of their own, answer checks."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# The fault tests need a PostgreSQL they can break (kill connections, refuse new ones), whatever
# database the rest of the suite runs on. It is the local server, as in CI.
FAULTS_PG = os.environ.get("FAULTS_PG_URL", "postgres://postgres@127.0.0.1:5432")
# One per run, so that two runs of the suite on one server do not break each other's.
FAULTS_DB = f"faults_{os.getpid()}"


def assert_error(response, status: int):
    """A non-2xx answer in the one JSON error shape (works for requests' and Django's responses)."""
    headers = response.headers
    body = response.json()
    assert response.status_code == status, (response.status_code, body)
    assert headers["Content-Type"].startswith("application/json"), headers["Content-Type"]
    assert set(body) <= {"status", "message", "errors"}, body
    assert isinstance(body["status"], str)
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


def pg_execute(sql: str, *params, database: str = "postgres"):
    """Run one statement in autocommit on `database` (the server's own by default); its rows, if any."""
    with psycopg.connect(f"{FAULTS_PG}/{database}", autocommit=True) as connection:
        cursor = connection.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def manage(*args, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=120,
    )


@pytest.fixture(scope="session")
def faults_database_url():
    """A migrated PostgreSQL database that the fault tests may break: `postgres://.../faults_<pid>`."""
    pg_execute(f"DROP DATABASE IF EXISTS {FAULTS_DB} WITH (FORCE)")
    pg_execute(f"CREATE DATABASE {FAULTS_DB}")
    url = f"{FAULTS_PG}/{FAULTS_DB}"
    manage("migrate", "--noinput", "-v0", env={**os.environ, "DATABASE_URL": url})
    yield url
    pg_execute(f"DROP DATABASE IF EXISTS {FAULTS_DB} WITH (FORCE)")


@pytest.fixture
def faults_db(faults_database_url):
    """The fault database, accepting connections again after the test whatever it did."""
    yield faults_database_url
    pg_execute(f"ALTER DATABASE {FAULTS_DB} ALLOW_CONNECTIONS true")


def faults_sql(sql: str, *params):
    """Run SQL inside the fault database (to seed rows the server will read)."""
    return pg_execute(sql, *params, database=FAULTS_DB)


@pytest.fixture
def fast_password_hashing(settings):
    """In-process tests only: fast password hashes (a gunicorn started by a test would not know MD5)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
