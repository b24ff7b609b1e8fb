"""The comment throttle in a real gunicorn, configured from the environment (COMMENTS_THROTTLE_RATE)."""

import pytest
import redis
import requests

pytestmark = pytest.mark.live

# The Redis database of the comments tests, flushed before and after use.
REDIS_URL = "redis://127.0.0.1:6379/3"


def post(base_url: str, session=None) -> requests.Response:
    body = {"email": "alice@example.com", "comment": "again", "content_id": 1}
    return (session or requests).post(f"{base_url}/api/comment/new", json=body, timeout=10)


def test_the_rate_comes_from_the_environment(gunicorn_server):
    server = gunicorn_server(workers=1, COMMENTS_THROTTLE_RATE="3/day")

    responses = [post(server.url) for _ in range(4)]

    assert [r.status_code for r in responses] == [201, 201, 201, 429]
    throttled = responses[-1]
    retry_after = int(throttled.headers["Retry-After"])
    assert 1 <= retry_after <= 86_400
    assert throttled.headers["Content-Type"] == "application/json"
    assert throttled.json() == {
        "status": "THROTTLED",
        "message": f"Too many requests; try again in {retry_after} seconds.",
    }
    assert len(requests.get(server.url + "/api/comment/list/1", timeout=10).json()) == 3


def test_with_redis_the_limit_is_exact_across_workers(gunicorn_server):
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    server = gunicorn_server(workers=3, COMMENTS_THROTTLE_RATE="5/day", CACHE_URL=REDIS_URL)

    # A new connection per request, so that the posts spread over the workers.
    statuses = [post(server.url).status_code for _ in range(12)]

    assert statuses == [201] * 5 + [429] * 7
    client.flushdb()
