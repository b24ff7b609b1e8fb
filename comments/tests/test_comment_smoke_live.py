"""The original's smoke script, read from the README, run against a real gunicorn."""

import json
import re
import shlex
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.live

README = Path(__file__).resolve().parents[2] / "README.md"


def smoke_script() -> list[str]:
    """The `curl` lines of the README's comments section, in order."""
    text = README.read_text()
    section = re.search(r"<!-- section:comments -->(.*?)<!-- /section:comments -->", text, re.S).group(1)
    return [line for line in section.splitlines() if line.startswith("curl ")]


def as_request(line: str, base_url: str) -> dict:
    """The request curl makes for one line (`-X`, `-H`, `-d` and a host-relative URL)."""
    args = shlex.split(line)[1:]
    request = {"method": "GET", "headers": {}, "data": None}
    while args:
        arg = args.pop(0)
        if arg == "-X":
            request["method"] = args.pop(0)
        elif arg == "-H":
            name, value = args.pop(0).split(":", 1)
            request["headers"][name.strip()] = value.strip()
        elif arg == "-d":
            request["data"] = args.pop(0).encode()
            if request["method"] == "GET":
                request["method"] = "POST"  # curl -d implies POST
        elif not arg.startswith("-"):
            request["url"] = base_url + arg.removeprefix("localhost:8000")
    return request


def test_the_readme_holds_the_originals_six_posts_and_two_lists():
    lines = smoke_script()

    assert len(lines) == 8
    assert all(
        "/api/comment/new -X POST -H 'Content-Type: application/json' -d '" in line for line in lines[:6]
    )
    assert lines[6:] == [
        "curl -sv localhost:8000/api/comment/list/1",
        "curl -sv localhost:8000/api/comment/list/2",
    ]


def test_the_smoke_script_runs_against_gunicorn(gunicorn_server):
    server = gunicorn_server(workers=2)
    responses = [requests.request(timeout=10, **as_request(line, server.url)) for line in smoke_script()]
    posts, lists = responses[:6], responses[6:]

    for response, content_id in zip(posts, [1, 1, 1, 2, 2, 2], strict=True):
        assert response.status_code == 201, response.text
        assert response.json()["status"] == "SUCCESS"
        assert response.json()["message"] == f"comment created and associated with content_id {content_id}"

    first, second = (response.json() for response in lists)
    assert [(c["email"], c["comment"]) for c in first] == [
        ("alice@example.com", "first post!"),
        ("alice@example.com", "ok, now I am gonna say something more useful"),
        ("bob@example.com", "I agree"),
    ]
    assert [(c["email"], c["comment"]) for c in second] == [
        ("bob@example.com", "I guess this is a good thing"),
        ("charlie@example.com", "Indeed, dear Bob, I believe so as well"),
        ("eve@example.com", "Nah, you both are wrong"),
    ]
    assert all(r.headers["Content-Type"] == "application/json" for r in responses)
    assert [r.headers["X-Total-Count"] for r in lists] == ["3", "3"]

    missing = requests.get(server.url + "/api/comment/list/3", timeout=10)
    assert missing.status_code == 404
    assert missing.json() == {"status": "NOT-FOUND", "message": "content_id 3 not found"}


def test_comments_survive_a_restart(gunicorn_server):
    first = gunicorn_server(workers=1)
    body = json.dumps({"email": "alice@example.com", "comment": "still here?", "content_id": 1})
    headers = {"Content-Type": "application/json"}
    assert (
        requests.post(first.url + "/api/comment/new", data=body, headers=headers, timeout=10).status_code
        == 201
    )
    first.stop()

    second = gunicorn_server(workers=1)

    assert [c["comment"] for c in requests.get(second.url + "/api/comment/list/1", timeout=10).json()] == [
        "still here?"
    ]
