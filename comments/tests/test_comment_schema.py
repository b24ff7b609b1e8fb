"""The OpenAPI schema describes the comments endpoints as they answer."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError

from comments.serializers import COMMENT_PATTERN, CONTENT_ID_PATTERN, CommentTextField, content_id_error

MAX = 2**63 - 1


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_the_list_is_documented_as_an_array_with_its_paging_headers(schema):
    ok = schema["paths"]["/api/comment/list/{content_id}/"]["get"]["responses"]["200"]

    body = ok["content"]["application/json"]["schema"]
    if "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert body["type"] == "array"
    assert body["items"] == {"$ref": "#/components/schemas/Comment"}
    assert set(ok["headers"]) == {"X-Total-Count", "Link"}


def test_every_operation_documents_its_errors(schema):
    operations = {
        ("post", "/api/comment/new/"): {"201", "400", "413", "415", "429"},
        ("get", "/api/comment/list/{content_id}/"): {"200", "400", "404"},
        ("get", "/api/comment/{id}/"): {"200", "404"},
        ("delete", "/api/comment/{id}/"): {"200", "401", "403", "404"},
    }
    for (method, path), codes in operations.items():
        assert codes <= set(schema["paths"][path][method]["responses"]), (method, path)


def test_the_body_of_a_new_comment_is_documented_with_its_rules(schema):
    body = schema["components"]["schemas"]["CommentCreateRequest"]

    assert set(body["required"]) == {"email", "comment", "content_id"}
    assert body["properties"]["comment"]["maxLength"] == 10_000
    assert body["properties"]["comment"]["pattern"] == COMMENT_PATTERN
    assert body["properties"]["content_id"]["oneOf"] == [
        {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX},
        {"type": "string", "pattern": CONTENT_ID_PATTERN},
    ]


@given(st.one_of(st.integers(min_value=-(2**64), max_value=2**64), st.integers(MAX - 10**6, MAX + 10**6)))
def test_the_published_content_id_pattern_accepts_exactly_what_the_api_accepts(number):
    text = str(number)

    assert (
        bool(re.fullmatch(CONTENT_ID_PATTERN, text))
        == (content_id_error(text) is None)
        == (1 <= number <= MAX)
    )


@given(
    st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(" \t\n\x00\u3000")), max_size=6)
)
def test_the_published_blank_rule_is_the_one_the_api_applies(text):
    try:
        CommentTextField().run_validation(text)
        accepted = True
    except ValidationError:
        accepted = False

    assert accepted == bool(re.fullmatch(COMMENT_PATTERN, text))
