"""Slow clients through the buffering front: HAProxy (deploy/haproxy/haproxy.cfg) before gunicorn.

gunicorn's sync workers read a request's headers themselves, one connection per worker: three
clients sending one header line every few seconds hold every worker, and nobody else is served.
HAProxy holds those connections instead and passes a request on only once its headers are complete.
"""

import socket
import time

import pytest
import requests

from conftest import free_port
from scripts.cluster import Haproxy, LogFiles, wait_until

pytestmark = pytest.mark.live


def slow_client(port: int) -> socket.socket:
    """A connection that has sent a request line and one header, and will send the rest slowly."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=15)
    sock.sendall(b"GET /check HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    return sock


def drip(clients: list[socket.socket]) -> None:
    for n, sock in enumerate(clients):
        sock.sendall(f"X-Slow-{n}: {time.monotonic()}\r\n".encode())


@pytest.fixture
def front(gunicorn_server, tmp_path):
    """gunicorn with two sync workers, and HAProxy in front of it on another port."""
    server = gunicorn_server(workers=2)
    haproxy = Haproxy(
        {"web1": server.port},
        tmp_path,
        port=free_port(),
        host="127.0.0.1",
        output=LogFiles(tmp_path),
        maxconn=2,
    )
    haproxy.start()
    wait_until(lambda: haproxy.status("web1") == "UP", 15, "gunicorn UP behind HAProxy")
    yield server, haproxy
    haproxy.process.stop()


def test_three_slow_clients_through_the_front_delay_nobody(front):
    _, haproxy = front
    clients = [slow_client(haproxy.port) for _ in range(3)]
    try:
        timings = []
        for _ in range(3):  # about 7 s of attack: a header line from each every 3 s
            drip(clients)
            for _ in range(3):
                started = time.monotonic()
                response = requests.get(haproxy.url + "/check", timeout=5)
                timings.append(time.monotonic() - started)
                assert response.status_code == 200, response.text
            time.sleep(2)
        assert max(timings) < 1.0, timings
        # HAProxy ends each slow request once `timeout http-request` (10 s) has passed.
        clients[0].settimeout(10)
        answer = clients[0].recv(4096)
        assert answer.startswith(b"HTTP/1.1 408"), answer
    finally:
        for sock in clients:
            sock.close()


def test_the_same_slow_clients_straight_to_gunicorn_hold_every_worker(front):
    """What the front prevents: two slow clients on gunicorn itself leave no worker for /check."""
    server, _ = front
    clients = [slow_client(server.port) for _ in range(2)]
    try:
        time.sleep(0.5)  # each is now read by a worker
        with pytest.raises(requests.Timeout):
            requests.get(server.url + "/check", timeout=2)
    finally:
        for sock in clients:
            sock.close()
