"""Logs: one JSON object per line on stdout (readable text in debug), each with its request's X-Request-ID."""

import json
import re

import pytest
import requests

pytestmark = pytest.mark.django_db


def test_a_request_id_is_generated_when_the_client_sends_none(client):
    response = client.get("/which")

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert client.get("/which")["X-Request-ID"] != response["X-Request-ID"]


def test_the_clients_request_id_is_kept(client):
    response = client.get("/nowhere", headers={"X-Request-ID": "lb-7f3a:2026.11/23"})

    assert response.status_code == 404
    assert response["X-Request-ID"] == "lb-7f3a:2026.11/23"


@pytest.mark.parametrize("sent", ["has spaces", "x" * 129, 'quote"d', "new\nline", "ü-non-ascii"])
def test_an_odd_request_id_is_replaced(client, sent):
    response = client.get("/which", headers={"X-Request-ID": sent})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def log_events(server) -> list[dict]:
    return [json.loads(line) for line in server.output().splitlines()]


@pytest.mark.live
def test_each_request_logs_one_json_line_with_its_request_id(gunicorn_server):
    server = gunicorn_server(workers=2)

    found = requests.get(server.url + "/check", headers={"X-Request-ID": "abc-123"}, timeout=10)
    missing = requests.post(server.url + "/nowhere?secret=1", timeout=10)

    assert found.headers["X-Request-ID"] == "abc-123"
    events = log_events(server)  # every line of the output parses as one JSON object
    mine = [e for e in events if e["request_id"] == "abc-123"]
    assert len(mine) == 1
    line = mine[0]
    assert line["logger"] == "core.request"
    assert line["level"] == "INFO"
    assert line["message"].startswith("GET /check 200 ")
    assert (line["method"], line["path"], line["status"], line["view"]) == ("GET", "/check", 200, "check")
    assert isinstance(line["duration_ms"], float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])
    other = [e for e in events if e["request_id"] == missing.headers["X-Request-ID"]]
    assert [(e["method"], e["path"], e["status"]) for e in other] == [("POST", "/nowhere", 404)]
    # gunicorn's own lines are JSON too, and there is no second (access log) line per request.
    assert any(e["logger"] == "gunicorn.error" and e["message"].startswith("Booting worker") for e in events)
    assert not [e for e in events if e["logger"] == "gunicorn.access"]
    assert "secret" not in server.output()  # the query string is not logged


@pytest.mark.live
def test_an_unhandled_error_is_logged_with_its_traceback_and_request_id(gunicorn_server):
    server = gunicorn_server(workers=1, DJANGO_SETTINGS_MODULE="core.tests.crash_settings")

    response = requests.get(server.url + "/test/crash", headers={"X-Request-ID": "crash-1"}, timeout=10)

    assert response.status_code == 500
    events = [e for e in log_events(server) if e["request_id"] == "crash-1"]
    assert [(e["logger"], e["level"]) for e in events] == [
        ("django.request", "ERROR"),
        ("core.request", "ERROR"),
    ]
    assert "RuntimeError: boom" in events[0]["exc_info"]
    assert events[1]["status"] == 500


@pytest.mark.live
def test_logs_are_readable_text_in_debug(gunicorn_server):
    server = gunicorn_server(workers=1, DJANGO_DEBUG="true")

    requests.get(server.url + "/check", headers={"X-Request-ID": "abc-123"}, timeout=10)

    output = server.output()
    assert re.search(
        r"^\d\d:\d\d:\d\d INFO  \[abc-123\] core\.request: GET /check 200 [\d.]+ms$", output, re.M
    )
    assert re.search(r"^\d\d:\d\d:\d\d INFO  \[-\] gunicorn\.error: Booting worker", output, re.M)
    assert "{" not in output


@pytest.mark.live
def test_query_strings_never_reach_the_log(gunicorn_server):
    """Django's own records (django.request, django.security.*) carry the request: not its query string."""
    server = gunicorn_server(workers=1, DJANGO_SETTINGS_MODULE="core.tests.crash_settings")
    query = "?api_key=SECRET-IN-QUERY"

    statuses = [
        requests.get(server.url + "/test/crash" + query, timeout=10).status_code,
        requests.get(server.url + "/check" + query, headers={"Host": "evil.example"}, timeout=10).status_code,
        requests.post(server.url + "/test/plain-crash" + query, timeout=10).status_code,  # no CSRF token
        requests.get(server.url + "/nowhere" + query, timeout=10).status_code,
    ]

    assert statuses == [500, 400, 403, 404]
    loggers = {e["logger"] for e in log_events(server)}
    assert {"django.request", "django.security.DisallowedHost", "django.security.csrf"} <= loggers
    assert "SECRET-IN-QUERY" not in server.output()
