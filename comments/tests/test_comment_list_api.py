"""GET /api/comment/list/<content_id>: a plain array, oldest first, paged through headers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

MAX = 2**63 - 1


def test_the_list_is_a_json_array_oldest_first(api_client, post_comment):
    post_comment(email="alice@example.com", comment="first post!", content_id=1)
    post_comment(email="bob@example.com", comment="I agree", content_id=1)
    post_comment(email="eve@example.com", comment="elsewhere", content_id=2)

    response = api_client.get("/api/comment/list/1")

    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert [(c["email"], c["comment"], c["content_id"]) for c in body] == [
        ("alice@example.com", "first post!", 1),
        ("bob@example.com", "I agree", 1),
    ]
    assert set(body[0]) == {"id", "email", "comment", "content_id", "created_at"}
    assert body[0]["id"] < body[1]["id"]
    assert body[0]["created_at"] <= body[1]["created_at"]
    assert response["X-Total-Count"] == "2"
    assert "Link" not in response


def test_each_item_is_the_stored_comment(api_client):
    comment = CommentFactory(content_id=9, email="carol@example.com", comment="Hello")

    assert api_client.get("/api/comment/list/9").json() == [
        {
            "id": comment.pk,
            "email": "carol@example.com",
            "comment": "Hello",
            "content_id": 9,
            "created_at": comment.created_at.isoformat().replace("+00:00", "Z"),
        }
    ]


def test_a_trailing_slash_works_too(api_client):
    CommentFactory(content_id=1)

    assert api_client.get("/api/comment/list/1/").status_code == 200


def test_reading_needs_no_login(api_client):
    CommentFactory(content_id=1)

    assert api_client.get("/api/comment/list/1").status_code == 200


def test_a_content_id_without_comments_answers_404(api_client):
    CommentFactory(content_id=1)

    response = api_client.get("/api/comment/list/3")

    assert response.status_code == 404
    assert response.json() == {"status": "NOT-FOUND", "message": "content_id 3 not found"}


def test_the_largest_content_id_is_a_valid_id_too(api_client):
    assert api_client.get(f"/api/comment/list/{MAX}").json() == {
        "status": "NOT-FOUND",
        "message": f"content_id {MAX} not found",
    }


@pytest.mark.parametrize(
    ("content_id", "message"),
    [
        ("abc", "A valid integer is required."),
        ("1.5", "A valid integer is required."),
        ("1e3", "A valid integer is required."),
        ("true", "A valid integer is required."),
        ("%20", "A valid integer is required."),
        ("0", "Ensure this value is greater than or equal to 1."),
        ("-1", "Ensure this value is greater than or equal to 1."),
        (str(MAX + 1), f"Ensure this value is less than or equal to {MAX}."),
        ("9" * 400, f"Ensure this value is less than or equal to {MAX}."),
        ("007", "Write the number without leading zeros."),
    ],
)
def test_an_id_that_is_not_a_positive_64_bit_integer_answers_400(api_client, content_id, message):
    response = api_client.get(f"/api/comment/list/{content_id}")

    assert response.status_code == 400
    assert response.json() == {
        "status": "INVALID",
        "message": f"Invalid input. content_id: {message}",
        "errors": {"content_id": [message]},
    }


def test_a_missing_id_answers_404_in_the_error_shape(api_client):
    response = api_client.get("/api/comment/list/")

    assert response.status_code == 404
    assert response.json()["status"] == "NOT-FOUND"


def test_the_list_ignores_ordering_and_search_parameters(api_client):
    CommentFactory(content_id=1, email="zed@example.com")
    CommentFactory(content_id=1, email="amy@example.com")

    body = api_client.get("/api/comment/list/1?ordering=email&search=amy").json()

    assert [c["email"] for c in body] == ["zed@example.com", "amy@example.com"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_to_the_list_answers_405(api_client, method):
    response = getattr(api_client, method)("/api/comment/list/1")

    assert response.status_code == 405
    assert response.json()["status"] == "METHOD-NOT-ALLOWED"


class TestPaging:
    @pytest.fixture
    def comments(self):
        return CommentFactory.create_batch(45, content_id=4)

    def test_a_long_list_comes_in_pages_of_20_with_links_and_the_total(self, api_client, comments):
        response = api_client.get("/api/comment/list/4")

        assert [c["id"] for c in response.json()] == [c.pk for c in comments[:20]]
        assert response["X-Total-Count"] == "45"
        assert response["Link"] == '<http://testserver/api/comment/list/4?page=2>; rel="next"'

    def test_a_middle_page_links_both_ways(self, api_client, comments):
        response = api_client.get("/api/comment/list/4?page=2")

        assert [c["id"] for c in response.json()] == [c.pk for c in comments[20:40]]
        assert response["Link"] == (
            '<http://testserver/api/comment/list/4?page=3>; rel="next", '
            '<http://testserver/api/comment/list/4>; rel="prev"'
        )
        assert response["X-Total-Count"] == "45"

    def test_the_last_page_links_back_only(self, api_client, comments):
        response = api_client.get("/api/comment/list/4?page=3")

        assert [c["id"] for c in response.json()] == [c.pk for c in comments[40:]]
        assert response["Link"] == '<http://testserver/api/comment/list/4?page=2>; rel="prev"'
        assert response["X-Total-Count"] == "45"

    def test_page_size_is_chosen_by_the_client_and_kept_in_the_links(self, api_client, comments):
        response = api_client.get("/api/comment/list/4?page_size=10&page=2")

        assert [c["id"] for c in response.json()] == [c.pk for c in comments[10:20]]
        assert response["Link"] == (
            '<http://testserver/api/comment/list/4?page=3&page_size=10>; rel="next", '
            '<http://testserver/api/comment/list/4?page_size=10>; rel="prev"'
        )

    def test_a_full_last_page_has_no_next_link(self, api_client, comments):
        response = api_client.get("/api/comment/list/4?page_size=15&page=3")

        assert len(response.json()) == 15
        assert response["X-Total-Count"] == "45"
        assert 'rel="next"' not in response["Link"]

    def test_page_size_is_capped(self, api_client, settings):
        CommentFactory.create_batch(105, content_id=6)

        response = api_client.get("/api/comment/list/6?page_size=1000")

        assert len(response.json()) == 100
        assert response["X-Total-Count"] == "105"

    @pytest.mark.parametrize(
        ("query", "field", "message"),
        [
            ("page_size=0", "page_size", "Ensure this value is greater than or equal to 1."),
            ("page_size=-3", "page_size", "A valid integer is required."),
            ("page_size=abc", "page_size", "A valid integer is required."),
            ("page_size=null", "page_size", "A valid integer is required."),
            ("page_size=1.5", "page_size", "A valid integer is required."),
            ("page=0", "page", "Ensure this value is greater than or equal to 1."),
            ("page=-1", "page", "A valid integer is required."),
            ("page=abc", "page", "A valid integer is required."),
            ("page=1.5", "page", "A valid integer is required."),
            ("page=last", "page", "A valid integer is required."),
        ],
    )
    def test_a_page_or_size_that_is_not_a_positive_integer_answers_400(
        self, api_client, comments, query, field, message
    ):
        response = api_client.get(f"/api/comment/list/4?{query}")

        assert response.status_code == 400
        assert response.json() == {
            "status": "INVALID",
            "message": f"Invalid input. {field}: {message}",
            "errors": {field: [message]},
        }

    def test_an_empty_page_or_size_means_the_default(self, api_client, comments):
        response = api_client.get("/api/comment/list/4?page=&page_size=")

        assert len(response.json()) == 20

    @pytest.mark.parametrize("page", ["4", "99", "9" * 18, "9" * 19, "9" * 30, str(2**62)])
    def test_a_page_past_the_end_answers_404(self, api_client, comments, page):
        response = api_client.get(f"/api/comment/list/4?page={page}")

        assert response.status_code == 404
        assert response.json() == {"status": "NOT-FOUND", "message": "Invalid page."}

    def test_a_huge_page_size_is_capped_too(self, api_client, comments):
        response = api_client.get(f"/api/comment/list/4?page_size={'9' * 30}&page=2")

        assert response.status_code == 404
        assert len(api_client.get(f"/api/comment/list/4?page_size={'9' * 30}").json()) == 45

    def test_a_later_page_of_an_unknown_content_id_names_the_id(self, api_client, comments):
        response = api_client.get("/api/comment/list/5?page=2")

        assert response.json() == {"status": "NOT-FOUND", "message": "content_id 5 not found"}


@pytest.mark.parametrize(
    ("count", "query", "expected_queries"),
    [
        # One query when the list ends on this page ...
        (3, "", 1),
        (20, "", 1),
        (100, "?page_size=100", 1),
        (150, "?page=8", 1),
        # ... and a count besides when more follow.
        (21, "", 2),
        (150, "", 2),
        (150, "?page=2", 2),
        (1500, "?page_size=100&page=3", 2),
    ],
)
def test_a_list_costs_one_or_two_queries_however_long_it_is(api_client, count, query, expected_queries):
    CommentFactory.create_batch(count, content_id=8)

    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/comment/list/8{query}")

    assert response.status_code == 200
    assert response["X-Total-Count"] == str(count)
    assert len(queries) == expected_queries
