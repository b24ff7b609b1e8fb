"""core.db.postgresql: a reused connection is checked with SELECT 1 only when its socket shows trouble.

Runs on the local PostgreSQL server whatever DATABASE_URL the suite uses (its own connection
handler on the server's `postgres` database), so both passes of the suite exercise it.
"""

import psycopg2
import psycopg2.extensions
import pytest
from django.db.utils import ConnectionHandler

PG = {"HOST": "127.0.0.1", "PORT": 5432, "USER": "postgres", "NAME": "postgres"}


def admin(sql, *params):
    connection = psycopg2.connect(host=PG["HOST"], port=PG["PORT"], user=PG["USER"], dbname=PG["NAME"])
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


class RecordingCursor(psycopg2.extensions.cursor):
    def execute(self, sql, params=None):
        self.connection.statements.append(sql)
        return super().execute(sql, params)


class RecordingConnection(psycopg2.extensions.connection):
    """A real psycopg2 connection that remembers the statements its cursors send, checks included."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = []


@pytest.fixture
def connection(django_db_blocker):
    settings = {
        **PG,
        "ENGINE": "core.db.postgresql",
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connection_factory": RecordingConnection, "cursor_factory": RecordingCursor},
    }
    handler = ConnectionHandler({"default": settings})
    connection = handler["default"]
    with django_db_blocker.unblock():  # a connection of its own, outside the test database
        yield connection
        connection.close()


def backend_pid(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def next_request(connection):
    """What Django does between two requests of a worker holding a persistent connection."""
    connection.close_if_unusable_or_obsolete()


def test_a_quiet_connection_is_reused_without_a_select_1(connection):
    pid = backend_pid(connection)
    for _ in range(3):
        next_request(connection)
        sent = len(connection.connection.statements)
        assert backend_pid(connection) == pid  # the same connection, kept
        assert connection.connection.statements[sent:] == ["SELECT pg_backend_pid()"]  # and no check


def test_a_connection_the_server_closed_is_replaced_before_the_request_uses_it(connection):
    pid = backend_pid(connection)
    next_request(connection)
    assert admin("SELECT pg_terminate_backend(%s, 5000)", pid) == [(True,)]  # waits for the exit
    new_pid = backend_pid(connection)  # no error: the health check saw the closed socket
    assert new_pid != pid


def test_a_connection_closed_on_the_client_side_is_replaced(connection):
    pid = backend_pid(connection)
    next_request(connection)
    connection.connection.close()  # psycopg2 knows it is closed; Django does not yet
    assert backend_pid(connection) != pid
