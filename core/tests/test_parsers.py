"""JSON bodies: one nested too deep for the decoder is a 400 in the error shape, on every JSON endpoint."""

import pytest

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


# 1,100 levels (2.2 KB) is beyond the decoder's limit on Python 3.11 and 3.12; 100,000 (200 KB, under
# the body limit) beyond it on every version.
BODIES = [nested(1100), b'{"a": ' * 1100 + b"1" + b"}" * 1100, nested(100_000)]

JSON_ENDPOINTS = [
    "/api/comment/new",
    "/quote",
    "/api-auth/token/",
    "/cars",
    "/active",
]


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
@pytest.mark.parametrize("body", BODIES)
def test_deeply_nested_json_is_a_400(staff_client, path, body):
    assert_error(staff_client.post(path, data=body, content_type="application/json"), 400)


def test_the_400_says_why(api_client):
    response = api_client.post("/api/comment/new", data=nested(100_000), content_type="application/json")
    assert assert_error(response, 400)["message"] == "JSON parse error - the body is nested too deeply."


def test_ordinary_json_still_parses(api_client):
    response = api_client.post(
        "/api/comment/new",
        data=b'{"email": "a@example.com", "comment": "hi", "content_id": 1}',
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
