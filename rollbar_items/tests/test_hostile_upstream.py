"""What a broken or hostile Rollbar sends back leaks no token and breaks no answer (real HTTP, the fake)."""

import time
from urllib.parse import quote

import pytest

from rollbar_items.tests.fake_rollbar import READ_TOKEN

pytestmark = pytest.mark.django_db


def leaked_pieces(text: str, token: str, length: int = 8) -> set[str]:
    """The pieces of `token`, `length` characters long, found in `text` in any case."""
    text = text.lower()
    return {
        token[i : i + length] for i in range(len(token) - length + 1) if token[i : i + length].lower() in text
    }


@pytest.mark.parametrize(
    "echo",
    [
        pytest.param(f"access token not found: {READ_TOKEN.upper()}", id="upper-cased"),
        pytest.param(f"access token not found: {quote(READ_TOKEN + '/x', safe='')}", id="url-encoded"),
        pytest.param(f"access token not found: {READ_TOKEN.title()}", id="mixed-case"),
    ],
)
def test_a_token_echoed_in_another_form_is_redacted(auth_client, fake_rollbar, echo):
    fake_rollbar.state.force(403, echo)

    response = auth_client.get("/items")

    assert response.status_code == 502
    assert not leaked_pieces(response.content.decode(), READ_TOKEN)
    assert "[token]" in response.json()["message"]


def test_a_token_cut_by_the_200_character_limit_of_a_text_answer_is_redacted(auth_client, fake_rollbar):
    # A proxy's text page (not Rollbar's JSON) whose 200th character falls inside the token.
    page = "Forbidden. " + "." * (200 - len("Forbidden. ") - 12) + READ_TOKEN + " and more text"
    fake_rollbar.state.force(403, raw=page)

    response = auth_client.get("/items")

    assert response.status_code == 502
    assert not leaked_pieces(response.content.decode(), READ_TOKEN, length=6)


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e308", "-5", "99999999", "soon"])
def test_an_unbelievable_rate_limit_wait_is_a_503_with_a_sane_retry_after(auth_client, fake_rollbar, value):
    headers = {"X-Rate-Limit-Remaining-Seconds": value, "X-Rate-Limit-Reset": value, "Retry-After": value}
    fake_rollbar.state.force(429, "Over rate limit.", times=5, headers=headers)

    started = time.monotonic()
    response = auth_client.get("/items")

    assert response.status_code == 503
    assert response.json()["status"] == "UNAVAILABLE"
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert f"try again in {response['Retry-After']} seconds" in response.json()["message"]
    assert time.monotonic() - started < 3  # a wait Rollbar asks for is only waited out when short


def test_a_huge_retry_after_is_not_passed_on(auth_client, fake_rollbar):
    # Rollbar's own headers say nothing usable; its Retry-After asks for a day.
    headers = {"X-Rate-Limit-Remaining-Seconds": "", "X-Rate-Limit-Reset": "", "Retry-After": "86400"}
    fake_rollbar.state.force(429, "Over rate limit.", times=5, headers=headers)

    response = auth_client.get("/items")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
