"""Rollbar failing again and again: its endpoints answer 503 at once, then one call tries again."""

import time

import pytest

from rollbar_items.services import BREAKER_FAILURES, rollbar_breaker

pytestmark = pytest.mark.django_db


def requests_to_rollbar(fake) -> int:
    return len(fake.state.requests_to("/"))


@pytest.mark.parametrize(("failure", "status"), [("down", 502), ("slow", 504)])
def test_after_failures_in_a_row_calls_are_503_without_asking(
    auth_client, fake_rollbar, settings, failure, status
):
    if failure == "down":
        fake_rollbar.state.force(500, "down", times=100)
    else:
        settings.ROLLBAR_TIMEOUT = 0.3
        fake_rollbar.state.configure(response_delay=1)

    answers = [auth_client.get("/items").status_code for _ in range(BREAKER_FAILURES)]
    asked = requests_to_rollbar(fake_rollbar)
    started = time.monotonic()
    response = auth_client.post("/items", {"message": "disk full"}, format="json")

    assert answers == [status] * BREAKER_FAILURES
    assert time.monotonic() - started < 0.5
    assert response.status_code == 503
    assert response.json()["status"] == "UNAVAILABLE"
    assert 30 <= int(response["Retry-After"]) <= 45
    assert f"within {response['Retry-After']} seconds" in response.json()["message"]
    assert requests_to_rollbar(fake_rollbar) == asked


def test_after_the_cool_down_one_call_tries_and_a_success_closes_it(auth_client, fake_rollbar):
    rollbar_breaker.reset_timeout = 0.3
    fake_rollbar.state.force(500, "down", times=3 * BREAKER_FAILURES)  # each GET tries three times
    for _ in range(BREAKER_FAILURES):
        auth_client.get("/items")
    assert auth_client.get("/items").status_code == 503

    time.sleep(0.4)
    assert auth_client.get("/items").status_code == 200
    assert rollbar_breaker.current_state == "closed"


def test_rollbars_answers_do_not_count(auth_client, fake_rollbar):
    for _ in range(BREAKER_FAILURES + 1):
        assert auth_client.get("/items/999999").status_code == 404
    fake_rollbar.state.force(403, "invalid access token", times=BREAKER_FAILURES + 1)
    for _ in range(BREAKER_FAILURES + 1):
        assert auth_client.get("/items").status_code == 502

    assert auth_client.get("/items").status_code == 200
