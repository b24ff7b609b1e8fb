"""SIGTERM while a request is in flight: the request completes, then gunicorn exits cleanly."""

import signal
import threading
import time

import pytest
import requests

from rollbar_items.tests.fake_rollbar import POST_TOKEN, READ_TOKEN, WRITE_TOKEN

pytestmark = pytest.mark.live


def test_sigterm_lets_the_request_in_flight_complete(gunicorn_server, fake_rollbar_server, token):
    fake_rollbar_server.state.seed_items(count=2)
    server = gunicorn_server(
        workers=1,
        ROLLBAR_API_URL=fake_rollbar_server.url,
        ROLLBAR_READ_TOKEN=READ_TOKEN,
        ROLLBAR_WRITE_TOKEN=WRITE_TOKEN,
        ROLLBAR_POST_TOKEN=POST_TOKEN,
        ROLLBAR_TIMEOUT=10,
    )
    fake_rollbar_server.state.configure(response_delay=2.5)  # the request spends its time waiting on Rollbar
    answers = []
    request = threading.Thread(
        target=lambda: answers.append(
            requests.get(server.url + "/items", headers={"Authorization": f"Token {token}"}, timeout=30)
        )
    )
    request.start()
    deadline = time.monotonic() + 10
    while not fake_rollbar_server.state.requests_to("/items") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fake_rollbar_server.state.requests_to("/items"), "the request never reached Rollbar"

    signalled = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    request.join(30)

    assert answers, "no answer"
    assert answers[0].status_code == 200, answers[0].text
    assert answers[0].json()["count"] == 2
    assert server.process.wait(30) == 0
    assert time.monotonic() - signalled < 10
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + "/which", timeout=2)
