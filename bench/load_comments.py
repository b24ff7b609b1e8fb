"""Load test of the comments service: concurrent posts and list reads, then nothing lost, nothing failed.

Usage:
    .venv/bin/python bench/load_comments.py                 # 60 s, the figures in docs/performance.md
    .venv/bin/python bench/load_comments.py --duration 10   # the short form CI runs

It creates a fresh PostgreSQL database, migrates it, starts a real gunicorn with several workers on
it, and for `--duration` seconds has `--writers` threads post comments and `--readers` threads read
comment lists (pages included) at full speed. Then it checks that the number of comments stored is
the number of 201 answers, that every acknowledged comment is stored exactly once, and that no
request failed (no connection error, no 5xx, no unexpected status). It prints its figures and exits
non-zero on any discrepancy.
"""

import argparse
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg
import requests

BASE_DIR = Path(__file__).resolve().parent.parent
CONTENT_IDS = 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(server_url: str, name: str) -> None:
    admin = psycopg.connect(f"{server_url}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def drop_database(server_url: str, name: str) -> None:
    admin = psycopg.connect(f"{server_url}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


class Stats:
    """Per-kind answer counts and latencies, shared by the load threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: dict[str, Counter] = {"write": Counter(), "read": Counter()}
        self.latencies: dict[str, list[float]] = {"write": [], "read": []}
        self.failures: list[str] = []
        self.acknowledged: list[tuple[int, str]] = []  # (content_id, text) of every 201

    def record(self, kind: str, status, seconds: float, failure: str | None = None):
        with self.lock:
            self.statuses[kind][status] += 1
            self.latencies[kind].append(seconds)
            if failure and len(self.failures) < 20:
                self.failures.append(failure)


def writer(url: str, stop: threading.Event, stats: Stats, number: int):
    session = requests.Session()
    sequence = 0
    while not stop.is_set():
        sequence += 1
        content_id = random.randint(1, CONTENT_IDS)
        text = f"load w{number} #{sequence} {secrets.token_hex(4)}"
        body = {"email": f"writer{number}@example.com", "comment": text, "content_id": content_id}
        started = time.perf_counter()
        try:
            response = session.post(url + "/api/comment/new", json=body, timeout=30)
        except requests.RequestException as error:
            stats.record("write", "error", time.perf_counter() - started, f"POST: {error}")
            continue
        seconds = time.perf_counter() - started
        ok = response.status_code == 201
        stats.record("write", response.status_code, seconds, None if ok else f"POST {response.status_code}")
        if ok:
            with stats.lock:
                stats.acknowledged.append((content_id, text))


def reader(url: str, stop: threading.Event, stats: Stats):
    session = requests.Session()
    while not stop.is_set():
        path = f"/api/comment/list/{random.randint(1, CONTENT_IDS)}"
        if random.random() < 0.3:
            path += f"?page={random.randint(1, 3)}&page_size=5"
        started = time.perf_counter()
        try:
            response = session.get(url + path, timeout=30)
        except requests.RequestException as error:
            stats.record("read", "error", time.perf_counter() - started, f"GET {path}: {error}")
            continue
        # 404: no comment on that content yet, or a page past the end (SPEC): an answer, not a failure.
        ok = response.status_code == 200 or (
            response.status_code == 404 and response.json().get("status") == "NOT-FOUND"
        )
        stats.record(
            "read",
            response.status_code,
            time.perf_counter() - started,
            None if ok else f"GET {path} {response.status_code}",
        )


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--writers", type=int, default=6, help="threads posting comments (default 6)")
    parser.add_argument("--readers", type=int, default=6, help="threads reading lists (default 6)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL, without a database name",
    )
    parser.add_argument("--database", default="load_comments", help="database to (re)create for the run")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)

    database_url = f"{args.postgres}/{args.database}"
    recreate_database(args.postgres, args.database)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_LOG_LEVEL": "warning",
        # Every client here is 127.0.0.1: the per-address limit would measure the throttle, not the service.
        "COMMENTS_THROTTLE_RATE": "1000000/min",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(args.workers),
    }
    env.pop("CACHE_URL", None)  # throttle counters in process memory: nothing shared needed here
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True
    )
    log_path = Path(tempfile.gettempdir()) / "load_comments.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url + "/check", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print(f"gunicorn did not start; see {log_path}", file=sys.stderr)
                return 2
            time.sleep(0.2)

        stats = Stats()
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(url, stop, stats, n)) for n in range(args.writers)]
        threads += [threading.Thread(target=reader, args=(url, stop, stats)) for _ in range(args.readers)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.duration)
        stop.set()
        for thread in threads:
            thread.join(60)
        elapsed = time.monotonic() - started
        assert server.poll() is None, "gunicorn died during the run"

        connection = psycopg.connect(database_url)
        with connection.cursor() as cursor:
            cursor.execute("SELECT content_id, comment FROM comments_comment")
            stored = Counter(cursor.fetchall())
        connection.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
        log.close()
        if not args.keep:
            drop_database(args.postgres, args.database)

    acknowledged = Counter(stats.acknowledged)
    created = stats.statuses["write"][201]
    failed = sum(stats.statuses["write"].values()) - created
    failed += sum(n for status, n in stats.statuses["read"].items() if status not in (200, 404))

    print(
        f"load_comments: {elapsed:.1f} s, {args.workers} gunicorn workers on PostgreSQL, "
        f"{args.writers} writer and {args.readers} reader threads"
    )
    for kind in ("write", "read"):
        latencies = stats.latencies[kind]
        count = len(latencies)
        ms = {
            name: percentile(latencies, q) * 1000 for name, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
        }
        print(
            f"  {kind:5s}: {count:7d} requests, {count / elapsed:7.1f}/s, "
            + ", ".join(f"{name} {value:6.1f} ms" for name, value in ms.items())
            + f", max {max(latencies, default=0) * 1000:6.1f} ms"
            + f", answers {dict(sorted(stats.statuses[kind].items(), key=str))}"
        )
        if count:
            print(f"         mean {statistics.fmean(latencies) * 1000:.1f} ms")
    print(f"  201 answers: {created}, comments stored: {sum(stored.values())}, failed requests: {failed}")

    problems = []
    if sum(stored.values()) != created:
        problems.append(f"stored {sum(stored.values())} comments for {created} answers 201")
    if stored != acknowledged:
        problems.append(
            f"{len(acknowledged - stored)} acknowledged comments missing, "
            f"{len(stored - acknowledged)} stored without a 201"
        )
    if failed:
        problems.append(f"{failed} requests failed: {stats.failures[:5]}")
    if created == 0:
        problems.append("no comment was created")
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    if not problems:
        print("OK: every 201 is stored exactly once, no request failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
