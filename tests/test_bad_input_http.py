"""Bad input that only a real HTTP server sees: chunked bodies, over-long URLs and headers, broken HTTP.

gunicorn answers the transport-level errors itself, in its own words, before Django sees them;
chunked bodies reach Django without a Content-Length (core/middleware.py reads them).
"""

import json
import socket

import pytest
import requests

from tests.conftest import assert_error

pytestmark = pytest.mark.live

LIMIT = 1024 * 1024  # DATA_UPLOAD_MAX_MEMORY_SIZE by default
JSON = {"Content-Type": "application/json"}


def chunks(comment_chunks: int, chunk: bytes = b"x" * 65536):
    yield b'{"email": "a@example.com", "content_id": 3, "comment": "'
    for _ in range(comment_chunks):
        yield chunk
    yield b'"}'


@pytest.fixture
def server(gunicorn_server):
    return gunicorn_server(workers=1)


def test_a_chunked_body_is_read_like_any_other(server):
    response = requests.post(
        server.url + "/api/comment/new", data=chunks(2, b"y" * 4000), headers=JSON, timeout=10
    )

    assert response.status_code == 201, response.text
    assert response.json()["comment"]["comment"] == "y" * 8000
    assert len(requests.get(server.url + "/api/comment/list/3", timeout=10).json()) == 1


def test_a_chunked_body_over_the_limit_is_413_and_stores_nothing(server):
    response = requests.post(
        server.url + "/api/comment/new", data=chunks(LIMIT // 65536 + 1), headers=JSON, timeout=30
    )

    assert assert_error(response, 413)["status"] == "TOO-LARGE"
    assert_error(requests.get(server.url + "/api/comment/list/3", timeout=10), 404)


def test_a_declared_body_over_the_limit_is_413(server):
    response = requests.post(
        server.url + "/api/comment/new",
        data=b"{" + b" " * LIMIT + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert assert_error(response, 413)["status"] == "TOO-LARGE"


def answered_by_django(server) -> list[tuple[str, int]]:
    """(path, status) of each request Django answered (it logs one line each), but the start-up probe."""
    events = [json.loads(line) for line in server.output().splitlines()]
    answered = [e for e in events if e["logger"] == "core.request"]
    return [(e["path"], e["status"]) for e in answered if e["path"] != "/check"]


def test_long_urls_and_headers_are_refused_by_gunicorn(server):
    assert requests.get(server.url + "/cars", params={"search": "x" * 3000}, timeout=10).status_code == 200
    for length in (8000, 100_000):
        response = requests.get(server.url + "/cars", params={"search": "x" * length}, timeout=10)
        assert response.status_code == 414
    assert requests.get(server.url + "/cars", headers={"X-Big": "y" * 9000}, timeout=10).status_code == 431
    many = {f"X-H{i}": "y" for i in range(150)}
    assert requests.get(server.url + "/cars", headers=many, timeout=10).status_code == 431
    assert answered_by_django(server) == [("/cars", 200)]


BROKEN_HTTP = [
    b"GET /cars HTTP/9.9\r\nHost: x\r\n\r\n",
    b"G@T /cars HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /cars HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    b"POST /api/comment/new HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
]


def send_raw(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_broken_http_is_refused_by_gunicorn(server):
    for raw in BROKEN_HTTP:
        answer = send_raw(server.port, raw)
        status = int(answer.split()[1])
        assert 400 <= status < 500, answer
    assert answered_by_django(server) == []


def test_a_malformed_chunk_is_refused_by_gunicorn(server):
    """config/wsgi.py reads a chunked body; a malformed chunk is gunicorn's 400, never a 5xx."""
    raw = b"POST /api/comment/new HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    raw += b"ZZ\r\nab\r\n0\r\n\r\n"
    assert int(send_raw(server.port, raw).split()[1]) == 400
    assert "/api/comment/new" not in [path for path, _ in answered_by_django(server)]
