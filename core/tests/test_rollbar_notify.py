"""The application's own unhandled errors are reported to Rollbar when ROLLBAR_NOTIFY_TOKEN is set."""

import secrets
import time

import pytest
import requests

from rollbar_items.tests.fake_rollbar import POST_TOKEN

pytestmark = pytest.mark.live


def reported(fake, count: int, seconds: float = 10) -> list[dict]:
    """The occurrences the fake received, once there are `count` of them (reports are sent in threads)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fake.state.process_due()
        with fake.state.lock:
            occurrences = [occurrence["data"] for occurrence in fake.state.occurrences]
        if len(occurrences) >= count:
            return occurrences
        time.sleep(0.05)
    return occurrences


def crashing_server(gunicorn_server, fake_rollbar_server, **env):
    return gunicorn_server(
        workers=2,
        DJANGO_SETTINGS_MODULE="core.tests.crash_settings",
        ROLLBAR_API_URL=fake_rollbar_server.url,
        ROLLBAR_ENVIRONMENT="staging",
        **env,
    )


def test_unhandled_errors_in_drf_and_plain_views_reach_rollbar(gunicorn_server, fake_rollbar_server):
    server = crashing_server(gunicorn_server, fake_rollbar_server, ROLLBAR_NOTIFY_TOKEN=POST_TOKEN)

    drf = requests.get(server.url + "/test/crash", timeout=10)
    plain = requests.get(server.url + "/test/plain-crash", headers={"X-Request-ID": "crash-2"}, timeout=10)

    assert drf.status_code == 500
    assert drf.json() == {
        "status": "ERROR",
        "message": "Something went wrong on our side; it has been logged.",
    }
    assert plain.status_code == 500
    assert plain.json()["status"] == "ERROR"
    occurrences = reported(fake_rollbar_server, 2)
    assert len(occurrences) == 2, server.output()
    by_request_id = {occurrence["custom"]["request_id"]: occurrence for occurrence in occurrences}
    assert set(by_request_id) == {drf.headers["X-Request-ID"], "crash-2"}
    for occurrence in occurrences:
        assert occurrence["environment"] == "staging"
        assert occurrence["framework"] == "django"
        assert occurrence["level"] == "error"
        assert occurrence["body"]["trace"]["exception"] == {"class": "RuntimeError", "message": "boom"}
    assert by_request_id["crash-2"]["request"]["url"].endswith("/test/plain-crash")
    assert by_request_id[drf.headers["X-Request-ID"]]["request"]["url"].endswith("/test/crash")
    # The token went in the header Rollbar expects, with the scope it needs.
    with fake_rollbar_server.state.lock:
        posts = [r for r in fake_rollbar_server.state.requests if r["method"] == "POST"]
    assert posts
    assert {r["token"] for r in posts} == {POST_TOKEN}


def test_client_errors_are_not_reported(gunicorn_server, fake_rollbar_server):
    server = crashing_server(gunicorn_server, fake_rollbar_server, ROLLBAR_NOTIFY_TOKEN=POST_TOKEN)

    assert requests.get(server.url + "/nowhere", timeout=10).status_code == 404
    assert requests.post(server.url + "/test/echo", json={"name": "too long"}, timeout=10).status_code == 400
    crash = requests.get(server.url + "/test/crash", timeout=10)

    # Only the crash arrives (given time for anything else to arrive too).
    reported(fake_rollbar_server, 1)
    time.sleep(0.5)
    occurrences = reported(fake_rollbar_server, 1)
    assert [o["custom"]["request_id"] for o in occurrences] == [crash.headers["X-Request-ID"]]


def test_nothing_is_reported_without_a_token(gunicorn_server, fake_rollbar_server):
    server = crashing_server(gunicorn_server, fake_rollbar_server, ROLLBAR_NOTIFY_TOKEN="")

    response = requests.get(server.url + "/test/crash", timeout=10)

    assert response.status_code == 500
    assert response.json()["status"] == "ERROR"
    time.sleep(1)
    assert reported(fake_rollbar_server, 1, seconds=0.1) == []
    with fake_rollbar_server.state.lock:
        assert fake_rollbar_server.state.requests == []


def test_a_report_holds_none_of_the_secrets_a_request_sent(gunicorn_server, fake_rollbar_server):
    server = crashing_server(gunicorn_server, fake_rollbar_server, ROLLBAR_NOTIFY_TOKEN=POST_TOKEN)
    csrf = secrets.token_hex(16)  # a CSRF secret Django accepts, so that the POSTs reach the view
    cookies = {"sessionid": "session-cookie-value", "csrftoken": csrf}
    headers = {
        "X-CSRFToken": csrf,
        "Authorization": "Bearer authorization-value",
        "X-Api-Key": "api-key-header-value",
        "X-Upstream-Token": "token-header-value",
        "X-Client-Secret": "secret-header-value",
        "X-Session-Id": "session-header-value",
        "X-Password": "password-header-value",
    }
    query = {"api_key": "query-key-value", "token": "query-token-value", "page": "query-page-value"}
    form = {"password": "form-password-value", "csrfmiddlewaretoken": csrf, "note": "form-field-value"}
    document = {"password": "json-password-value", "note": "json-field-value"}
    url = server.url + "/test/plain-crash"

    answers = [
        requests.post(url, params=query, data=form, headers=headers, cookies=cookies, timeout=10),
        requests.post(url, params=query, json=document, headers=headers, cookies=cookies, timeout=10),
    ]

    assert [answer.status_code for answer in answers] == [500, 500]
    occurrences = reported(fake_rollbar_server, 2)
    assert len(occurrences) == 2, server.output()
    for occurrence in occurrences:
        assert occurrence["request"]["url"] == url
        assert occurrence["request"]["method"] == "POST"
        assert all("locals" not in frame for frame in occurrence["body"]["trace"]["frames"])
    with fake_rollbar_server.state.lock:
        payloads = "".join(r["body"] for r in fake_rollbar_server.state.requests if r["method"] == "POST")
    values = {*cookies.values(), *headers.values(), *query.values(), *form.values(), *document.values()}
    assert [value for value in values if value in payloads] == []
