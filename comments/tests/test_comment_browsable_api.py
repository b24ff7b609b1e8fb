"""The browsable API: comments show escaped, and the posting form is there for a browser."""

import pytest

from comments.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

HTML = {"HTTP_ACCEPT": "text/html"}


def test_the_list_page_escapes_html_in_comments(client):
    CommentFactory(content_id=1, comment="<script>alert(1)</script>")

    response = client.get("/api/comment/list/1", **HTML)

    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_the_page_of_the_create_endpoint_offers_the_form(client):
    response = client.get("/api/comment/new", **HTML)

    page = response.content.decode()
    assert response.status_code == 405
    assert response["Content-Type"].startswith("text/html")
    assert 'name="email"' in page
    assert '<textarea name="comment"' in page
    assert 'name="content_id"' in page


def test_a_form_post_from_the_browser_creates_the_comment(client):
    response = client.post(
        "/api/comment/new", {"email": "a@example.com", "comment": "<i>hi</i>", "content_id": "2"}, **HTML
    )

    assert response.status_code == 201
    assert "&lt;i&gt;hi&lt;/i&gt;" in response.content.decode()


def test_an_error_page_stays_json_for_a_json_client(client):
    response = client.get("/api/comment/list/3")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
