"""POST /api/comment/new is limited per client IP: a burst beyond the rate answers 429 with Retry-After."""

import re

import pytest

from comments.models import Comment

pytestmark = pytest.mark.django_db

# Day-long windows: a test never straddles two windows, as it could with a rate per minute.
RATE = "3/day"


def test_a_burst_beyond_the_rate_answers_429_in_the_error_shape(post_comment, comment_rate):
    comment_rate(RATE)

    statuses = [post_comment(comment=f"comment {n}").status_code for n in range(3)]
    response = post_comment(comment="one too many")

    assert statuses == [201, 201, 201]
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 86_400
    assert response.json() == {
        "status": "THROTTLED",
        "message": f"Too many requests; try again in {retry_after} seconds.",
    }
    assert Comment.objects.count() == 3


def test_the_limit_holds_for_every_further_request_of_the_window(post_comment, comment_rate):
    comment_rate("1/day")
    post_comment()

    assert [post_comment().status_code for _ in range(5)] == [429] * 5
    assert Comment.objects.count() == 1


def test_each_client_ip_has_its_own_allowance(api_client, db, comment_rate):
    comment_rate("1/day")
    body = {"email": "a@example.com", "comment": "hi", "content_id": 1}

    first = api_client.post("/api/comment/new", body, REMOTE_ADDR="10.0.0.1")
    again = api_client.post("/api/comment/new", body, REMOTE_ADDR="10.0.0.1")
    other = api_client.post("/api/comment/new", body, REMOTE_ADDR="10.0.0.2")

    assert (first.status_code, again.status_code, other.status_code) == (201, 429, 201)


def test_invalid_posts_count_against_the_allowance_too(post_comment, comment_rate):
    comment_rate("2/day")

    assert post_comment(email="nope").status_code == 400
    assert post_comment(email="nope").status_code == 400
    assert post_comment().status_code == 429


def test_reading_is_not_throttled(api_client, post_comment, comment_rate):
    comment_rate("1/day")
    post_comment()
    assert post_comment().status_code == 429

    assert [api_client.get("/api/comment/list/1").status_code for _ in range(5)] == [200] * 5


def test_the_rate_is_read_from_the_setting_on_each_request(post_comment, comment_rate):
    comment_rate("1/day")
    post_comment()
    assert post_comment().status_code == 429

    comment_rate("5/day")

    assert post_comment().status_code == 201


def test_a_cache_that_is_down_lets_comments_through(post_comment, comment_rate, settings, caplog):
    comment_rate("1/day")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }

    statuses = [post_comment().status_code for _ in range(3)]

    assert statuses == [201, 201, 201]
    assert "throttle comments: cache unreachable, request let through" in caplog.text


def test_the_default_rate_is_sixty_a_minute():
    from django.conf import settings

    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["comments"]
    assert re.fullmatch(r"60/min", rate)


def test_sending_x_forwarded_for_does_not_buy_a_fresh_allowance(api_client, db, comment_rate):
    comment_rate("1/day")
    body = {"email": "a@example.com", "comment": "hi", "content_id": 1}

    statuses = [
        api_client.post("/api/comment/new", body, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]

    assert statuses == [201, 429, 429]
