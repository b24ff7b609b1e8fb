#!/usr/bin/env python3
"""Benchmark the application under gunicorn on PostgreSQL, alone or side by side with references.

Usage (from the project folder; `make bench` runs it with the project's virtualenv):

    make bench                                                   # the application alone
    make bench BENCH_ARGS="--reference ../shared/bench"          # alternated with Flask and bare WSGI
    .venv/bin/python bench/run.py --short                        # CI: one short round per scenario
    .venv/bin/python bench/run.py --scenarios cars_list,car_detail --rounds 5 --duration 10

What it does: creates its own PostgreSQL database (`bench_app`, dropped at the end), migrates it,
seeds it with the application's own commands (`seed_cars --count`, `seed_locations`,
`seed_conditions`) plus 100,000 comments loaded with COPY, starts `gunicorn config.wsgi` with
production settings (debug off, `--workers` sync workers, default 2, Redis cache), and runs each
scenario with `wrk` pinned to one CPU. With `--reference DIR` (a checkout of the shared reference
implementations, whose `setup.sh` made `DIR/.venv`), the Flask + SQLAlchemy and bare-WSGI
references are started beside it on their own database holding the same rows, and every round
alternates the targets (A B A B) so that noise on a shared machine hits them alike; ratios are
medians of per-round ratios.

With `--baseline DIR` (a checkout of an older commit of this project, run by `--baseline-venv`,
default DIR/.venv), that commit joins as the target `baseline`: its own database `bench_baseline`,
migrated and seeded by its own commands as above, the same environment and gunicorn settings, and
a Redis database of its own (`--baseline-cache-url`, default db 8); every scenario then prints
`xbaseline`, the median ratio app/baseline. For the commit issue 15 was filed at:

    git worktree add --detach ../baseline b4c6f22
    python3.11 -m venv ../baseline-venv && ../baseline-venv/bin/pip install -r ../baseline/requirements.txt
    .venv/bin/python bench/run.py --baseline ../baseline --baseline-venv ../baseline-venv

The `slow_upstream` step measures `GET /cars/<id>` and `GET /active` alone, then while 20 clients keep
calling `/quote` with the fake weather API hanging, and `/items` with the fake Rollbar hanging, on a
gunicorn with the application's default worker count (WEB_CONCURRENCY, else 2 x CPUs + 1, as
gunicorn.conf.py counts) unless `--workers` is given. Finally the `scale` step compares the first
page of `GET /cars` with 1,000 and 1,000,000 cars, and `seed_cars --count 1000000` with a COPY of
the same number of rows.

Needs: `wrk`, `taskset` (util-linux), PostgreSQL reachable at --pg (default postgres@127.0.0.1:5432),
Redis at --cache-url (default db 7). Only the standard library and psycopg (a project dependency).
"""

import argparse
import contextlib
import csv
import io
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
VENV_BIN = Path(sys.executable).parent

CARS = 1000
COMMENTS = 100_000
CONTENT_IDS = 1000  # 100 comments per content id: the comment list scenario reads one full page of 100
BIG_CARS = 1_000_000
QUOTE_BODY = {"sku": "AZ00001", "country": "ni", "city": "Leon"}
NEW_COMMENT = {"email": "bench@example.com", "comment": "posted by wrk", "content_id": 999999}

# name, method, path on the application, path on the references (None: not served there), body, status.
# The references answer bare lists without paging: their `cars` table holds exactly one page (100).
SCENARIOS = [
    ("active", "GET", "/active?country=ni&city=leon", "/active", None, 200),
    ("cars_list", "GET", "/cars?page_size=100", "/cars", None, 200),
    ("car_detail", "GET", "/cars/{car_id}", "/cars/50", None, 200),
    ("comment_new", "POST", "/api/comment/new", "/api/comment/new", NEW_COMMENT, 201),
    ("comment_list", "GET", "/api/comment/list/1?page_size=100", "/api/comment/list/1", None, 200),
    ("quote", "POST", "/quote", None, QUOTE_BODY, 200),
    # Not one of the scenarios: the application's cheapest route (no database, no cache,
    # a constant text) beside the references' constant `/active`, to show the framework's floor.
    ("floor", "GET", "/which", "/active", None, 200),
]
SCALE = "scale"  # the pseudo-scenario of the 1,000,000-car measurements
SLOW = "slow_upstream"  # the pseudo-scenario of the hanging outside services
HANGING_CLIENTS = 20
# Fast reads measured beside a hanging upstream, and the calls that hang (a quote not in the cache).
FAST_READS = [("car_detail", "/cars/{car_id}"), ("active", "/active?country=ni&city=leon")]
HANGING_QUOTE = {"sku": "AZ00001", "country": "ni", "city": "Managua"}
BREAKER_FAILURES = 3  # the apps' breakers: calls a worker waits out before its breaker opens

LUA_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------------------------ database
class Database:
    """A throwaway PostgreSQL database owned by this run."""

    def __init__(self, server_url: str, name: str):
        self.server_url, self.name = server_url.rstrip("/"), name
        self.url = f"{self.server_url}/{name}"

    def _admin(self, sql: str):
        conn = psycopg.connect(f"{self.server_url}/postgres")
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
        finally:
            conn.close()

    def create(self):
        self.drop()
        self._admin(f'CREATE DATABASE "{self.name}"')
        # The same setting the reference harness gives its database: the benchmark measures the web
        # stack, not this machine's fsync latency. Applied to every target's database alike.
        self._admin(f'ALTER DATABASE "{self.name}" SET synchronous_commit = off')

    def drop(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def connect(self):
        conn = psycopg.connect(self.url)
        conn.autocommit = True
        return conn

    def execute(self, sql: str, params=None):
        with contextlib.closing(self.connect()) as conn, conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else None

    def copy_rows(self, table: str, columns: list[str], rows) -> float:
        """COPY rows into table; returns the seconds the COPY itself took (CSV prepared beforehand)."""
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        data = buf.getvalue()
        with contextlib.closing(self.connect()) as conn, conn.cursor() as cur:
            started = time.perf_counter()
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(data)
            return time.perf_counter() - started

    def required_columns(self, table: str) -> dict[str, str]:
        """NOT NULL columns without a default (besides id), with their types: what an INSERT must fill."""
        rows = self.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL "
            "AND column_name <> 'id' AND is_identity = 'NO' ORDER BY ordinal_position",
            (table,),
        )
        return dict(rows)


def filler(column: str, data_type: str, i: int, known: dict):
    """A plausible value for row i of a column the benchmark does not know by name."""
    if column in known:
        return known[column](i)
    if "timestamp" in data_type:
        return "2026-01-01 00:00:00+00"
    if data_type == "boolean":
        return "f"
    if data_type in ("integer", "bigint", "smallint", "numeric", "double precision", "real"):
        return 0
    return ""


# ------------------------------------------------------------------------------------- servers
def rollbar_start():
    """The rollbar_items tests' fake Rollbar API (a real HTTP server), with a few items."""
    from rollbar_items.tests.fake_rollbar import FakeRollbar

    fake = FakeRollbar().start()
    fake.state.seed_items(count=3)
    return fake


def weather_start():
    """The availability tests' fake OpenWeatherMap (a real HTTP server), knowing the quoted city."""
    from availability.tests.fake_openweather import FakeOpenWeather

    fake = FakeOpenWeather(api_key="bench-key")
    fake.set_condition(QUOTE_BODY["city"], QUOTE_BODY["country"], 800)
    return fake.start()


class Target:
    """One gunicorn server (sync workers) started in its own process group."""

    def __init__(self, name, cmd, cwd, env, logdir, ready_path):
        self.name, self.cmd, self.cwd, self.env = name, cmd, cwd, env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.cmd_template = cmd
        self.cmd = [part.replace("{port}", str(self.port)) for part in cmd]
        self.log_path = Path(logdir) / f"{name}.log"
        self.ready_path = ready_path
        self.proc = None
        self.car_id = None  # the car of `car_detail`, on a target seeded by the application's commands

    def start(self, timeout=60):
        log(f"  [{self.name}] {' '.join(self.cmd)}")
        self.logf = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=self.cwd,
            env=self.env,
            stdout=self.logf,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=2) as resp:
                    if resp.status < 500:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready within {timeout}s; see {self.log_path}")

    def workers(self) -> list[int]:
        """The gunicorn workers: the children of the master process."""
        if self.proc is None:
            return []
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in children.read_text().split()]
        return []

    def workers_cpu_ns(self) -> int:
        total = 0
        for pid in self.workers():
            with contextlib.suppress(OSError):
                total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
        return total

    def worker_rss_mib(self) -> list[float]:
        sizes = []
        for pid in self.workers():
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                kib = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))
                sizes.append(round(kib / 1024, 1))
        return sizes

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self.logf.close()


# -------------------------------------------------------------------------- CPU accounting
# Other engineers' test suites share this 2-core machine. "Foreign" CPU is what the machine spent
# outside this run's process tree, PostgreSQL and kernel threads; a round it disturbed is redone.
def _proc_ticks():
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        head, rest = raw[: raw.rindex(")")], raw[raw.rindex(")") + 2 :].split()
        # utime + stime + cutime + cstime: a reaped child's time moves into its parent's.
        table[int(entry)] = (int(rest[1]), head[head.index("(") + 1 :], sum(int(x) for x in rest[11:15]))
    return table


def cpu_snapshot():
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    table = _proc_ticks()
    children = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    roots = [os.getpid(), 2] + [
        pid
        for pid, (ppid, comm, _) in table.items()
        if comm == "postgres" and table.get(ppid, (0, ""))[1] != "postgres"
    ]
    seen, stack = set(), [pid for pid in roots if pid in table]
    while stack:
        pid = stack.pop()
        if pid not in seen:
            seen.add(pid)
            stack.extend(children.get(pid, []))
    return sum(fields), sum(fields[:3]), sum(table[pid][2] for pid in seen)


def foreign_share(a, b) -> float:
    return max(0.0, ((b[1] - a[1]) - (b[2] - a[2])) / max(1, b[0] - a[0]))


# ------------------------------------------------------------------------------------------ wrk
def lua_script(method: str, body, tmpdir: str, name: str, headers: dict | None = None) -> str:
    lines = [f'wrk.method = "{method}"']
    lines += [f'wrk.headers["{key}"] = "{value}"' for key, value in (headers or {}).items()]
    if body is not None:
        lines.append(f"wrk.body = [==[{json.dumps(body)}]==]")
        lines.append('wrk.headers["Content-Type"] = "application/json"')
    path = Path(tmpdir) / f"{name}.lua"
    path.write_text("\n".join(lines) + "\n" + LUA_DONE)
    return str(path)


def run_wrk(target, path: str, script: str, duration: float, args) -> dict:
    url = target.base + path
    cmd = ["wrk", "-t1", f"-c{args.connections}", f"-d{duration}s", "--timeout", "5s", "-s", script, url]
    if args.wrk_cpus:
        cmd = ["taskset", "-c", args.wrk_cpus, *cmd]
    before, cpu_before = cpu_snapshot(), target.workers_cpu_ns()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=False)
    after, cpu_after = cpu_snapshot(), target.workers_cpu_ns()
    found = re.search(r"^BENCH_JSON (.*)$", out.stdout, re.M)
    if out.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed on {url}:\n{out.stdout}\n{out.stderr}")
    r = json.loads(found.group(1))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors"] = r["status"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
    r["foreign"] = foreign_share(before, after)
    # CPU time the workers spent per request: steadier than req/s when others load the machine.
    r["cpu_us"] = (cpu_after - cpu_before) / 1000 / max(1, r["requests"])
    return r


def wait_for_quiet(args):
    deadline = time.monotonic() + args.quiet_wait
    while time.monotonic() < deadline:
        a = cpu_snapshot()
        time.sleep(1)
        share = foreign_share(a, cpu_snapshot())
        if share <= args.max_foreign:
            return
        log(f"    waiting for a quiet machine: others use {100 * share:.0f}%")


def measure(target, path, script, args) -> dict:
    """One recorded round, redone (up to --retries times) when other processes took the CPU."""
    for attempt in range(args.retries + 1):
        wait_for_quiet(args)
        r = run_wrk(target, path, script, args.duration, args)
        if r["foreign"] <= args.max_foreign:
            break
        log(
            f"    others used {100 * r['foreign']:.0f}% of the machine"
            + ("; redoing" if attempt < args.retries else "")
        )
    return r


def check(base: str, method: str, path: str, body, expect: int) -> str:
    """One request before loading: the answer must have the expected status; describes its size."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        base + path, data=data, method=method, headers={"Content-Type": "application/json"} if data else {}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    if status != expect:
        raise RuntimeError(f"{method} {base}{path} answered {status}, not {expect}: {raw[:300]!r}")
    try:
        doc = json.loads(raw)
    except ValueError:  # the floor scenario's text answer
        return f"{len(raw)}B text"
    items = doc if isinstance(doc, list) else next((v for v in doc.values() if isinstance(v, list)), None)
    return f"{len(raw)}B" + (f"/{len(items)} items" if items is not None else "")


# ------------------------------------------------------------------------------------- the app
def app_env(args, db: Database, weather, rollbar) -> dict:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    env.update(
        {
            # Production settings: debug off, a secret, plain HTTP on 127.0.0.1 (no TLS redirect).
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": db.url,
            "WEB_CONCURRENCY": str(args.workers),
            "GUNICORN_THREADS": "1",
            # wrk posts from one address far above a person's rate; the throttle still runs.
            "COMMENTS_THROTTLE_RATE": "1000000/s",
            "OPENWEATHER_API_URL": weather.url,
            "OPENWEATHER_API_KEY": "bench-key",
            "ROLLBAR_API_URL": rollbar.url,
            "ROLLBAR_READ_TOKEN": rollbar_tokens()[0],
            "DD_TRACE_ENABLED": "false",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if args.cache_url:
        env["CACHE_URL"] = args.cache_url
    return env


def rollbar_tokens() -> tuple[str, ...]:
    from rollbar_items.tests.fake_rollbar import READ_TOKEN

    return (READ_TOKEN,)


def manage(env, *argv, quiet=True, project=PROJECT, python=sys.executable) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(python), "manage.py", *argv],
        cwd=project,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )
    return time.perf_counter() - started


def prepare(db: Database, env: dict, project: Path = PROJECT, python=sys.executable) -> int:
    """A fresh database and cache for one version of the application, seeded by its own commands.

    Returns the id of the car the `car_detail` scenario reads.
    """
    db.create()
    if env.get("CACHE_URL", "").startswith("redis://"):
        cache_clear = "from django.core.cache import cache; cache.clear()"
        manage(env, "shell", "-c", cache_clear, project=project, python=python)
    manage(env, "migrate", "--noinput", "-v0", project=project, python=python)
    manage(env, "seed_cars", project=project, python=python)  # the shipped inventory, then up to CARS
    shipped = db.execute("SELECT count(*) FROM cars_car")[0][0]
    manage(env, "seed_cars", "--count", str(CARS - shipped), project=project, python=python)
    manage(env, "seed_locations", project=project, python=python)
    manage(env, "seed_conditions", project=project, python=python)
    seed_comments(db, "comments_comment", COMMENTS, CONTENT_IDS)
    db.execute("ANALYZE")
    return db.execute("SELECT id FROM cars_car ORDER BY id OFFSET %s LIMIT 1", (CARS // 2,))[0][0]


def gunicorn_cmd(gunicorn: Path, workers: int) -> list[str]:
    """The web command with this run's bind and worker count; gunicorn.conf.py sets the rest."""
    return [str(gunicorn), "config.wsgi", "-b", "127.0.0.1:{port}", "-w", str(workers)]


def app_default_workers() -> int:
    """The worker count gunicorn.conf.py gives the application: WEB_CONCURRENCY, else 2 x CPUs + 1."""
    cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1
    return int(os.environ.get("WEB_CONCURRENCY") or 2 * cpus + 1)


def seed_comments(db: Database, table: str, count: int, contents: int) -> float:
    known = {
        "content_id": lambda i: 1 + i % contents,
        "email": lambda i: f"reader{i % 5000}@example.com",
        "comment": lambda i: f"Comment {i}: interesting article, thanks for writing it up.",
    }
    cols = db.required_columns(table)
    cols.update({c: "" for c in known if c not in cols})
    rows = ([filler(c, t, i, known) for c, t in cols.items()] for i in range(count))
    return db.copy_rows(table, list(cols), rows)


CAR_NAMES = ["Pink Rose", "Black Bullet", "Blue Comet", "Red Arrow", "Silver Ghost", "Green Hornet"]
CAR_MODELS = ["Audi Q5", "Honda Accord", "Toyota Corolla", "Ford Focus", "Nissan Leaf", "Kia Rio"]


def copy_cars(db: Database, table: str, count: int) -> float:
    known = {
        "name": lambda i: f"{CAR_NAMES[i % 6]} {i}",
        "model": lambda i: CAR_MODELS[i % 6],
        "doors": lambda i: 2 + (i % 3) * 2,
    }
    cols = db.required_columns(table)
    rows = [[filler(c, t, i, known) for c, t in cols.items()] for i in range(count)]
    return db.copy_rows(table, list(cols), rows)


# ------------------------------------------------------------------------------- references
def reference_targets(args, ref_db: Database, logdir: str) -> list[Target]:
    root = Path(args.reference).resolve()
    venv = root / ".venv" / "bin"
    if not (venv / "gunicorn").exists():
        sys.exit(f"{venv}/gunicorn not found: run `bash {root}/setup.sh` as root first")
    peers = root / "peers"
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL")}
    env["DATABASE_URL"] = ref_db.url.replace("postgres://", "postgresql://", 1)
    subprocess.run([str(venv / "python"), "flask_peer.py", "initdb"], cwd=peers, env=env, check=True)
    # The same rows as the application: one page of cars (the references list every row), and
    # 100,000 comments over 1,000 content ids.
    ref_db.execute("TRUNCATE cars, comments RESTART IDENTITY")
    copy_cars(ref_db, "cars", 100)
    seed_comments(ref_db, "comments", COMMENTS, CONTENT_IDS)
    ref_db.execute("ANALYZE cars; ANALYZE comments")
    apps = {"flask": "flask_peer:app", "raw": "raw_wsgi:app"}
    return [
        Target(
            name,
            [
                str(venv / "gunicorn"),
                "-b",
                "127.0.0.1:{port}",
                "-w",
                str(args.workers),
                "--log-level",
                "warning",
                apps[name],
            ],
            peers,
            env,
            logdir,
            "/active",
        )
        for name in args.reference_targets.split(",")
    ]


def baseline_target(args, db: Database, weather, rollbar, logdir: str) -> Target:
    """The older commit of --baseline, seeded and configured as the app is, on its own database and cache."""
    root = Path(args.baseline).resolve()
    venv = Path(args.baseline_venv or root / ".venv").resolve() / "bin"
    if not (venv / "gunicorn").exists() or not (root / "manage.py").exists():
        sys.exit(f"--baseline needs a checkout with manage.py and a venv with gunicorn: {root}, {venv}")
    env = app_env(args, db, weather, rollbar)
    env.pop("CACHE_URL", None)
    if args.baseline_cache_url:
        env["CACHE_URL"] = args.baseline_cache_url
    log(f"== prepare: baseline {root} ({venv.parent}), database {db.name}")
    target = Target("baseline", gunicorn_cmd(venv / "gunicorn", args.workers), root, env, logdir, "/check")
    target.car_id = prepare(db, env, project=root, python=venv / "python")
    return target


# --------------------------------------------------------------------------------- reporting
def summarize(rounds: list[dict], ref_rounds: list[dict] | None) -> dict:
    s = {
        "rps": statistics.median(r["rps"] for r in rounds),
        "p50_ms": statistics.median(r["p50_us"] for r in rounds) / 1000,
        "p99_ms": statistics.median(r["p99_us"] for r in rounds) / 1000,
        "errors": sum(r["errors"] for r in rounds),
        "foreign": statistics.median(r["foreign"] for r in rounds),
        "cpu_us": statistics.median(r["cpu_us"] for r in rounds),
    }
    if ref_rounds:
        s["ratio"] = statistics.median(a["rps"] / b["rps"] for a, b in zip(rounds, ref_rounds, strict=True))
    return s


def machine(pg_version: str) -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} CPU {cpu}, {mem:.0f} GiB, Linux {platform.release()}, "
        f"Python {platform.python_version()}, PostgreSQL {pg_version}"
    )


def print_table(results, ref_names, args):
    cols = "".join(f" {'x' + n:>9}" for n in ref_names)
    head = (
        f"{'scenario':<13} {'target':<8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
        f"{'cpu us':>6} {'fgn%':>5}"
        f"{cols}  check"
    )
    print(head)
    print("-" * len(head))
    for res in results:
        s = res["summary"]
        ratios = "".join(
            f" {s['ratios'][n]:>9.2f}" if n in s.get("ratios", {}) else f" {'':>9}" for n in ref_names
        )
        print(
            f"{res['scenario']:<13} {res['target']:<8} {s['rps']:>8.0f} {s['p50_ms']:>7.2f} "
            f"{s['p99_ms']:>7.2f} {s['errors']:>6} {s['cpu_us']:>6.0f} {100 * s['foreign']:>5.1f}{ratios}"
            f"  {res['check']}"
        )


# --------------------------------------------------------------------------------------- main
def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    names = [s[0] for s in SCENARIOS] + [SLOW, SCALE]
    p.add_argument("--scenarios", default=",".join(names), help=f"comma list of: {', '.join(names)}")
    p.add_argument("--rounds", type=int, default=3, help="alternated rounds per scenario (default 3)")
    p.add_argument("--duration", type=int, default=10, help="seconds of wrk per round (default 10)")
    p.add_argument("--warmup", type=int, default=2, help="unrecorded seconds per target and scenario")
    p.add_argument("--short", action="store_true", help="CI: 1 round of 3 s, no 1,000,000-car step")
    p.add_argument("--reference", metavar="DIR", help="the shared reference implementations (with .venv)")
    p.add_argument("--reference-targets", default="flask,raw", help="which references (default flask,raw)")
    p.add_argument("--baseline", metavar="DIR", help="a checkout of an older commit, run beside the app")
    p.add_argument("--baseline-venv", metavar="VENV", help="the virtualenv of --baseline (default DIR/.venv)")
    p.add_argument(
        "--baseline-cache-url",
        help="the baseline's cache: a Redis database of its own (default db 8; memory with --cache-url '')",
    )
    p.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    p.add_argument(
        "--workers",
        type=int,
        help="gunicorn sync workers per target (default 2; slow_upstream: the app's default, 2 x CPUs + 1)",
    )
    p.add_argument("--wrk-cpus", default="1", help="taskset CPU list for wrk (default 1; '' = any)")
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    p.add_argument("--cache-url", default="redis://127.0.0.1:6379/7", help="application cache ('' = memory)")
    p.add_argument("--max-foreign", type=float, default=0.05, help="CPU share others may use in a round")
    p.add_argument("--retries", type=int, default=1, help="redos of a round others disturbed")
    p.add_argument("--quiet-wait", type=float, default=10, help="max seconds to wait for a quiet machine")
    p.add_argument("--keep-db", action="store_true", help="leave the bench databases in place")
    p.add_argument("--out", help="also write the results as JSON to this file")
    p.add_argument(
        "--profile",
        metavar="DIR",
        help="after the rounds, profile one app worker per scenario with py-spy (CPU, GIL held) "
        "under the same load: DIR/<scenario>.raw (collapsed stacks, for any flame graph tool) and "
        "DIR/<scenario>.txt (the functions most often on the stack)",
    )
    args = p.parse_args()
    if args.short:
        args.rounds, args.duration, args.warmup, args.retries, args.quiet_wait = 1, 3, 1, 0, 5
        args.scenarios = ",".join(n for n in args.scenarios.split(",") if n != SCALE)
    unknown = set(args.scenarios.split(",")) - set(names)
    if unknown:
        p.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if args.workers:
        args.slow_workers, args.slow_why = args.workers, "--workers"
    else:
        args.slow_workers, args.slow_why = (
            app_default_workers(),
            "the app's default: WEB_CONCURRENCY, else 2 x CPUs + 1",
        )
    args.workers = args.workers or 2
    if args.baseline_cache_url is None:
        args.baseline_cache_url = "redis://127.0.0.1:6379/8" if args.cache_url else ""
    if args.baseline and args.cache_url and args.baseline_cache_url == args.cache_url:
        p.error("--baseline-cache-url must differ from --cache-url: the two versions' cached keys would mix")
    return args


def run_scenarios(args, app: Target, baseline: Target | None, refs: list[Target], tmpdir: str) -> list[dict]:
    results = []
    wanted = args.scenarios.split(",")
    versions = [app] + ([baseline] if baseline else [])
    for name, method, app_path, ref_path, body, expect in SCENARIOS:
        if name not in wanted:
            continue
        path = app_path.replace("{car_id}", str(app.car_id))
        plan = [(t, app_path.replace("{car_id}", str(t.car_id))) for t in versions]
        plan += [(t, ref_path) for t in refs if ref_path]
        script = lua_script(method, body, tmpdir, name)
        log(f"== {name}: {method} {path}")
        rows = {}
        for target, p in plan:
            rows[target.name] = {"scenario": name, "target": target.name, "path": p, "rounds": []}
            rows[target.name]["check"] = check(target.base, method, p, body, expect)
            if args.warmup:
                run_wrk(target, p, script, args.warmup, args)
        for rnd in range(args.rounds):
            for target, p in plan:  # A B A B ...
                r = measure(target, p, script, args)
                rows[target.name]["rounds"].append(r)
                log(
                    f"  round {rnd + 1} {target.name:<8} {r['rps']:>8.0f} req/s"
                    f"  p50 {r['p50_us'] / 1000:.2f} ms  p99 {r['p99_us'] / 1000:.2f} ms"
                    f"  errors {r['errors']}  others {100 * r['foreign']:.0f}%"
                )
        if args.profile:
            profile(app, path, script, name, args)
        app_rounds = rows[app.name]["rounds"]
        for target, _ in plan:
            row = rows[target.name]
            row["summary"] = summarize(row["rounds"], None)
            if target is app:
                row["summary"]["ratios"] = {
                    t.name: summarize(app_rounds, rows[t.name]["rounds"])["ratio"] for t, _ in plan[1:]
                }
            results.append(row)
    return results


def profile(app: Target, path: str, script: str, name: str, args):
    """py-spy on the first worker while wrk loads the scenario; what the CPU did, by function."""
    out = Path(args.profile)
    out.mkdir(parents=True, exist_ok=True)
    spy = VENV_BIN / "py-spy"
    if not spy.exists():
        sys.exit("--profile needs py-spy: .venv/bin/pip install -r requirements/dev.txt")
    wrk = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.duration + 2}s", "-s", script, app.base + path]
    if args.wrk_cpus:
        wrk = ["taskset", "-c", args.wrk_cpus, *wrk]
    load = subprocess.Popen(wrk, stdout=subprocess.DEVNULL)
    try:
        time.sleep(1)
        worker = str(app.workers()[0])
        common = [
            str(spy),
            "record",
            "--pid",
            worker,
            "--duration",
            str(args.duration),
            "--gil",
            "--rate",
            "250",
        ]
        raw = out / f"{name}.raw"
        subprocess.run([*common, "--format", "raw", "--output", str(raw)], capture_output=True, check=True)
    finally:
        load.wait()
    samples, inclusive = 0, {}
    for line in raw.read_text().splitlines():
        stack, count = line.rsplit(" ", 1)
        samples += int(count)
        # One entry per function, whatever line of it was running.
        for frame in {re.sub(r":\d+\)$", ")", f) for f in stack.split(";")}:
            inclusive[frame] = inclusive.get(frame, 0) + int(count)
    top = sorted(inclusive.items(), key=lambda kv: -kv[1])[:60]
    (out / f"{name}.txt").write_text(
        f"{samples} samples; share of samples in which each function was on the stack\n"
        + "".join(f"{100 * n / samples:5.1f}%  {frame}\n" for frame, n in top)
    )
    log(f"  profile: {out / name}.txt ({samples} samples)")


def run_slow_upstream(args, app: Target, env: dict, weather, rollbar, tmpdir: str) -> list[dict]:
    """The fast reads alone, then while HANGING_CLIENTS keep calling an endpoint whose upstream hangs.

    Each hanging phase first lets the load run for as long as the workers' breakers need to open
    (BREAKER_FAILURES calls, each waiting for the timeout), then measures: the steady state.
    """
    log(
        f"== {SLOW}: {', '.join(path for _, path in FAST_READS)} "
        f"beside {HANGING_CLIENTS} clients on a hanging upstream"
    )
    token = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SLOW_TOKEN_SHELL],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    hanging = [
        ("weather hangs", "POST", "/quote", HANGING_QUOTE, {}, 3.0),
        ("rollbar hangs", "GET", "/items", None, {"Authorization": f"Token {token}"}, 5.0),
    ]
    reads = [(name, path.replace("{car_id}", str(app.car_id))) for name, path in FAST_READS]
    scripts = {name: lua_script("GET", None, tmpdir, f"slow_{name}") for name, _ in reads}
    results = []

    def measure_reads(phase: str):
        for name, path in reads:
            rounds = [measure(app, path, scripts[name], args) for _ in range(args.rounds)]
            row = {
                "scenario": name,
                "target": phase,
                "path": path,
                "rounds": rounds,
                "summary": summarize(rounds, None),
            }
            row["check"] = check(app.base, "GET", path, None, 200)
            results.append(row)
            s_ = row["summary"]
            log(f"  {phase:<14} {name:<11} {s_['rps']:>7.0f} req/s  p99 {s_['p99_ms']:.1f} ms")

    for _, path in reads:
        run_wrk(app, path, scripts[reads[0][0]], args.warmup or 1, args)
    measure_reads("alone")
    for phase, method, path, body, headers, timeout in hanging:
        weather.mode, weather.delay = "slow", 600
        rollbar.state.configure(response_delay=600)
        settle = BREAKER_FAILURES * (timeout + 1) + 2
        seconds = settle + len(reads) * args.rounds * (args.duration + 2) + 30
        script = lua_script(method, body, tmpdir, f"hang_{path.strip('/')}", headers)
        load = [
            "wrk",
            "-t1",
            f"-c{HANGING_CLIENTS}",
            f"-d{seconds:.0f}s",
            "--timeout",
            "30s",
            "-s",
            script,
            app.base + path,
        ]
        if args.wrk_cpus:
            load = ["taskset", "-c", args.wrk_cpus, *load]
        hang = subprocess.Popen(load, stdout=subprocess.PIPE, text=True)
        try:
            time.sleep(settle)
            measure_reads(phase)
        finally:
            hang.send_signal(signal.SIGINT)  # wrk stops and prints its summary
            out = hang.communicate(timeout=30)[0]
            weather.mode = "ok"
            rollbar.state.configure(response_delay=0)
        found = re.search(r"Requests/sec:\s*([\d.]+)", out)
        log(
            f"  {phase}: the {HANGING_CLIENTS} clients on {path} "
            f"got {found.group(1) if found else '?'} answers/s"
        )
    return results


SLOW_TOKEN_SHELL = (
    "from django.contrib.auth.models import User; from rest_framework.authtoken.models import Token; "
    "user, _ = User.objects.get_or_create(username='bench'); "
    "print(Token.objects.get_or_create(user=user)[0].key)"
)


def print_slow(results, workers: str):
    alone = {r["scenario"]: r["summary"] for r in results if r["target"] == "alone"}
    print(f"\n{SLOW}: the fast reads alone and beside {HANGING_CLIENTS} clients on a hanging upstream")
    print(f"gunicorn -w {workers}")
    print(
        f"{'read':<12} {'phase':<14} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'of alone':>8}"
    )
    for r in results:
        s_ = r["summary"]
        share = s_["rps"] / alone[r["scenario"]]["rps"]
        print(
            f"{r['scenario']:<12} {r['target']:<14} {s_['rps']:>8.0f} {s_['p50_ms']:>7.2f} "
            f"{s_['p99_ms']:>7.2f} {s_['errors']:>6} {share:>8.2f}"
        )
    print("target: at least 0.50 of alone, and p99 under 250 ms, beside a hanging upstream.")


def run_scale(args, app: Target, db: Database, env: dict, tmpdir: str, logdir: str, targets: list) -> dict:
    """First page of GET /cars with 1,000 and 1,000,000 cars, alternated; seed_cars --count vs COPY.

    The 1,000,000 cars live in a second database served by a second gunicorn, so that the two
    sizes are measured in turns (A B A B) like every other comparison here.
    """
    script = lua_script("GET", None, tmpdir, "scale")
    log("== scale: GET /cars first page, 1,000 vs 1,000,000 cars; seed_cars vs COPY")
    big_db = Database(args.pg, "bench_app_1m")
    big_db.create()
    big_env = {**env, "DATABASE_URL": big_db.url}
    manage(big_env, "migrate", "--noinput", "-v0")
    out = {"copy_s": copy_cars(big_db, "cars_car", BIG_CARS)}
    log(f"  COPY of {BIG_CARS:,} cars: {out['copy_s']:.1f} s")
    big_db.execute("TRUNCATE cars_car RESTART IDENTITY CASCADE")
    out["seed_s"] = manage(big_env, "seed_cars", "--count", str(BIG_CARS))
    count = big_db.execute("SELECT count(*) FROM cars_car")[0][0]
    log(f"  seed_cars --count {BIG_CARS:,}: {out['seed_s']:.1f} s ({count:,} rows)")
    # Steady state of a table that has been in use: autovacuum has analysed it and set its visibility map.
    big_db.execute("VACUUM ANALYZE cars_car")
    big = Target("app_1m", app.cmd_template, PROJECT, big_env, logdir, "/check")
    targets.append(big)
    big.start()
    plan = [("small", app), ("big", big)]
    rounds = {"small": [], "big": []}
    for _, target in plan:
        check(target.base, "GET", "/cars", None, 200)
        run_wrk(target, "/cars", script, args.warmup or 1, args)
    for _ in range(args.rounds):
        for key, target in plan:  # A B A B ...
            rounds[key].append(measure(target, "/cars", script, args))
    for key, target in plan:
        out[key] = summarize(rounds[key], None)
        log(f"  GET /cars on {target.name}: p50 {out[key]['p50_ms']:.2f} ms, {out[key]['rps']:.0f} req/s")
    out["ratio_p50"] = statistics.median(
        b["p50_us"] / a["p50_us"] for a, b in zip(rounds["small"], rounds["big"], strict=True)
    )
    big.stop()
    if not args.keep_db:
        big_db.drop()
    return out


def main():
    args = parse_args()
    for tool in ("wrk",) + (("taskset",) if args.wrk_cpus else ()):
        if not subprocess.run(["which", tool], capture_output=True, check=False).stdout:
            sys.exit(f"{tool} is not installed (apt-get install wrk util-linux)")
    logdir = tempfile.mkdtemp(prefix="bench-logs-")
    tmpdir = tempfile.mkdtemp(prefix="bench-lua-")
    db = Database(args.pg, "bench_app")
    ref_db = Database(args.pg, "bench_ref")
    baseline_db = Database(args.pg, "bench_baseline")
    weather = weather_start()
    rollbar = rollbar_start()
    targets = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        log(f"== prepare: database {db.name}, logs in {logdir}")
        env = app_env(args, db, weather, rollbar)
        app = Target("app", gunicorn_cmd(VENV_BIN / "gunicorn", args.workers), PROJECT, env, logdir, "/check")
        app.car_id = prepare(db, env)
        pg_version = db.execute("SHOW server_version")[0][0]
        targets.append(app)
        baseline = None
        if args.baseline:
            baseline = baseline_target(args, baseline_db, weather, rollbar, logdir)
            targets.append(baseline)
        refs = []
        if args.reference:
            ref_db.create()
            refs = reference_targets(args, ref_db, logdir)
            targets.extend(refs)
        log("== start")
        for t in targets:
            t.start()
        # Quotes are answered from the cache in the benchmark: one request fills it.
        if "quote" in args.scenarios.split(","):
            for version in (app, baseline):
                if version:
                    check(version.base, "POST", "/quote", QUOTE_BODY, 200)
        results = run_scenarios(args, app, baseline, refs, tmpdir)
        slow = None
        if SLOW in args.scenarios.split(","):
            slow_app = app
            if args.slow_workers != args.workers:
                slow_env = {**env, "WEB_CONCURRENCY": str(args.slow_workers)}
                cmd = gunicorn_cmd(VENV_BIN / "gunicorn", args.slow_workers)
                slow_app = Target("app_slow", cmd, PROJECT, slow_env, logdir, "/check")
                slow_app.car_id = app.car_id
                targets.append(slow_app)
                slow_app.start()
            log(f"  {SLOW}: gunicorn -w {args.slow_workers} ({args.slow_why})")
            slow = run_slow_upstream(args, slow_app, slow_app.env, weather, rollbar, tmpdir)
            if slow_app is not app:
                slow_app.stop()
        rss = {t.name: t.worker_rss_mib() for t in targets if t.workers()}
        scale = None
        if SCALE in args.scenarios.split(","):
            scale = run_scale(args, app, db, env, tmpdir, logdir, targets)
    finally:
        log("== stop")
        for t in targets:
            t.stop()
        weather.stop()
        rollbar.stop()
        if not args.keep_db:
            db.drop()
            if args.baseline:
                baseline_db.drop()
            if args.reference:
                ref_db.drop()

    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  {machine(pg_version)}")
    print(
        f"gunicorn -w {args.workers} sync; wrk -t1 -c{args.connections} -d{args.duration:g}s pinned to CPU "
        f"{args.wrk_cpus or 'any'}; {args.rounds} round(s), targets alternated; medians over rounds\n"
    )
    ref_names = [t.name for t in ([baseline] if baseline else []) + refs]
    print_table(results, ref_names, args)
    if slow:
        print_slow(slow, f"{args.slow_workers} ({args.slow_why})")
    if ref_names:
        print("\nxNAME = median over rounds of req/s(app) / req/s(NAME), measured back to back.")
    if baseline:
        print(
            f"baseline = {Path(args.baseline).resolve()}; `active` and `quote` should stay at 0.90 or more."
        )
    print(
        "cpu us = CPU time of the target's gunicorn workers per request (median; the database's own "
        "time not included).\nfgn% = CPU share other processes on the machine took during the rounds "
        "(median)."
    )
    print(
        "\nresident memory after the run (MiB per worker): " + "; ".join(f"{n} {v}" for n, v in rss.items())
    )
    if scale:
        print(
            f"\nGET /cars first page, alternated: p50 {scale['small']['p50_ms']:.2f} ms with {CARS:,} cars, "
            f"{scale['big']['p50_ms']:.2f} ms with {BIG_CARS:,} (median per-round ratio "
            f"{scale['ratio_p50']:.2f}x; target <= 2x)"
        )
        print(
            f"seed_cars --count {BIG_CARS:,}: {scale['seed_s']:.1f} s; "
            f"COPY of the same rows: {scale['copy_s']:.1f} s "
            f"({scale['seed_s'] / scale['copy_s']:.2f}x; target <= 2x)"
        )
    if args.out:
        out = {"results": results, "rss_mib": rss, "scale": scale, "slow_upstream": slow}
        Path(args.out).write_text(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
