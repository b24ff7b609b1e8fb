"""How Rollbar's failures read through the API: 404, 400, 502, 503 (+Retry-After), 504, never a token."""

import logging

import pytest

from rollbar_items.tests.fake_rollbar import POST_TOKEN, READ_TOKEN, WRITE_TOKEN, FakeRollbar

pytestmark = pytest.mark.django_db
TOKENS = (READ_TOKEN, WRITE_TOKEN, POST_TOKEN)


def assert_error(response, status, word):
    assert response.status_code == status
    body = response.json()
    assert body["status"] == word
    for token in TOKENS:
        assert token not in response.content.decode()
    return body["message"]


def test_rollbars_422_is_400_with_rollbars_message(auth_client, fake_rollbar):
    item = fake_rollbar.state.seed_items(count=1)[0]
    fake_rollbar.state.force(422, "Invalid format. title must be a string of 1 to 255 characters.")
    response = auth_client.patch(f"/items/{item['id']}", {"title": "ok"}, format="json")
    message = assert_error(response, 400, "INVALID")
    assert (
        message
        == "Rollbar rejected the request: Invalid format. title must be a string of 1 to 255 characters."
    )


def test_rollbars_400_is_400(auth_client, fake_rollbar):
    fake_rollbar.state.force(400, "Invalid or missing project id")
    message = assert_error(auth_client.get("/items"), 400, "INVALID")
    assert message.endswith("Invalid or missing project id")


def test_rollbars_404_is_404(auth_client, fake_rollbar):
    message = assert_error(auth_client.get("/items/31337"), 404, "NOT-FOUND")
    assert message == "item 31337 not found in the Rollbar project."


def test_a_wrong_base_url_is_404_saying_so(auth_client, fake_rollbar, settings):
    settings.ROLLBAR_API_URL = fake_rollbar.url + "/v9"
    message = assert_error(auth_client.get("/items"), 404, "NOT-FOUND")
    assert message == "Rollbar answered 404 (Not found); check ROLLBAR_API_URL."
    assert_error(auth_client.post("/reports", {}, format="json"), 404, "NOT-FOUND")


@pytest.mark.parametrize(
    ("setting", "value", "method", "path", "body"),
    [
        ("ROLLBAR_READ_TOKEN", "revoked-token-aaaaaaaaaaaaaaaaaa", "get", "/items", None),
        ("ROLLBAR_READ_TOKEN", WRITE_TOKEN, "get", "/items/1000", None),  # a token without the read scope
        ("ROLLBAR_WRITE_TOKEN", READ_TOKEN, "patch", "/items/1000", {"status": "muted"}),
        ("ROLLBAR_POST_TOKEN", "revoked-token-bbbbbbbbbbbbbbbbbb", "post", "/items", {"message": "x"}),
    ],
)
def test_a_refused_token_is_502_naming_the_setting_not_the_token(
    auth_client, fake_rollbar, settings, setting, value, method, path, body
):
    fake_rollbar.state.seed_items(count=1)
    setattr(settings, setting, value)
    response = getattr(auth_client, method)(path, body, format="json")
    message = assert_error(response, 502, "BAD-GATEWAY")
    assert f"Rollbar refused the configured access token {setting}" in message
    assert value not in response.content.decode()


def test_a_token_echoed_by_rollbar_never_reaches_the_client(auth_client, fake_rollbar):
    fake_rollbar.state.force(403, f"access token not found: {READ_TOKEN}")
    message = assert_error(auth_client.get("/items"), 502, "BAD-GATEWAY")
    assert "access token not found: [token]" in message


def test_rollbars_429_is_503_with_retry_after(auth_client, fake_rollbar):
    fake_rollbar.state.configure(rate_limit=2, rate_window=60)
    assert auth_client.get("/items").status_code == 200
    assert auth_client.get("/items").status_code == 200
    response = auth_client.get("/items")
    message = assert_error(response, 503, "UNAVAILABLE")
    retry_after = int(response["Retry-After"])
    assert 55 <= retry_after <= 60
    assert (
        message
        == f"Rollbar's rate limit for the access token is reached; try again in {retry_after} seconds."
    )


def test_a_short_rate_limit_window_is_waited_out_and_retried(auth_client, fake_rollbar):
    fake_rollbar.state.seed_items(count=2)
    fake_rollbar.state.configure(rate_limit=1, rate_window=1)
    assert auth_client.get("/items").status_code == 200
    response = auth_client.get("/items")
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert len(fake_rollbar.state.requests) == 3  # the refused call and its retry


def test_a_passing_5xx_is_retried_and_the_answer_is_200(auth_client, fake_rollbar):
    item = fake_rollbar.state.seed_items(count=1)[0]
    fake_rollbar.state.force(503, "Service Unavailable", times=1)
    assert auth_client.get(f"/items/{item['id']}").status_code == 200
    assert len(fake_rollbar.state.requests) == 2


def test_a_lasting_5xx_is_502(auth_client, fake_rollbar):
    fake_rollbar.state.force(500, "Internal error", times=10)
    message = assert_error(auth_client.get("/items"), 502, "BAD-GATEWAY")
    assert message == "Rollbar failed with HTTP 500."
    assert len(fake_rollbar.state.requests) == 3  # one call and two retries


def test_a_create_is_not_retried_on_5xx(auth_client, fake_rollbar):
    fake_rollbar.state.force(502, "Bad gateway", times=1)
    assert_error(auth_client.post("/items", {"message": "x"}, format="json"), 502, "BAD-GATEWAY")
    assert len(fake_rollbar.state.requests) == 1


def test_a_slow_rollbar_is_504(auth_client, fake_rollbar, settings):
    settings.ROLLBAR_TIMEOUT = 0.3
    fake_rollbar.state.configure(response_delay=1.0)
    message = assert_error(auth_client.get("/items"), 504, "TIMEOUT")
    assert message == "Rollbar did not answer within 0.3 seconds."


def test_an_unreachable_rollbar_is_502(auth_client, settings):
    with FakeRollbar() as gone:
        settings.ROLLBAR_API_URL = gone.url
    settings.ROLLBAR_READ_TOKEN = READ_TOKEN
    message = assert_error(auth_client.get("/items"), 502, "BAD-GATEWAY")
    assert message == f"Rollbar could not be reached at {settings.ROLLBAR_API_URL}."


@pytest.mark.parametrize(
    ("setting", "method", "path", "body"),
    [
        ("ROLLBAR_READ_TOKEN", "get", "/items", None),
        ("ROLLBAR_READ_TOKEN", "get", "/items/1", None),
        ("ROLLBAR_POST_TOKEN", "post", "/items", {"message": "x"}),
        ("ROLLBAR_WRITE_TOKEN", "put", "/items/1", {"status": "muted"}),
        ("ROLLBAR_READ_TOKEN", "post", "/reports", {}),
    ],
)
def test_no_token_configured_is_503_naming_the_variable(
    auth_client, fake_rollbar, settings, setting, method, path, body
):
    setattr(settings, setting, "")
    response = getattr(auth_client, method)(path, body, format="json")
    message = assert_error(response, 503, "UNAVAILABLE")
    assert message.startswith(f"{setting} is not set;")
    assert fake_rollbar.state.requests == []


def test_tokens_never_reach_the_logs(auth_client, fake_rollbar, settings, caplog):
    caplog.set_level(logging.DEBUG)
    fake_rollbar.state.seed_items(count=1)
    auth_client.get("/items")
    auth_client.post("/items", {"message": "x"}, format="json")
    auth_client.patch("/items/1000", {"status": "muted"}, format="json")
    fake_rollbar.state.force(403, f"access token not found: {READ_TOKEN}")
    auth_client.get("/items")
    fake_rollbar.state.force(500, "down", times=3)
    auth_client.get("/items")
    settings.ROLLBAR_TIMEOUT = 0.2
    fake_rollbar.state.configure(response_delay=0.5)
    auth_client.get("/items")
    assert "rollbar GET /items/ -> 200" in caplog.text
    for token in TOKENS:
        assert token not in caplog.text
