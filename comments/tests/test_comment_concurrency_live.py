"""Comments posted at once to several gunicorn workers: every accepted comment is listed exactly once."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

pytestmark = pytest.mark.live

THREADS = 8
POSTS_PER_THREAD = 25
CONTENT_ID = 77


def post_many(base_url: str, thread: int) -> list[tuple[int, dict]]:
    answers = []
    with requests.Session() as session:
        for n in range(POSTS_PER_THREAD):
            body = {
                "email": f"t{thread}@example.com",
                "comment": f"thread {thread} post {n}",
                "content_id": CONTENT_ID,
            }
            response = session.post(f"{base_url}/api/comment/new", json=body, timeout=30)
            answers.append((response.status_code, response.json()))
    return answers


def list_all(base_url: str) -> list[dict]:
    """Every page of the list, following the Link headers."""
    url, comments = f"{base_url}/api/comment/list/{CONTENT_ID}?page_size=100", []
    while url:
        response = requests.get(url, timeout=30)
        assert response.status_code == 200, response.text
        comments.extend(response.json())
        url = response.links.get("next", {}).get("url")
    assert int(response.headers["X-Total-Count"]) == len(comments)
    return comments


def test_concurrent_posts_are_neither_lost_nor_duplicated(gunicorn_server):
    server = gunicorn_server(workers=3, COMMENTS_THROTTLE_RATE="100000/min")

    with ThreadPoolExecutor(THREADS) as pool:
        answers = [a for batch in pool.map(lambda t: post_many(server.url, t), range(THREADS)) for a in batch]

    assert [status for status, _ in answers] == [201] * THREADS * POSTS_PER_THREAD, answers
    accepted = {body["comment"]["id"]: body["comment"]["comment"] for _, body in answers}
    listed = list_all(server.url)
    listed_ids = [c["id"] for c in listed]
    assert len(listed_ids) == len(set(listed_ids)) == THREADS * POSTS_PER_THREAD
    assert {c["id"]: c["comment"] for c in listed} == accepted
    assert listed_ids == sorted(listed_ids)  # oldest first
    # Each thread's own posts come back in the order it made them.
    for thread in range(THREADS):
        mine = [c["comment"] for c in listed if c["email"] == f"t{thread}@example.com"]
        assert mine == [f"thread {thread} post {n}" for n in range(POSTS_PER_THREAD)]
