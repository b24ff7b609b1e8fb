#!/usr/bin/env python3
"""Failures under load, through the load balancer: the cluster of `make cluster`, broken on purpose.

    .venv/bin/python bench/failures.py            # the full run (at least 60 s)
    .venv/bin/python bench/failures.py --short    # CI: every phase, shorter

It starts a private PostgreSQL (initdb in a temporary folder, as user postgres, on a free port) and
a private Redis, so that restarting them harms nobody else on the machine, then the cluster of
scripts/cluster.py on them (PgBouncer, 3 instances, HAProxy). Client threads send a bounded mix of
reads and writes through HAProxy (comment posts, car creates and updates, availability lookups,
lists) while, in turn:

  steady     nothing breaks; the throttle and the shared cache are checked across instances
  rolling    each instance taken out of rotation, sent SIGTERM and started again: no failed request
  kill       one instance's processes SIGKILLed: failures no more than its workers (the requests in
             flight on it), HAProxy marks it DOWN within its check interval, and it rejoins once
             started again
  redis      Redis stopped and started: no 5xx (the cache fails open)
  postgres   PostgreSQL stopped for a few seconds: every 5xx is a 503 with Retry-After, none a 500,
             and every instance serves again without a restart
  final      nothing breaks; the shared cache is checked again

Then the database is compared with the answers: every comment answered 201 stored exactly once (and
none stored twice), every car answered 201 stored once, and each car holds the value of its last
update answered 200 (or of a later update whose answer was lost). A failure is a 5xx or a request
without an answer. It prints the counts per phase and exits 1 on any violation.

Each comment is posted from its own loopback address (127.x.y.z), as distinct clients would: the
comment throttle (per client address, counted in Redis) then limits the throttle check's client only.
"""

import argparse
import contextlib
import http.client
import itertools
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from scripts.cluster import BASE_DIR, Cluster, LogFiles, Process, as_user, free_port, wait_until  # noqa: E402

PG_BIN = Path(shutil.which("initdb") or "/usr/lib/postgresql/15/bin/initdb").resolve().parent
SERVICE_TOKEN = "failures-run-service-token"  # a throwaway token for a private cluster
THROTTLE_RATE = 10  # comments per minute and client address, for the throttle check
TIMEOUT = 40  # seconds a request may take: more than HAProxy's 35 s server timeout
CITIES = [("ni", "Leon"), ("ni", "Managua"), ("ni", "Granada"), ("cr", "San Jose"), ("zz", "Nowhere")]


class PrivatePostgres:
    """A PostgreSQL server of its own: initdb in `folder`, run as postgres, trust on 127.0.0.1."""

    def __init__(self, folder: Path, output):
        self.data = folder / "pgdata"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/app"
        user = "postgres" if os.geteuid() == 0 else None
        self.data.mkdir()
        if user:
            shutil.chown(self.data, user)
        subprocess.run(
            [*as_user(user), str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"],
            check=True,
            capture_output=True,
        )
        argv = [str(PG_BIN / "postgres"), "-D", str(self.data), "-p", str(self.port), "-k", str(self.data)]
        argv += ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=60"]
        self.process = Process("postgres", argv, env=dict(os.environ), output=output, user=user)

    def ready(self) -> bool:
        try:
            psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", connect_timeout=1).close()
            return True
        except psycopg.Error:
            return False

    def start(self) -> None:
        self.process.start()
        wait_until(self.ready, 30, "PostgreSQL accepting connections", interval=0.1)

    def stop(self) -> None:
        self.process.stop(signal.SIGINT, timeout=20)  # "fast" shutdown: open transactions are rolled back


class PrivateRedis:
    def __init__(self, output):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        argv = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.process = Process("redis", argv, env=dict(os.environ), output=output)

    def ready(self) -> bool:
        with socket.socket() as sock:
            sock.settimeout(1)
            if sock.connect_ex(("127.0.0.1", self.port)) != 0:
                return False
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def start(self) -> None:
        self.process.start()
        wait_until(self.ready, 10, "Redis answering")

    def stop(self) -> None:
        self.process.stop(signal.SIGTERM, timeout=10)


@dataclass
class Answer:
    status: int  # 0: no answer (connection reset, closed, timed out)
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


_sources = itertools.count(1)


def source_address() -> str:
    """A new loopback address (127.1.0.1, 127.1.0.2, ...): one client each."""
    n = next(_sources)
    return f"127.{1 + n // 65025}.{n // 255 % 255}.{n % 255 + 1}"


def call(port: int, method: str, path: str, body=None, headers=None, source: str | None = None) -> Answer:
    """One request on a new connection (no stale keep-alive connection can fail it)."""
    headers = {"Host": "127.0.0.1", "Connection": "close", **(headers or {})}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=TIMEOUT, source_address=(source, 0) if source else None
    )
    try:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    except (OSError, http.client.HTTPException) as error:
        return Answer(0, {}, repr(error).encode())
    finally:
        conn.close()


@dataclass
class Record:
    phase: str
    op: str
    status: int
    retry_after: bool
    started: float


@dataclass
class Ledger:
    """Everything the clients were answered, to compare with the database at the end."""

    records: list = field(default_factory=list)
    comments: dict = field(default_factory=dict)  # text -> status
    cars_created: dict = field(default_factory=dict)  # name -> status
    updates: dict = field(default_factory=lambda: defaultdict(list))  # car id -> [(name, status)]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)


class Load:
    """`clients` threads, together about `rate` requests a second, through HAProxy at `port`."""

    OPS = [
        ("comment_post", 3),
        ("car_create", 1),
        ("car_update", 2),
        ("car_read", 2),
        ("cars_list", 1),
        ("availability", 2),
        ("comment_list", 1),
    ]

    def __init__(self, port: int, token: str, cars: list[list[int]], run: str, clients: int, rate: float):
        self.port, self.token, self.cars, self.run = port, token, cars, run
        self.clients, self.interval = clients, clients / rate
        self.phase = "setup"
        self.in_flight = [None] * clients  # per client: the phase its request in flight started in
        self.ledger = Ledger()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(clients)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def client(self, n: int) -> None:
        rng = random.Random(n)
        ops, weights = zip(*self.OPS, strict=True)
        auth = {"Authorization": f"Token {self.token}"}
        for seq in itertools.count():
            if self.stop.is_set():
                return
            started = time.monotonic()
            phase, op = self.phase, rng.choices(ops, weights)[0]
            self.in_flight[n] = phase
            if op == "comment_post":
                text = f"fr-{self.run}-{n}-{seq}"
                body = {"email": f"c{n}@example.com", "comment": text, "content_id": 1 + seq % 20}
                answer = call(self.port, "POST", "/api/comment/new", body, source=source_address())
                self.ledger.comments[text] = answer.status
            elif op == "car_create":
                name = f"fr{self.run}-{n}-{seq}"
                answer = call(self.port, "POST", "/cars", {"name": name, "model": "M", "doors": 4}, auth)
                self.ledger.cars_created[name] = answer.status
            elif op == "car_update":
                car = rng.choice(self.cars[n])
                name = f"u{self.run}-{n}-{seq}"
                answer = call(
                    self.port, "PUT", f"/cars/{car}", {"name": name, "model": "U", "doors": 2}, auth
                )
                if answer.status == 200 and answer.json()["car"]["name"] != name:
                    answer.status = -1  # answered 200 with another value: a violation
                self.ledger.updates[car].append((name, answer.status))
            elif op == "car_read":
                answer = call(self.port, "GET", f"/cars/{rng.choice(self.cars[n])}")
            elif op == "cars_list":
                answer = call(self.port, "GET", f"/cars?page_size=10&page={1 + seq % 5}")
            elif op == "availability":
                country, city = rng.choice(CITIES)
                answer = call(self.port, "GET", f"/active?country={country}&city={city.replace(' ', '+')}")
            else:
                answer = call(self.port, "GET", f"/api/comment/list/{1 + seq % 20}")
            self.ledger.add(Record(phase, op, answer.status, "retry-after" in answer.headers, started))
            self.in_flight[n] = None
            self.stop.wait(max(0.0, self.interval - (time.monotonic() - started)))


EXPECTED = {  # statuses that are answers, not failures, per operation
    "comment_post": {201},
    "car_create": {201},
    "car_update": {200},
    "car_read": {200},
    "cars_list": {200},
    "availability": {200, 404},
    "comment_list": {200, 404},
}


class Run:
    def __init__(self, args):
        self.args = args
        self.short = args.short
        self.folder = Path(tempfile.mkdtemp(prefix="failures-"))
        self.folder.chmod(0o755)
        self.output = LogFiles(self.folder)
        self.violations: list[str] = []
        self.notes: list[str] = []
        self.run_id = f"{os.getpid()}"
        self.pg = PrivatePostgres(self.folder, self.output)
        self.redis = PrivateRedis(self.output)
        self.cluster = None

    def violation(self, message: str) -> None:
        self.violations.append(message)
        print(f"  VIOLATION: {message}", flush=True)

    def note(self, message: str) -> None:
        self.notes.append(message)
        print(f"  {message}", flush=True)

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_DEBUG": "false",
                "DJANGO_SECRET_KEY": "failures-run-secret-key-not-for-production-0123456789abcdefghij",
                "DJANGO_SECURE_SSL_REDIRECT": "false",
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                # Warnings and errors only: three instances logging every request cost CPU here.
                "DJANGO_LOG_LEVEL": "WARNING",
                "DD_TRACE_ENABLED": "false",
                "WEB_CONCURRENCY": str(self.args.workers),
                "COMMENTS_THROTTLE_RATE": f"{THROTTLE_RATE}/min",
                "AVAILABILITY_API_TOKEN": SERVICE_TOKEN,
            }
        )
        return env

    def sql(self, statement: str, *params):
        with psycopg.connect(self.pg.url, autocommit=True) as conn:
            return conn.execute(statement, params).fetchall()

    # --- setup ----------------------------------------------------------------------------------

    def setup(self) -> None:
        self.pg.start()
        self.redis.start()
        self.cluster = Cluster(
            size=self.args.size,
            port=free_port(),
            database_url=self.pg.url,
            cache_url=self.redis.url,
            env=self.env(),
            output=self.output,
        )
        self.cluster.release()
        shell = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", TOKEN_SCRIPT],
            cwd=BASE_DIR,
            env={**self.cluster.env, "DATABASE_URL": self.pg.url},
            capture_output=True,
            text=True,
            check=True,
        )
        self.token = shell.stdout.strip().splitlines()[-1]
        self.cluster.start()
        self.port = int(self.cluster.url.rsplit(":", 1)[1])
        auth = {"Authorization": f"Token {self.token}"}
        cars = []
        for n in range(self.args.clients):
            ids = []
            for k in range(3):
                body = {"name": f"own{self.run_id}-{n}-{k}", "model": "O", "doors": 3}
                ids.append(call(self.port, "POST", "/cars", body, auth).json()["car"]["id"])
            cars.append(ids)
        bearer = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
        answer = call(
            self.port, "POST", "/active", {"country": "zz", "city": "Nowhere", "active": True}, bearer
        )
        if answer.status not in (200, 201):
            raise RuntimeError(f"POST /active answered {answer.status}: {answer.body[:200]!r}")
        self.load = Load(self.port, self.token, cars, self.run_id, self.args.clients, self.args.rate)

    # --- checks across instances -------------------------------------------------------------------

    def check_shared_cache(self) -> None:
        """A location changed through one instance is seen through every other one at once."""
        bearer = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
        seen, stale = 0, 0
        instances = self.cluster.instances
        for writer, reader in itertools.permutations(instances, 2):
            path = "/active?country=zz&city=Nowhere"
            call(reader.port, "GET", path)  # now cached on the shared Redis, as seen by `reader`
            active = not call(reader.port, "GET", path).json()["active"]
            call(
                writer.port, "PUT", "/active", {"country": "zz", "city": "Nowhere", "active": active}, bearer
            )
            answer = call(reader.port, "GET", path)
            seen += 1
            if answer.status != 200 or answer.json()["active"] != active:
                stale += 1
        self.note(f"shared cache: {seen} changes through one instance read through another, {stale} stale")
        if stale:
            self.violation(f"{stale} location changes not seen through another instance")

    def check_throttle(self) -> None:
        """One client's comments, sent to the instances in turn, are counted together."""
        statuses = []
        instances = itertools.cycle(self.cluster.instances)
        for k in range(THROTTLE_RATE + 3):
            text = f"fr-{self.run_id}-throttle-{k}"
            body = {"email": "t@example.com", "comment": text, "content_id": 999}
            answer = call(
                next(instances).port, "POST", "/api/comment/new", body, {"X-Forwarded-For": "10.77.0.1"}
            )
            statuses.append(answer.status)
            if answer.status == 201:
                self.load.ledger.comments[text] = 201
        accepted = statuses.count(201)
        self.note(
            f"throttle: {len(statuses)} comments from one client across {len(self.cluster.instances)} "
            f"instances at {THROTTLE_RATE}/min: {accepted} accepted, {statuses.count(429)} answered 429"
        )
        if accepted != THROTTLE_RATE or statuses[THROTTLE_RATE:] != [429] * 3:
            self.violation(f"throttle not counted across instances: {statuses}")

    # --- phases ------------------------------------------------------------------------------------

    def phase(self, name: str) -> float:
        """Switch to phase `name` once no request of the previous one is still in flight, so that
        every request is judged by the rules of the phase it ran in."""
        previous, self.load.phase = self.load.phase, name
        wait_until(lambda: previous not in self.load.in_flight, TIMEOUT + 5, f"{previous} requests finished")
        print(f"[{time.strftime('%H:%M:%S')}] phase {name}", flush=True)
        return time.monotonic()

    def steady(self, name: str, seconds: float) -> None:
        started = self.phase(name)
        self.check_shared_cache()
        if name == "steady":
            self.check_throttle()
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))

    def rolling(self) -> None:
        started = self.phase("rolling")
        self.cluster.rolling_restart()
        self.note(
            f"rolling restart of {len(self.cluster.instances)} instances: {time.monotonic() - started:.1f}s"
        )

    def kill(self) -> None:
        self.phase("kill")
        victim = self.cluster.instances[1]
        server = self.cluster.server(victim)
        haproxy = self.cluster.haproxy
        in_flight = int(haproxy.stats()[server]["scur"])
        killed = time.monotonic()
        victim.process.kill_group()
        down = wait_until(lambda: haproxy.status(server) == "DOWN", 10, f"{server} DOWN", interval=0.05)
        limit = 2 * 1.0 + 1.0  # fall 2 x inter 1 s, plus one interval of slack
        self.note(
            f"kill: {victim.name} SIGKILLed ({in_flight} requests on it a moment before, at most "
            f"{self.args.workers}: HAProxy's maxconn for it); HAProxy marked it DOWN after {down:.1f}s"
        )
        if down > limit:
            self.violation(f"HAProxy took {down:.1f}s to mark the killed instance DOWN (limit {limit:.0f}s)")
        time.sleep(1 if self.short else 3)
        victim.start()
        victim.wait_ready()
        rejoined = wait_until(lambda: haproxy.status(server) == "UP", 15, f"{server} UP", interval=0.05)
        before = int(haproxy.stats()[server]["stot"])
        time.sleep(2)
        served = int(haproxy.stats()[server]["stot"]) - before
        self.note(
            f"kill: {victim.name} started again, UP after {rejoined:.1f}s, "
            f"then served {served} requests in 2s"
        )
        if served <= 0:
            self.violation(f"{victim.name} did not rejoin: no request routed to it after it was UP")
        self.kill_window = (killed, self.args.workers)

    def redis_restart(self) -> None:
        self.phase("redis")
        self.redis.stop()
        time.sleep(1.0)
        self.redis.start()
        time.sleep(2 if self.short else 4)

    def postgres_restart(self) -> None:
        self.phase("postgres")
        outage = 3 if self.short else 6
        self.pg.stop()
        stopped = time.monotonic()
        time.sleep(outage)
        self.pg.start()
        back = time.monotonic()
        car = self.load.cars[0][0]

        def serving(instance) -> bool:
            # Every worker of the instance: more requests than it has workers, all answered.
            return all(
                call(instance.port, "GET", f"/cars/{car}").status == 200 for _ in range(3 * self.args.workers)
            )

        for instance in self.cluster.instances:
            wait_until(lambda i=instance: serving(i), 30, f"{instance.name} serving again", interval=0.2)
        recovered = time.monotonic() - back
        self.note(
            f"postgres: down {back - stopped:.1f}s; every instance served again {recovered:.1f}s after it "
            f"was back, none restarted"
        )
        restarted = [i.name for i in self.cluster.instances if i.process.popen.returncode is not None]
        if restarted:
            self.violation(f"instances exited during the database outage: {restarted}")
        time.sleep(1)

    # --- verdict -------------------------------------------------------------------------------------

    def judge(self) -> None:
        records = self.load.ledger.records
        by_phase = defaultdict(list)
        for record in records:
            by_phase[record.phase].append(record)
        print("\nrequests through HAProxy, per phase:")
        print(f"  {'phase':<9} {'requests':>8} {'failed':>6} {'503+RA':>6} {'500':>4}  answers")
        for phase in ("steady", "rolling", "kill", "redis", "postgres", "final"):
            rows = by_phase.get(phase, [])
            failed = [r for r in rows if r.status == 0 or r.status >= 500 or r.status < 0]
            with_ra = [r for r in failed if r.status == 503 and r.retry_after]
            unexpected = [r for r in rows if 0 < r.status < 500 and r.status not in EXPECTED[r.op]]
            counts = Counter(r.status for r in rows)
            print(
                f"  {phase:<9} {len(rows):>8} {len(failed):>6} {len(with_ra):>6} "
                f"{counts.get(500, 0):>4}  {dict(sorted(counts.items()))}"
            )
            if unexpected:
                self.violation(f"{phase}: unexpected answers {Counter((r.op, r.status) for r in unexpected)}")
            if phase in ("steady", "rolling", "final") and failed:
                self.violation(f"{phase}: {len(failed)} failed requests where none may fail")
            if phase == "redis" and failed:
                self.violation(f"redis: {len(failed)} 5xx or unanswered requests while Redis restarted")
            if phase == "kill" and len(failed) > self.kill_window[1]:
                self.violation(f"kill: {len(failed)} failed, more than the {self.kill_window[1]} in flight")
            if phase == "postgres" and len(with_ra) != len(failed):
                self.violation(
                    f"postgres: {len(failed) - len(with_ra)} failures that are not 503 with Retry-After"
                )
        self.judge_writes()

    def judge_writes(self) -> None:
        ledger = self.load.ledger
        stored = dict(
            self.sql(
                "SELECT comment, count(*) FROM comments_comment WHERE comment LIKE %s GROUP BY 1",
                f"fr-{self.run_id}-%",
            )
        )
        answered = [t for t, s in ledger.comments.items() if s == 201]
        lost = [t for t in answered if stored.get(t, 0) != 1]
        doubled = [t for t, n in stored.items() if n > 1]
        ambiguous_stored = [t for t, s in ledger.comments.items() if s != 201 and stored.get(t)]
        print("\nwrites:")
        print(
            f"  comments: {len(ledger.comments)} posted, {len(answered)} answered 201, {len(stored)} stored "
            f"({len(ambiguous_stored)} of them answered a failure), "
            f"{len(lost)} answered 201 but not stored once, "
            f"{len(doubled)} stored twice"
        )
        if lost or doubled:
            self.violation(f"comments: {len(lost)} lost, {len(doubled)} stored twice")
        cars = dict(
            self.sql(
                "SELECT name, count(*) FROM cars_car WHERE name LIKE %s GROUP BY 1", f"fr{self.run_id}-%"
            )
        )
        created = [n for n, s in ledger.cars_created.items() if s == 201]
        bad = [n for n in created if cars.get(n, 0) != 1] + [n for n, c in cars.items() if c > 1]
        print(
            f"  cars: {len(ledger.cars_created)} created, {len(created)} answered 201, "
            f"{len(cars)} stored, {len(bad)} lost or doubled"
        )
        if bad:
            self.violation(f"cars: {len(bad)} created cars lost or doubled")
        rows = dict(self.sql("SELECT id, name FROM cars_car WHERE id = ANY(%s)", list(ledger.updates)))
        updates = sum(len(v) for v in ledger.updates.values())
        ok = sum(1 for v in ledger.updates.values() for _, s in v if s == 200)
        wrong = 0
        for car, history in ledger.updates.items():
            last_ok = max((i for i, (_, s) in enumerate(history) if s == 200), default=None)
            allowed = {history[last_ok][0]} if last_ok is not None else set()
            later = history[last_ok + 1 :] if last_ok is not None else history
            allowed |= {
                name for name, s in later if s == 0 or s >= 500
            }  # its answer was lost: may have happened
            if any(s < 0 for _, s in history) or (allowed and rows.get(car) not in allowed):
                wrong += 1
        print(
            f"  car updates: {updates} sent, {ok} answered 200, on {len(ledger.updates)} cars, "
            f"{wrong} cars not holding what was answered"
        )
        if wrong:
            self.violation(f"car updates: {wrong} cars do not hold their last update answered 200")

    def main(self) -> int:
        began = time.monotonic()
        try:
            self.setup()
            print(
                f"cluster of {self.args.size} instances x {self.args.workers} workers; load: "
                f"{self.args.clients} clients, about {self.args.rate:.0f} requests/s; logs in {self.folder}"
            )
            self.load.start()
            self.steady("steady", 3 if self.short else 10)
            self.rolling()
            self.kill()
            self.redis_restart()
            self.postgres_restart()
            loaded = time.monotonic() - began
            self.steady("final", 3 if self.short else max(8, 60 - loaded))
            self.load.finish()
            self.judge()
        finally:
            if self.cluster is not None:
                self.cluster.stop()
            self.redis.stop()
            self.pg.stop()
        print(
            f"\n{len(self.load.ledger.records)} requests in {time.monotonic() - began:.0f}s; "
            f"{len(self.violations)} violations"
        )
        if not self.violations and not self.args.keep_logs:
            shutil.rmtree(self.folder, ignore_errors=True)
        else:
            print(f"logs kept in {self.folder}")
        return 1 if self.violations else 0


TOKEN_SCRIPT = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
user, _ = get_user_model().objects.get_or_create(username="failures", defaults={"is_staff": True})
print(Token.objects.get_or_create(user=user)[0].key)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="every phase, shorter (CI)")
    parser.add_argument("--size", type=int, default=3, help="instances (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance (default 2)")
    parser.add_argument("--clients", type=int, default=6, help="client threads (default 6)")
    parser.add_argument(
        "--rate", type=float, default=40, help="requests per second, all clients (default 40)"
    )
    parser.add_argument("--keep-logs", action="store_true", help="keep the processes' logs")
    args = parser.parse_args()
    for tool in ("haproxy", "pgbouncer", "redis-server", "setpriv"):
        if shutil.which(tool) is None:
            print(f"bench/failures.py needs {tool}")
            return 2
    with contextlib.suppress(KeyboardInterrupt):
        return Run(args).main()
    return 130


if __name__ == "__main__":
    sys.exit(main())
