"""The Rollbar client against the fake Rollbar API: results, typed errors, retries, secrecy of tokens."""

import logging
import time

import pytest

from rollbar_items import client
from rollbar_items.tests.fake_rollbar import CLIENT_TOKEN, POST_TOKEN, READ_TOKEN, WRITE_TOKEN, FakeRollbar

TOKENS = (READ_TOKEN, WRITE_TOKEN, POST_TOKEN)


@pytest.fixture
def fake(fake_rollbar_server):
    fake_rollbar_server.state.reset()
    yield fake_rollbar_server
    fake_rollbar_server.state.reset()


def make_client(fake, **options):
    tokens = {"read_token": READ_TOKEN, "write_token": WRITE_TOKEN, "post_token": POST_TOKEN}
    return client.RollbarClient(fake.url, **{**tokens, "timeout": 2.0, **options})


def test_calls_send_the_scoped_token_in_the_header_and_unwrap_the_result(fake):
    item = fake.state.seed_items([{"title": "Boom"}])[0]
    rollbar = make_client(fake)
    assert rollbar.get_item(item["id"])["title"] == "Boom"
    assert rollbar.list_items(level=["error"])["total_count"] == 1
    assert rollbar.update_item(item["id"], {"status": "muted"}) == {"status": "muted"}
    sent = rollbar.create_occurrence({"data": {"environment": "test", "body": {"message": {"body": "hi"}}}})
    assert sent["id"] is None
    assert rollbar.get_item_by_uuid(sent["uuid"])["title"] == "hi"
    assert rollbar.top_active_items(hours=2, environments=["test"])[0]["item"]["title"] == "hi"
    used = [(r["method"], r["path"], r["token"]) for r in fake.state.requests]
    assert used == [
        ("GET", f"/item/{item['id']}", READ_TOKEN),
        ("GET", "/items/", READ_TOKEN),
        ("PATCH", f"/item/{item['id']}", WRITE_TOKEN),
        ("POST", "/item/", POST_TOKEN),
        ("GET", "/item/", READ_TOKEN),
        ("GET", "/reports/top_active_items", READ_TOKEN),
    ]
    assert all("access_token" not in r["query"] for r in fake.state.requests)


def test_a_missing_token_is_not_configured_naming_the_variable(fake):
    rollbar = client.RollbarClient(fake.url, read_token=READ_TOKEN)
    with pytest.raises(client.NotConfigured) as error:
        rollbar.update_item(1, {"status": "muted"})
    assert error.value.variable == "ROLLBAR_WRITE_TOKEN"
    assert "ROLLBAR_WRITE_TOKEN is not set" in error.value.message
    assert fake.state.requests == []


def test_unknown_item_is_not_found(fake):
    with pytest.raises(client.NotFound) as error:
        make_client(fake).get_item(424242)
    assert error.value.message == "Item not found in this project."


def test_a_validation_failure_is_invalid_with_rollbars_message(fake):
    with pytest.raises(client.Invalid) as error:
        make_client(fake).create_occurrence({"data": {"body": {"message": {"body": "x"}}}})
    assert error.value.status == 422
    assert error.value.message == "Invalid format. data.environment is a required property."


@pytest.mark.parametrize(("token", "status"), [("unknown-token-value", 403), (CLIENT_TOKEN, 403)])
def test_a_refused_token_is_auth_refused_without_the_token(fake, token, status):
    rollbar = client.RollbarClient(fake.url, read_token=token)
    with pytest.raises(client.AuthRefused) as error:
        rollbar.list_items()
    assert error.value.status == status
    assert error.value.variable == "ROLLBAR_READ_TOKEN"
    assert "refused the configured access token ROLLBAR_READ_TOKEN" in error.value.message
    assert token not in str(error.value)


def test_a_token_echoed_by_rollbar_is_scrubbed(fake):
    # Rollbar has been seen answering "access token not found: <token>".
    fake.state.force(403, f"access token not found: {READ_TOKEN}")
    with pytest.raises(client.AuthRefused) as error:
        make_client(fake).list_items()
    assert READ_TOKEN not in str(error.value)
    assert "access token not found: [token]" in str(error.value)


def test_5xx_is_retried_with_backoff_then_succeeds(fake):
    fake.state.seed_items(count=1)
    fake.state.force(503, "busy", times=2)
    assert make_client(fake, backoff=0.01).list_items()["total_count"] == 1
    assert len(fake.state.requests_to("/items/")) == 3


def test_5xx_that_persists_is_unavailable(fake):
    fake.state.force(500, "broken", times=10)
    with pytest.raises(client.Unavailable) as error:
        make_client(fake, backoff=0.01, retries=2).get_item(1)
    assert error.value.status == 500
    assert len(fake.state.requests) == 3


def test_posts_are_not_retried(fake):
    fake.state.force(502, "bad gateway", times=5)
    with pytest.raises(client.Unavailable):
        make_client(fake, backoff=0.01).create_occurrence(
            {"data": {"environment": "p", "body": {"message": {"body": "x"}}}}
        )
    assert len(fake.state.requests) == 1


def test_429_waits_for_the_window_when_it_is_short_then_retries(fake):
    fake.state.seed_items(count=1)
    fake.state.configure(rate_limit=1, rate_window=1)
    rollbar = make_client(fake)
    rollbar.list_items()
    started = time.monotonic()
    assert rollbar.list_items()["total_count"] == 1  # waited for the window to reset
    assert time.monotonic() - started >= 0.3
    assert [r["path"] for r in fake.state.requests] == ["/items/"] * 3


def test_429_with_a_long_window_gives_up_with_retry_after(fake):
    fake.state.configure(rate_limit=1, rate_window=60)
    rollbar = make_client(fake)
    rollbar.list_items()
    started = time.monotonic()
    with pytest.raises(client.RateLimited) as error:
        rollbar.list_items()
    assert time.monotonic() - started < 5  # no waiting a minute inside a request
    assert 55 <= error.value.retry_after <= 60


def test_rate_limit_wait_falls_back_to_the_reset_epoch(fake):
    reset = int(time.time()) + 30
    fake.state.force(
        429, "over", headers={"X-Rate-Limit-Remaining-Seconds": "", "X-Rate-Limit-Reset": str(reset)}
    )
    with pytest.raises(client.RateLimited) as error:
        make_client(fake, retries=0).list_items()
    assert 28 <= error.value.retry_after <= 30


def test_a_slow_rollbar_is_a_timeout(fake):
    fake.state.configure(response_delay=3.0)
    started = time.monotonic()
    with pytest.raises(client.Timeout) as error:
        make_client(fake, timeout=0.3).list_items()
    assert time.monotonic() - started < 2.5
    assert error.value.message == "Rollbar did not answer within 0.3 seconds."


def test_a_closed_port_is_unavailable():
    with FakeRollbar() as gone:
        url = gone.url
    with pytest.raises(client.Unavailable) as error:
        client.RollbarClient(url, read_token=READ_TOKEN, timeout=1).list_items()
    assert "could not be reached" in error.value.message


def test_tokens_never_appear_in_logs_or_repr(fake, caplog):
    caplog.set_level(logging.DEBUG)
    rollbar = make_client(fake, backoff=0.01)
    fake.state.seed_items(count=1)
    rollbar.list_items()
    fake.state.force(503, "down", times=5)
    with pytest.raises(client.Unavailable):
        rollbar.get_item(1)
    fake.state.force(403, f"access token not found: {READ_TOKEN}")
    with pytest.raises(client.AuthRefused):
        rollbar.list_items()
    fake.state.configure(response_delay=1.0)
    with pytest.raises(client.Timeout):
        make_client(fake, timeout=0.2).list_items()
    logged = caplog.text + repr(rollbar)
    assert "rollbar GET /items/ -> 200" in logged
    for token in TOKENS:
        assert token not in logged
