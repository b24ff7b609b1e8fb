"""Every non-2xx answer is one JSON shape: unknown paths, wrong methods, bad bodies, crashes."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("core.tests.urls")]


def assert_error(response, status, word):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == word
    assert isinstance(body["message"], str) and body["message"]
    return body


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_unknown_path_is_a_json_404_for_every_method(api_client, method):
    body = assert_error(getattr(api_client, method)("/no/such/thing"), 404, "NOT-FOUND")
    assert "/no/such/thing" in body["message"]


def test_wrong_method_is_a_json_405(api_client):
    assert_error(api_client.delete("/which"), 405, "METHOD-NOT-ALLOWED")


def test_malformed_json_is_a_400(api_client):
    response = api_client.post("/test/echo", data="{not json", content_type="application/json")
    body = assert_error(response, 400, "INVALID")
    assert "JSON parse error" in body["message"]


def test_wrong_content_type_is_a_415(api_client):
    response = api_client.post("/test/echo", data="name=x", content_type="text/csv")
    assert_error(response, 415, "UNSUPPORTED-MEDIA-TYPE")


def test_validation_errors_come_per_field(api_client):
    response = api_client.post("/test/echo", {"name": "too long a name", "doors": -1}, format="json")
    body = assert_error(response, 400, "INVALID")
    assert set(body["errors"]) == {"name", "doors"}
    assert body["errors"]["doors"] == ["Ensure this value is greater than or equal to 0."]
    assert body["message"].startswith("Invalid input.")


def test_missing_fields_are_named(api_client):
    body = assert_error(api_client.post("/test/echo", {}, format="json"), 400, "INVALID")
    assert body["errors"] == {"name": ["This field is required."], "doors": ["This field is required."]}


def test_body_over_the_limit_is_a_413(api_client, settings):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = api_client.post("/test/echo", data=big, content_type="application/json")
    body = assert_error(response, 413, "TOO-LARGE")
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in body["message"]


def test_unhandled_error_in_an_api_view_is_a_json_500():
    response = Client(raise_request_exception=False).get("/test/crash")
    body = assert_error(response, 500, "ERROR")
    assert "boom" not in body["message"]  # no internals leak


def test_unhandled_error_in_a_plain_view_is_a_json_500():
    response = Client(raise_request_exception=False).get("/test/plain-crash")
    assert_error(response, 500, "ERROR")


def test_a_browser_gets_the_browsable_page_for_an_error(api_client):
    response = api_client.get("/no/such/thing", HTTP_ACCEPT="text/html")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"NOT-FOUND" in response.content
