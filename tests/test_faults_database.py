"""The database unreachable or its connections killed: 503 in the error shape, /check KO, then recovery.

Every test runs a real gunicorn. The closed-port test uses the suite's settings; the PostgreSQL tests
run against a database of their own on the local server (whatever the suite's DATABASE_URL), so they
can refuse connections and kill backends without touching the test database.
"""

import threading
import time

import pytest
import requests
from django.contrib.auth.hashers import make_password

from conftest import free_port
from tests.conftest import FAULTS_DB, assert_error, faults_sql, pg_execute

pytestmark = pytest.mark.live

TOKEN = "0123456789abcdef0123456789abcdef01234567"
# Every request reads its token from the database: no process remembers a checked one.
NO_TOKEN_CACHE = {"API_TOKEN_CACHE_SECONDS": "0"}


def db_reads(url: str) -> list[requests.Response]:
    """One request per kind of database read a client makes: token auth, password auth, health."""
    return [
        requests.get(url + "/api/schema/", headers={"Authorization": f"Token {TOKEN}"}, timeout=10),
        requests.post(
            url + "/api-auth/token/", json={"username": "fault", "password": "fault-pass-123"}, timeout=10
        ),
    ]


def seed_fault_user():
    faults_sql("DELETE FROM authtoken_token")
    faults_sql("DELETE FROM auth_user WHERE username = 'fault'")
    user_id = faults_sql(
        "INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active, first_name,"
        " last_name, email, date_joined) VALUES ('fault', %s, false, false, true, '', '', '', now())"
        " RETURNING id",
        make_password("fault-pass-123"),
    )[0][0]
    faults_sql("INSERT INTO authtoken_token (key, user_id, created) VALUES (%s, %s, now())", TOKEN, user_id)


def assert_unavailable(response):
    body = assert_error(response, 503)
    assert body["status"] == "UNAVAILABLE"
    assert response.headers["Retry-After"]


def test_database_on_a_closed_port_answers_503_and_check_ko(gunicorn_server):
    started = time.monotonic()
    server = gunicorn_server(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/nothing",
        wait_path="/which",
        **NO_TOKEN_CACHE,
    )

    check = requests.get(server.url + "/check", timeout=10)
    assert check.status_code == 503
    assert check.json()["status"] == "KO"
    assert check.json()["checks"]["database"] == "KO"
    for response in db_reads(server.url):
        assert_unavailable(response)
    # What does not need the database still answers.
    assert requests.get(server.url + "/which", timeout=5).text == "API under construction"
    assert requests.get(server.url + "/", timeout=5).status_code == 200
    assert time.monotonic() - started < 20  # refused connections fail fast, nothing hangs


def test_connections_killed_between_requests_are_replaced_transparently(gunicorn_server, faults_db):
    seed_fault_user()
    server = gunicorn_server(DATABASE_URL=faults_db, LOGIN_THROTTLE_RATE="1000/min", **NO_TOKEN_CACHE)
    for _ in range(3):  # every worker holds a persistent connection (CONN_MAX_AGE)
        assert all(r.status_code == 200 for r in db_reads(server.url))

    # The timeout makes PostgreSQL wait until each backend has exited: the kill is over before the
    # next request, as between two requests of a real outage.
    killed = pg_execute(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = %s", FAULTS_DB
    )
    assert killed, "the server held no connection to kill"

    # CONN_HEALTH_CHECKS: the dead connection is checked, found dead and replaced before the
    # request uses it.
    for _ in range(2):
        assert [r.status_code for r in db_reads(server.url)] == [200, 200]


def test_database_refusing_connections_answers_503_then_recovers_without_restart(gunicorn_server, faults_db):
    seed_fault_user()
    server = gunicorn_server(DATABASE_URL=faults_db, LOGIN_THROTTLE_RATE="1000/min", **NO_TOKEN_CACHE)
    assert all(r.status_code == 200 for r in db_reads(server.url))
    pid = server.process.pid

    # The database goes away: no new connections, existing ones killed.
    pg_execute(f"ALTER DATABASE {FAULTS_DB} ALLOW_CONNECTIONS false")
    pg_execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", FAULTS_DB)
    for _ in range(3):
        check = requests.get(server.url + "/check", timeout=10)
        assert (check.status_code, check.json()["status"]) == (503, "KO")
        assert check.json()["checks"]["database"] == "KO"
        for response in db_reads(server.url):
            assert_unavailable(response)

    # The database comes back: the same processes serve again, no restart.
    pg_execute(f"ALTER DATABASE {FAULTS_DB} ALLOW_CONNECTIONS true")
    for _ in range(2):
        assert requests.get(server.url + "/check", timeout=10).json()["status"] == "OK"
        assert [r.status_code for r in db_reads(server.url)] == [200, 200]
    assert server.process.poll() is None
    assert server.process.pid == pid


def test_connection_killed_during_a_query_answers_503_and_the_next_request_succeeds(
    gunicorn_server, faults_db
):
    seed_fault_user()
    server = gunicorn_server(
        DATABASE_URL=faults_db, workers=1, LOGIN_THROTTLE_RATE="1000/min", **NO_TOKEN_CACHE
    )
    headers = {"Authorization": f"Token {TOKEN}"}
    assert requests.get(server.url + "/api/schema/", headers=headers, timeout=10).status_code == 200

    # Hold a lock so that the request's token lookup waits inside PostgreSQL, then kill that backend.
    locker = pg_admin_for_faults()
    locker.execute("LOCK TABLE authtoken_token IN ACCESS EXCLUSIVE MODE")  # in a transaction until rollback
    answers = []
    request = threading.Thread(
        target=lambda: answers.append(requests.get(server.url + "/api/schema/", headers=headers, timeout=30))
    )
    request.start()
    try:
        waiting = wait_for_lock_waiter()
        pg_execute("SELECT pg_terminate_backend(%s)", waiting)
        request.join(20)
    finally:
        locker.rollback()
        locker.close()
    assert_unavailable(answers[0])
    assert requests.get(server.url + "/api/schema/", headers=headers, timeout=10).status_code == 200


@pytest.mark.parametrize("path", ["/test/sleep", "/test/plain-sleep"])
def test_a_statement_over_the_timeout_is_cancelled_and_answers_503(gunicorn_server, faults_db, path):
    """DATABASE_STATEMENT_TIMEOUT: PostgreSQL cancels the statement; the worker answers at once."""
    server = gunicorn_server(
        DATABASE_URL=faults_db,
        DATABASE_STATEMENT_TIMEOUT="200",
        DJANGO_SETTINGS_MODULE="core.tests.crash_settings",
        workers=1,
    )
    assert requests.get(server.url + path, params={"seconds": 0.05}, timeout=10).status_code == 200

    started = time.monotonic()
    response = requests.get(server.url + path, params={"seconds": 5}, timeout=10)
    assert_unavailable(response)
    assert time.monotonic() - started < 2  # cancelled after 200 ms, not after the 5 s asked for
    assert not pg_execute(  # and nothing is left running on the server
        "SELECT pid FROM pg_stat_activity"
        " WHERE datname = %s AND state = 'active' AND query LIKE 'SELECT pg_sleep%%'",
        FAULTS_DB,
    )
    # The connection stays usable: the next request succeeds.
    assert requests.get(server.url + path, params={"seconds": 0.05}, timeout=10).status_code == 200


def pg_admin_for_faults():
    import psycopg

    from tests.conftest import FAULTS_PG

    return psycopg.connect(f"{FAULTS_PG}/{FAULTS_DB}")


def wait_for_lock_waiter(seconds: float = 10) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rows = pg_execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", FAULTS_DB
        )
        if rows:
            return rows[0][0]
        time.sleep(0.05)
    raise AssertionError("no request waited on the lock")
