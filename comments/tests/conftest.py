"""Fixtures of the comments tests."""

import pytest

CREATE_URL = "/api/comment/new"


@pytest.fixture
def post_comment(api_client, db):
    """POST a JSON body to /api/comment/new; keyword arguments override a valid comment."""

    def post(body=None, **fields):
        if body is None:
            body = {"email": "alice@example.com", "comment": "first post!", "content_id": 1, **fields}
        return api_client.post(CREATE_URL, body, format="json")

    return post


@pytest.fixture
def comment_rate(settings):
    """Set the comments throttle rate for one test (read from settings on every request)."""

    def set_rate(rate):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "comments": rate},
        }

    return set_rate
