"""POST /api/comment/new: what a client sees when a comment is accepted."""

import json

import pytest

from comments.models import Comment

from .conftest import CREATE_URL

pytestmark = pytest.mark.django_db


def test_a_comment_is_created_with_the_originals_message(post_comment):
    response = post_comment()

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "SUCCESS"
    assert body["message"] == "comment created and associated with content_id 1"
    comment = Comment.objects.get()
    assert body["comment"] == {
        "id": comment.pk,
        "email": "alice@example.com",
        "comment": "first post!",
        "content_id": 1,
        "created_at": comment.created_at.isoformat().replace("+00:00", "Z"),
    }
    assert response["Location"] == f"http://testserver/api/comment/{comment.pk}"


def test_the_message_names_the_content_id_of_the_comment(post_comment):
    response = post_comment(content_id=42)

    assert response.json()["message"] == "comment created and associated with content_id 42"
    assert Comment.objects.get().content_id == 42


def test_a_numeric_string_is_the_same_content_id(post_comment):
    response = post_comment(content_id="7")

    assert response.status_code == 201
    assert response.json()["comment"]["content_id"] == 7
    assert response.json()["message"] == "comment created and associated with content_id 7"


def test_the_largest_64_bit_content_id_is_accepted(post_comment):
    response = post_comment(content_id=2**63 - 1)

    assert response.status_code == 201
    assert Comment.objects.get().content_id == 2**63 - 1


def test_extra_fields_are_ignored(post_comment):
    response = post_comment(id=999, created_at="2000-01-01T00:00:00Z", author="mallory", status="x")

    assert response.status_code == 201
    comment = Comment.objects.get()
    assert comment.pk != 999
    assert comment.created_at.year != 2000
    assert set(response.json()["comment"]) == {"id", "email", "comment", "content_id", "created_at"}


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "He said \"hi\" and 'bye' \\ back\\slash",
        "  leading and trailing spaces and a newline\n",
        "Olá, comentário — ünïcödé 日本語 🎉👍🏽",
        "a",
        "x" * 10_000,
        "🎉" * 10_000,
        "line one\r\nline two\ttabbed",
    ],
    ids=["html", "quotes", "whitespace", "unicode", "one-char", "10000-chars", "10000-emoji", "crlf-tab"],
)
def test_text_is_stored_and_returned_exactly_as_sent(post_comment, api_client, text):
    response = post_comment(comment=text, content_id=5)

    assert response.status_code == 201
    assert response.json()["comment"]["comment"] == text
    assert Comment.objects.get().comment == text
    assert api_client.get("/api/comment/list/5").json()[0]["comment"] == text


def test_the_body_is_json_exactly_as_curl_sends_it(api_client, db):
    body = '{"email":"alice@example.com","comment":"first post!","content_id":1}'

    response = api_client.post(CREATE_URL, body, content_type="application/json")

    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"


def test_a_trailing_slash_works_too(api_client, db):
    response = api_client.post(
        CREATE_URL + "/", {"email": "a@example.com", "comment": "hi", "content_id": 1}, format="json"
    )

    assert response.status_code == 201
    assert Comment.objects.count() == 1


def test_a_browser_form_post_is_accepted(api_client, db):
    response = api_client.post(
        CREATE_URL,
        {"email": "a@example.com", "comment": "from a form", "content_id": "3"},
        format="multipart",
    )

    assert response.status_code == 201
    assert Comment.objects.get().content_id == 3


def test_posting_needs_no_login(api_client, db):
    response = api_client.post(CREATE_URL, {"email": "a@example.com", "comment": "hi", "content_id": 1})

    assert response.status_code == 201


def test_a_logged_in_user_posts_too(auth_client):
    response = auth_client.post(CREATE_URL, {"email": "a@example.com", "comment": "hi", "content_id": 1})

    assert response.status_code == 201


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_other_methods_answer_405_in_the_error_shape(api_client, db, method):
    response = getattr(api_client, method)(CREATE_URL)

    assert response.status_code == 405
    assert response.json() == {
        "status": "METHOD-NOT-ALLOWED",
        "message": f'Method "{method.upper()}" not allowed.',
    }
    assert "POST" in response["Allow"]


def test_malformed_json_answers_400(api_client, db):
    response = api_client.post(
        CREATE_URL, '{"email": "a@example.com", "comment":', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["status"] == "INVALID"
    assert response.json()["message"].startswith("JSON parse error")
    assert not Comment.objects.exists()


def test_a_json_array_body_answers_400(api_client, db):
    response = api_client.post(CREATE_URL, json.dumps([1, 2]), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


def test_an_unsupported_content_type_answers_415(api_client, db):
    response = api_client.post(CREATE_URL, "email=a@example.com", content_type="text/plain")

    assert response.status_code == 415
    assert response.json() == {
        "status": "UNSUPPORTED-MEDIA-TYPE",
        "message": 'Unsupported media type "text/plain" in request.',
    }


def test_an_oversized_body_answers_413(api_client, db, settings):
    body = json.dumps({"email": "a@example.com", "comment": "x" * 2_000_000, "content_id": 1})

    response = api_client.post(CREATE_URL, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["status"] == "TOO-LARGE"
    assert not Comment.objects.exists()
