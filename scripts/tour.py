"""The Twelve-Factor tour: every factor shown by running this project, each with a one-line verdict.

Run by `bash scripts/tour` (`make tour`); docs/twelve-factor.md explains each demonstration and what it
prints. Everything runs on 127.0.0.1: a throwaway PostgreSQL database `tour_<pid>` (created, then
dropped), one Redis database (8 unless TOUR_REDIS_URL says else, emptied before and after), free
ports, and a temporary folder; every process the tour starts is stopped on exit, Ctrl-C included.

Only the standard library is imported here: `--imports-check` runs this file with the interpreter
of the virtual environment under test (II. Dependencies), which holds nothing but the lock.
"""

# A local tool like bench/ and the tests (whose S rules are off too): it runs the commands, SQL and
# URLs it builds itself, on 127.0.0.1.
# ruff: noqa: S310, S603, S607, S608

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import site
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
LOCK = ROOT / "requirements" / "prod.txt"
# The project's own top-level packages (imported from the checkout, not from a distribution).
PROJECT_PACKAGES = ("config", "core", "cars", "comments", "availability", "rollbar_items")
GRACE_SECONDS = 10
SLOW_SECONDS = 3
THROTTLE = 3

# Requests the import check sends through Django's test client: every app's routes, none may be 5xx.
CHECK_PATHS = (
    "/",
    "/live",
    "/check",
    "/cars",
    "/cars/1",
    "/api/comment/list/1",
    "/active?country=ni&city=leon",
    "/items",
    "/reports",
    "/which",
    "/metrics",
    "/api/schema/?format=json",
)


class Fail(Exception):
    """A demonstration did not show what it claims; the message is the verdict."""


# --- II. Dependencies: what a virtual environment imports, against the lock ------------------------


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_read(path: Path) -> tuple[dict[str, set[str]], bool]:
    """The lock's packages (normalized name -> extras asked for) and whether every line is hashed."""
    packages: dict[str, set[str]] = {}
    hashed = False
    text = re.sub(r"\\\n", " ", path.read_text())
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*", "", raw).strip()
        if not line:
            continue
        hashed = hashed or "--hash=" in line
        included = re.match(r"(?:-r|--requirement)\s*=?\s*(\S+)", line)
        if included:
            more, more_hashed = lock_read(path.parent / included.group(1))
            packages.update(more)
            hashed = hashed or more_hashed
            continue
        requirement = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?", line)
        if requirement and not line.startswith("-"):
            extras = {normalize(e) for e in (requirement.group(2) or "").split(",") if e.strip()}
            packages.setdefault(normalize(requirement.group(1)), set()).update(extras)
    return packages, hashed


def requirements_closure(packages: dict[str, set[str]]) -> set[str]:
    """The declared packages and, from the installed metadata, everything they require (with extras)."""
    seen: set[str] = set()
    todo = list(packages.items())
    while todo:
        name, extras = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in requires:
            spec, _, marker = requirement.partition(";")
            extra = re.search(r"""extra\s*==\s*['"]([^'"]+)['"]""", marker)
            if extra and normalize(extra.group(1)) not in extras:
                continue
            match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?", spec)
            if match:
                wanted = {normalize(e) for e in (match.group(2) or "").split(",") if e.strip()}
                todo.append((normalize(match.group(1)), wanted))
    return seen


def module_origins(modules: set[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Third-party top-level modules -> their distributions, and modules of no known origin."""
    site_dirs = {os.path.realpath(p) for p in [*site.getsitepackages(), site.getusersitepackages()]}
    stdlib_dirs = {os.path.realpath(sysconfig.get_paths()[key]) for key in ("stdlib", "platstdlib")}
    root = os.path.realpath(ROOT)
    owners = importlib.metadata.packages_distributions()
    third_party, unknown = {}, []
    for name in sorted(modules):
        module = sys.modules.get(name)
        if "." in name or module is None:
            continue
        where = getattr(module, "__file__", None) or next(iter(getattr(module, "__path__", []) or []), None)
        if not where:
            continue  # built into the interpreter
        where = os.path.realpath(where)
        if any(where.startswith(d + os.sep) for d in site_dirs):
            dists = sorted({normalize(d) for d in owners.get(name, [])})
            if dists:
                third_party[name] = dists
            else:
                unknown.append(f"{name} ({where})")
        elif any(where.startswith(d + os.sep) for d in stdlib_dirs) or where.startswith(root + os.sep):
            continue  # the standard library, or this project
        else:
            unknown.append(f"{name} ({where})")
    return third_party, unknown


def imports_check(mode: str, blocked: set[str]) -> None:
    """Import and serve the app in this interpreter; print (JSON) what it imported against the lock.

    mode "sqlite": migrate a SQLite file, send CHECK_PATHS through the test client, import gunicorn's
    config and worker and every module of the project. mode "services": /check on DATABASE_URL and
    CACHE_URL (PostgreSQL and Redis), which loads their drivers. Modules in `blocked` cannot be
    imported: a library that imports them only when present still works, the app fails if it needs them.
    """
    import importlib
    import importlib.abc

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in blocked:
                raise ModuleNotFoundError(f"No module named {name!r} (blocked: not in the lock)", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
    before = set(sys.modules)
    errors = []
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        imports_exercise(mode, errors)
    except Exception as error:  # noqa: BLE001 - reported, with what it was, to the tour
        errors.append(f"{type(error).__name__}: {error}")
    packages, hashed = lock_read(LOCK)
    declared = set(packages) if hashed else requirements_closure(packages)
    third_party, unknown = module_origins(set(sys.modules) - before)
    used = sorted({d for dists in third_party.values() for d in dists})
    undeclared = {m: d for m, d in third_party.items() if not set(d) & declared}
    print(json.dumps({"errors": errors, "distributions": used, "undeclared": undeclared, "unknown": unknown}))


def imports_exercise(mode: str, errors: list[str]) -> None:
    import importlib
    import pkgutil
    import runpy

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    client = Client(HTTP_ACCEPT="application/json")
    if mode == "services":
        answer = client.get("/check")
        if answer.status_code != 200:
            errors.append(f"GET /check answered {answer.status_code}: {answer.content.decode()[:200]}")
        return
    call_command("migrate", "--noinput", verbosity=0)
    for path in CHECK_PATHS:
        status = client.get(path).status_code
        if status >= 500:
            errors.append(f"GET {path} answered {status}")
    answer = client.post(
        "/api/comment/new",
        {"email": "tour@example.com", "comment": "import check", "content_id": 1},
        content_type="application/json",
    )
    if answer.status_code != 201:
        errors.append(f"POST /api/comment/new answered {answer.status_code}")
    runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    for name in ("config.wsgi", "gunicorn.app.wsgiapp", "gunicorn.workers.sync"):
        importlib.import_module(name)
    for package in PROJECT_PACKAGES:
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            if ".tests" not in info.name and ".migrations" not in info.name:
                importlib.import_module(info.name)


# --- The tour's plumbing: processes, HTTP, backing services ------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body or b"null")


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(method: str, url: str, body=None, headers=None, timeout: float = 15) -> Answer:
    data = json.dumps(body).encode() if body is not None else None
    sent = {"Accept": "application/json", **({"Content-Type": "application/json"} if data else {})}
    request = urllib.request.Request(url, data=data, method=method, headers={**sent, **(headers or {})})
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def listener_pids(port: int) -> set[int]:
    """Processes holding a socket listening on `port` (from /proc/net/tcp*)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for row in Path(table).read_text().splitlines()[1:]:
                cols = row.split()
                if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{cols[9]}]")
    pids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                for fd in (entry / "fd").iterdir():
                    if os.readlink(fd) in inodes:
                        pids.add(int(entry.name))
                        break
    return pids


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    out: Path
    err: Path
    url: str = ""
    port: int = 0

    def output(self) -> str:
        return self.out.read_text(errors="replace") + self.err.read_text(errors="replace")

    def tail(self, lines: int = 12) -> str:
        return "\n".join("    | " + line for line in self.output().splitlines()[-lines:])


@dataclass
class Tour:
    short: bool
    tmp: Path
    pg_admin: str
    redis_url: str
    pg_name: str = field(default_factory=lambda: f"tour_{os.getpid()}")
    processes: list[Process] = field(default_factory=list)
    done: set[str] = field(default_factory=set)
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(40))
    token_key: str = ""
    rollbar_url: str = ""

    # Printing

    def show(self, text: str) -> None:
        print(text.replace(str(self.tmp), "$TMP").replace(f"{ROOT}{os.sep}", ""), flush=True)

    def say(self, text: str) -> None:
        self.show("  " + text)

    def command(self, cmd: list[str] | str, env: dict | None = None) -> None:
        words = " ".join(f"{k}={shlex.quote(shown(k, v))}" for k, v in (env or {}).items())
        line = cmd if isinstance(cmd, str) else shlex.join(cmd)
        self.show(f"$ {words + ' ' if words else ''}{line}")

    def export(self, env: dict) -> None:
        """Show `env` once, as the shell would set it for the commands that follow."""
        self.show("$ export " + " ".join(f"{k}={shlex.quote(shown(k, v))}" for k, v in env.items()))

    # Environment of the app's processes

    @property
    def pg_url(self) -> str:
        return f"{self.pg_admin}/{self.pg_name}"

    def env(self, extra: dict) -> dict:
        """The caller's environment without any of the app's variables, production-like, plus `extra`."""
        env = {k: v for k, v in os.environ.items() if k not in app_variables() and not k.startswith("DD_")}
        env.update(
            PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            PYTHONUNBUFFERED="1",
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=self.secret,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DD_TRACE_ENABLED="false",
            DATABASE_URL=f"sqlite:///{self.tmp / 'db.sqlite3'}",
        )
        env.update({k: str(v) for k, v in extra.items()})
        return env

    # One-off processes and web processes

    def run(self, cmd, env: dict | None = None, check: bool = True, quiet=False, show_env=True):
        if not quiet:
            self.command(cmd, env if show_env else None)
        shell = isinstance(cmd, str)
        done = subprocess.run(
            cmd, shell=shell, cwd=ROOT, env=self.env(env or {}), capture_output=True, text=True, timeout=600
        )
        if check and done.returncode != 0:
            raise Fail(f"`{cmd if shell else shlex.join(cmd)}` exited {done.returncode}: {tail(done)}")
        return done

    def manage(self, *args: str, env: dict | None = None, check: bool = True, quiet=False, show_env=True):
        return self.run(["python", "manage.py", *args], env, check, quiet, show_env)

    def spawn(
        self, name: str, cmd: list[str], env: dict, show: bool = True, shown_env: dict | None = None
    ) -> Process:
        if show:
            self.command(cmd, env if shown_env is None else shown_env)
        out, err = self.tmp / f"{name}.out", self.tmp / f"{name}.err"
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            popen = subprocess.Popen(
                cmd, cwd=ROOT, env=self.env(env), stdout=stdout, stderr=stderr, start_new_session=True
            )
        process = Process(name, popen, out, err)
        self.processes.append(process)
        return process

    def web(self, name: str, env=None, workers: int = 1, procfile: bool = False, show_env=True) -> Process:
        """gunicorn on a free port: `gunicorn config.wsgi -b 127.0.0.1:PORT`, or the Procfile's web line."""
        self.static_built()
        port = free_port()
        own = {"PORT": port, "WEB_CONCURRENCY": workers}
        env = {**own, **(env or {})}
        shown_env = env if show_env else own
        if procfile:
            line = procfile_lines()["web"]
            self.command(line, shown_env)
            process = self.spawn(name, ["sh", "-c", f"exec {line}"], env, show=False)
        else:
            cmd = ["gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}"]
            process = self.spawn(name, cmd, env, shown_env=shown_env)
        process.port, process.url = port, f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                raise Fail(f"{name} exited {process.popen.returncode} at start:\n{process.tail()}")
            try:
                http("GET", process.url + "/live", timeout=2)
                return process
            except OSError:
                time.sleep(0.2)
        raise Fail(f"{name} did not answer within 60 s:\n{process.tail()}")

    def stop(self, process: Process, sig=signal.SIGTERM, timeout: float = 30) -> int | None:
        if process.popen.poll() is None:
            process.popen.send_signal(sig)
            try:
                process.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait()
        return process.popen.returncode

    def cleanup(self) -> None:
        for process in reversed(self.processes):
            with contextlib.suppress(OSError):
                self.stop(process, timeout=15)
        self.psql(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)", check=False)
        self.redis("FLUSHDB", check=False)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # Backing services, spoken to with their own clients

    def psql(self, sql: str, database: str = "postgres", check: bool = True) -> str:
        done = subprocess.run(
            ["psql", "-X", "-qtA", "-v", "ON_ERROR_STOP=1", "-d", f"{self.pg_admin}/{database}", "-c", sql],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if check and done.returncode != 0:
            raise Fail(f"psql: {done.stderr.strip()}")
        return done.stdout.strip()

    def redis(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["redis-cli", "-u", self.redis_url, *args], capture_output=True, text=True, timeout=30
        )
        if check and done.returncode != 0:
            raise Fail(f"redis-cli: {done.stderr.strip()}")
        return done.stdout.strip()

    def table_state(self, table: str) -> str:
        """Rows and a checksum of every row of `table` in the tour's PostgreSQL database."""
        return self.psql(
            "SELECT count(*) || ' rows, md5 ' "
            f"|| left(md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')), 12) FROM {table} t",
            self.pg_name,
        )

    # Shared preparations (each once, shown where first needed)

    def once(self, key: str) -> bool:
        if key in self.done:
            return False
        self.done.add(key)
        return True

    def pg_migrated(self) -> dict:
        env = {"DATABASE_URL": self.pg_url}
        if self.once("pg-migrate"):
            self.manage("migrate", "--noinput", env=env)
        return env

    def static_built(self) -> None:
        """The build step's collectstatic (as the Dockerfile and `make run` do), once."""
        if self.once("static"):
            self.manage("collectstatic", "--noinput", "-v0", quiet=True)
            self.say("(built: collectstatic into staticfiles/, as the Dockerfile's build step does)")

    def sqlite_seeded(self) -> None:
        if self.once("sqlite-seed"):
            self.manage("migrate", "--noinput", quiet=True)
            self.manage("seed_cars", quiet=True)
            self.say(f"(prepared: {self.tmp / 'db.sqlite3'} migrated, seed_cars loaded)")

    def fake_rollbar(self) -> str:
        if self.once("rollbar"):
            port = free_port()
            cmd = ["python", "-m", "rollbar_items.tests.fake_rollbar", "--port", str(port), "--seed", "3"]
            process = self.spawn("fake-rollbar", cmd, {})
            self.rollbar_url = f"http://127.0.0.1:{port}"
            for _ in range(100):
                with contextlib.suppress(OSError):
                    http("GET", self.rollbar_url + "/_fake/requests", timeout=1)
                    break
                if process.popen.poll() is not None:
                    raise Fail(f"the fake Rollbar exited:\n{process.tail()}")
                time.sleep(0.1)
        return self.rollbar_url

    def rollbar_env(self) -> dict:
        from_fake = {"READ": "demo-read-token-0000000000000001", "WRITE": "demo-write-token-000000000000002"}
        env = {"ROLLBAR_API_URL": self.fake_rollbar() + "/api/1", "ROLLBAR_TIMEOUT": 10}
        env.update({f"ROLLBAR_{scope}_TOKEN": token for scope, token in from_fake.items()})
        return env

    def token(self) -> str:
        """An API token of a staff user in the PostgreSQL database (two admin one-off processes)."""
        if self.once("token"):
            env = {**self.pg_migrated(), "DJANGO_SUPERUSER_PASSWORD": secrets.token_urlsafe(16)}
            self.manage(
                "createsuperuser", "--noinput", "--username", "tour", "--email", "tour@example.com", env=env
            )
            done = self.manage("drf_create_token", "tour", env=self.pg_migrated())
            match = re.search(r"Generated token (\S+)", done.stdout)
            if not match:
                raise Fail(f"drf_create_token printed no token: {done.stdout.strip()}")
            self.token_key = match.group(1)
        return self.token_key


def imports_report(tour: Tour, cmd: list[str], env: dict) -> dict:
    done = tour.run(cmd, env, check=False, quiet=True)
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise Fail(f"the app does not import in that environment: {tail(done)}") from None


def shown(name: str, value) -> str:
    """How a variable's value is printed: throwaway secrets as <random>."""
    value = str(value)
    return "<random>" if value and ("PASSWORD" in name or name == "DJANGO_SECRET_KEY") else value


def tail(done: subprocess.CompletedProcess, lines: int = 6) -> str:
    text = (done.stdout + done.stderr).strip().splitlines()
    return " / ".join(text[-lines:]) or "(no output)"


def app_variables() -> set[str]:
    """Every variable .env.example lists (set or commented out), plus the settings module."""
    names = re.findall(r"^#?\s?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE)
    return {*names, "DJANGO_SETTINGS_MODULE", "PROMETHEUS_MULTIPROC_DIR"}


def procfile_lines() -> dict[str, str]:
    lines = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, sep, command = line.partition(":")
        if sep and not name.startswith("#"):
            lines[name.strip()] = command.strip()
    return lines


def dotenv_names() -> list[str]:
    path = ROOT / ".env"
    if not path.exists():
        return []
    return re.findall(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=", path.read_text(), re.MULTILINE)


# --- The demonstrations, in the course's order ---------------------------------------------------

FACTORS: list[tuple[str, str, Callable[[Tour], str]]] = []


def factor(numeral: str, title: str):
    def register(function):
        FACTORS.append((numeral, title, function))
        return function

    return register


@factor("I", "Codebase")
def codebase(tour: Tour) -> str:
    cmd = ["git", "rev-parse", "--show-toplevel", "--short", "HEAD"]  # the top folder, the commit
    tour.command(cmd)
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise Fail(f"not a git checkout: {done.stderr.strip()}")
    top, commit = done.stdout.split()
    if Path(top).resolve() != ROOT:
        raise Fail(f"the project is not the root of its repository ({top})")
    cmd = [
        "git",
        "ls-files",
        "--error-unmatch",
        "Procfile",
        "Dockerfile",
        "requirements",
        "config/settings.py",
    ]
    tour.command(cmd)
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise Fail(f"not tracked in the repository: {done.stderr.strip()}")
    elsewhere = [
        f"{path.name}: {line.strip()}"
        for path in sorted((ROOT / "requirements").glob("*.txt"))
        for line in path.read_text().splitlines()
        if re.match(r"\s*(-e\s|--editable|git\+|hg\+|svn\+|file:|\.{0,2}/)", line)
    ]
    if elsewhere:
        raise Fail(f"code taken from another checkout: {'; '.join(elsewhere)}")
    tour.say(f"one repository: {top} at {commit}; every process of this tour runs this checkout")
    return (
        f"one repository ({commit}) holds the code, Procfile, Dockerfile and requirements; "
        "no dependency comes from another checkout"
    )


@factor("II", "Dependencies")
def dependencies(tour: Tour) -> str:
    packages, hashed = lock_read(LOCK)
    relative = LOCK.relative_to(ROOT)
    notes = []
    if tour.short:
        python = str(VENV_BIN / "python")
        tour.say(
            "--short: skipped the fresh virtual environment; checking the current .venv against the lock"
        )
        notes.append("current .venv (--short)")
    else:
        venv = tour.tmp / "venv"
        tour.run([str(VENV_BIN / "python"), "-m", "venv", str(venv)])
        install = [str(venv / "bin" / "pip"), "install", "-q"]
        install += ["--require-hashes"] if hashed else []
        tour.run([*install, "-r", str(relative)])
        python = str(venv / "bin" / "python")
        notes.append(f"fresh venv, {len(packages)} packages{' by hash' if hashed else ''}")
    if not hashed:
        tour.say(f"{relative} holds no --hash= lines yet: installed without --require-hashes")
        tour.say("(not fully locked: what the listed packages require counts as declared)")
    found, optional = set(), {}
    modes = {
        "sqlite": {"PROMETHEUS_MULTIPROC_DIR": tour.tmp / "prometheus", "DJANGO_ALLOWED_HOSTS": "testserver"},
        "services": {
            "DATABASE_URL": tour.pg_url,
            "CACHE_URL": tour.redis_url,
            "DJANGO_ALLOWED_HOSTS": "testserver",
        },
    }
    (tour.tmp / "prometheus").mkdir(exist_ok=True)
    for mode, env in modes.items():
        cmd = [python, "scripts/tour.py", "--imports-check", mode]
        tour.command(cmd, {k: v for k, v in env.items() if k in ("DATABASE_URL", "CACHE_URL")})
        report = imports_report(tour, cmd, env)
        if report["undeclared"]:
            # Imported because installed here: the same run with them unimportable tells optional from needed.
            names = sorted(report["undeclared"])
            again = imports_report(tour, [*cmd, "--block", ",".join(names)], env)
            if again["errors"]:
                needed = ", ".join(f"{m} ({', '.join(d)})" for m, d in report["undeclared"].items())
                raise Fail(
                    f"{mode}: with {needed} unimportable (not in {relative}) the app fails: "
                    + "; ".join(again["errors"])
                )
            optional.update(report["undeclared"])
            report = again
        problems = report["errors"] + [f"of unknown origin: {m}" for m in report["unknown"]]
        if problems or report["undeclared"]:
            raise Fail(f"{mode}: " + "; ".join(problems + [f"undeclared: {m}" for m in report["undeclared"]]))
        found.update(report["distributions"])
    tour.say(f"{len(found)} distributions imported, all in {relative}: {', '.join(sorted(found))}")
    if optional:
        tour.say(
            "imported only because installed here (the app runs without them): " + ", ".join(sorted(optional))
        )
    if not hashed and os.environ.get("CI"):
        raise Fail(f"{relative} is not hashed (pip-compile --generate-hashes); CI requires it")
    return (
        f"{notes[0]}: the app imports, migrates and serves on SQLite, PostgreSQL and Redis, "
        f"and every module it loaded comes from {relative}"
    )


@factor("III", "Config")
def config(tour: Tour) -> str:
    tour.sqlite_seeded()
    seen = []
    for version, size in (("2.0.0-tour-a", 2), ("2.0.0-tour-b", 5)):
        web = tour.web(f"config-{size}", {"APP_VERSION": version, "API_PAGE_SIZE": size})
        root, cars = http("GET", web.url + "/").json(), http("GET", web.url + "/cars").json()
        tour.say(
            f"GET / -> version {root['version']}; GET /cars -> {len(cars['cars'])} of {cars['count']} cars"
        )
        seen.append((root["version"], len(cars["cars"])))
        tour.stop(web)
    if seen != [("2.0.0-tour-a", 2), ("2.0.0-tour-b", 5)]:
        raise Fail(f"the answers did not follow the environment: {seen}")
    env = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": ""}
    port = free_port()
    web = tour.spawn("config-nokey", ["gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}"], env)
    deadline = time.monotonic() + 60
    while (code := web.popen.poll()) is None:
        with contextlib.suppress(OSError):
            answer = http("GET", f"http://127.0.0.1:{port}/", timeout=2)
            raise Fail(f"production started without DJANGO_SECRET_KEY: GET / answered {answer.status}")
        if time.monotonic() > deadline:
            raise Fail("production neither refused nor answered within 60 s without DJANGO_SECRET_KEY")
        time.sleep(0.2)
    refusal = re.search(r"DJANGO_SECRET_KEY[^\\\"\n]*", web.output())
    if code == 0 or not refusal:
        raise Fail(f"no refusal naming DJANGO_SECRET_KEY (exit {code}):\n{web.tail()}")
    tour.say(f"gunicorn exited {code}: {refusal.group(0).split(', e.g.')[0][:100]}")
    return "same build, other answers from APP_VERSION and API_PAGE_SIZE alone; no secret key, no start"


@factor("IV", "Backing services")
def backing_services(tour: Tour) -> str:
    sqlite_file = tour.tmp / "backing.sqlite3"
    steps = [
        ("SQLite", {"DATABASE_URL": f"sqlite:///{sqlite_file}"}),
        ("PostgreSQL", {"DATABASE_URL": tour.pg_url}),
        ("PostgreSQL + Redis", {"DATABASE_URL": tour.pg_url, "CACHE_URL": tour.redis_url}),
    ]
    expected_checks = [{"database"}, {"database"}, {"database", "cache"}]
    if "CACHE_URL" in dotenv_names():
        expected_checks = [{"database", "cache"}] * 3
    tour.redis("FLUSHDB")
    for (name, env), expected in zip(steps, expected_checks, strict=True):
        if name != "PostgreSQL + Redis":
            tour.manage("migrate", "--noinput", env=env)
        tour.done.add("pg-migrate")
        web = tour.web(f"backing-{len(expected)}-{name[:4]}", env)
        check = http("GET", web.url + "/check")
        body = check.json()
        posted = http(
            "POST",
            web.url + "/api/comment/new",
            {"email": "tour@example.com", "comment": f"stored in {name}", "content_id": 1},
        )
        tour.stop(web)
        checks = body.get("checks", {}) if isinstance(body, dict) else {}
        names_ok = set(checks) == expected and all(str(v).startswith("OK") for v in checks.values())
        if check.status != 200 or not names_ok or posted.status != 201:
            raise Fail(f"{name}: /check {check.status} {body}; POST comment {posted.status}")
        if name == "SQLite":
            with contextlib.closing(sqlite3.connect(sqlite_file)) as db:
                where = (
                    f"{db.execute('SELECT count(*) FROM comments_comment').fetchone()[0]} comment in the file"
                )
        elif name == "PostgreSQL":
            count = tour.psql("SELECT count(*) FROM comments_comment", tour.pg_name)
            where = f"{count} comment in database {tour.pg_name}"
        else:
            keys = tour.redis("--scan").split()
            if not keys:
                raise Fail("Redis db holds no key: the cache was not used")
            where = f"{len(keys)} keys in Redis ({', '.join(sorted(keys)[:2])})"
        tour.say(f"{name}: /check {check.status} {json.dumps(body, separators=(',', ':'))}; {where}")
    return (
        "the same code on SQLite, PostgreSQL, then PostgreSQL with Redis, by DATABASE_URL and CACHE_URL alone"
    )


@factor("V", "Build, release, run")
def build_release_run(tour: Tour) -> str:
    cmd = ["git", "ls-files", ".env", ".env.*", "*.env"]
    tour.command(cmd)
    tracked = [
        f
        for f in subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True).stdout.split()
        if f != ".env.example"
    ]
    ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    env_set = re.findall(
        r"^(?:ENV|ARG)\s+(.+?)(?<!\\)$", (ROOT / "Dockerfile").read_text(), re.MULTILINE | re.DOTALL
    )
    names = set(re.findall(r"([A-Z][A-Z0-9_]+)=", " ".join(env_set)))
    baked = sorted((names & app_variables()) - {"PORT"})
    if tracked or ".env" not in ignored or baked:
        raise Fail(
            f"configuration in the artefact: tracked {tracked}, .env in .dockerignore: "
            f"{'.env' in ignored}, Dockerfile ENV {baked}"
        )
    tour.say(
        "no .env tracked, none copied into the image (.dockerignore); "
        "the Dockerfile's ENV sets no setting but PORT's default"
    )
    lines = procfile_lines()
    tour.say(f"Procfile: release: {lines['release']}  |  web: {lines['web']}")
    env = {"DATABASE_URL": f"sqlite:///{tour.tmp / 'release.sqlite3'}"}
    before = tour.manage("migrate", "--check", env=env, check=False)
    if before.returncode == 0:
        raise Fail("a fresh database reported no migration to apply")
    release = tour.run(lines["release"], env)
    applied = release.stdout.count("Applying ")
    after = tour.manage("migrate", "--check", env=env, check=False)
    if after.returncode != 0:
        raise Fail("migrations left unapplied after the release step")
    web = tour.web("release-web", env, procfile=True)
    cars = http("GET", web.url + "/cars")
    tour.stop(web)
    if cars.status != 200:
        raise Fail(f"the web process after the release answered GET /cars {cars.status}")
    tour.say(
        f"release applied {applied} migrations as its own process (exit 0); then web: GET /cars {cars.status}"
    )
    return "the artefact holds no configuration; release (migrate) runs once, on its own, before web"


@factor("VI", "Processes")
def processes(tour: Tour) -> str:
    env = {**tour.pg_migrated(), "CACHE_URL": tour.redis_url, "COMMENTS_THROTTLE_RATE": f"{THROTTLE}/min"}
    tour.redis("FLUSHDB")
    one, two = tour.web("process-1", env), tour.web("process-2", env)
    content_id = 4000 + os.getpid() % 1000
    comment = {"email": "tour@example.com", "comment": "posted through process 1", "content_id": content_id}
    posted = http("POST", one.url + "/api/comment/new", comment)
    listed = http("GET", f"{two.url}/api/comment/list/{content_id}")
    tour.say(
        f"POST via :{one.port} -> {posted.status}; "
        f"GET list via :{two.port} -> {listed.status} {listed.body.decode()[:70]}..."
    )
    if posted.status != 201 or listed.status != 200 or "posted through process 1" not in listed.body.decode():
        raise Fail("a comment posted through one process is not listed through the other")
    statuses = [posted.status]
    for n in range(THROTTLE):
        server = (two, one)[n % 2]
        statuses.append(
            http("POST", server.url + "/api/comment/new", {**comment, "comment": f"post {n + 2}"}).status
        )
    tour.say(f"COMMENTS_THROTTLE_RATE={THROTTLE}/min, posts alternating between the two: {statuses}")
    tour.stop(one)
    tour.stop(two)
    if statuses != [201] * THROTTLE + [429]:
        raise Fail(f"the throttle did not count across both processes: {statuses}")
    return "two web processes share nothing but the backing services: both see the comment and the throttle"


@factor("VII", "Port binding")
def port_binding(tour: Tour) -> str:
    tour.sqlite_seeded()
    web = tour.web("port", procfile=True)
    root = http("GET", web.url + "/")
    owners, master = listener_pids(web.port), web.popen.pid
    workers = set(children(master))
    tour.stop(web)
    body = root.json() if root.status == 200 else {}
    tour.say(f"GET http://127.0.0.1:{web.port}/ -> {root.status}, service {body.get('service')}")
    tour.say(
        f"the socket listening on {web.port} is held by gunicorn's master {master} "
        f"and its workers {sorted(workers)}, no other process"
    )
    if root.status != 200 or master not in owners or not owners <= {master, *workers}:
        raise Fail("the app does not serve on $PORT by itself")
    return "the web process binds $PORT itself and answers HTTP; nothing else listens in front of it"


@factor("VIII", "Concurrency")
def concurrency(tour: Tour) -> str:
    tour.sqlite_seeded()
    counts = []
    for workers in (1, 3):
        web = tour.web(f"concurrency-{workers}", workers=workers)
        deadline = time.monotonic() + 30
        while len(children(web.popen.pid)) != workers and time.monotonic() < deadline:
            time.sleep(0.2)
        counts.append(len(children(web.popen.pid)))
        tour.stop(web)
    tour.say(
        f"WEB_CONCURRENCY=1 -> {counts[0]} worker process; WEB_CONCURRENCY=3 -> {counts[1]} worker processes"
    )
    if counts != [1, 3]:
        raise Fail(f"WEB_CONCURRENCY did not set the number of workers: {counts}")
    return "scaled out by process count: WEB_CONCURRENCY sets the workers; more instances as in VI"


@factor("IX", "Disposability")
def disposability(tour: Tour) -> str:
    env = {**tour.pg_migrated(), **tour.rollbar_env(), "GUNICORN_GRACEFUL_TIMEOUT": GRACE_SECONDS}
    token = tour.token()
    http("POST", tour.rollbar_url + "/_fake/config", {"response_delay": SLOW_SECONDS})
    web = tour.web("dispose", env)
    answers = []
    slow = threading.Thread(
        target=lambda: answers.append(
            http("GET", web.url + "/items", headers={"Authorization": f"Token {token}"}, timeout=30)
        )
    )
    slow.start()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        seen = http("GET", tour.rollbar_url + "/_fake/requests").json()["result"]
        if any("/items" in str(r.get("path", "")) for r in seen):
            break
        time.sleep(0.05)
    signalled = time.monotonic()
    tour.say(f"GET /items in flight (Rollbar answers in {SLOW_SECONDS} s); kill -TERM {web.popen.pid}")
    code = tour.stop(web, timeout=GRACE_SECONDS + 5)
    stopped = time.monotonic() - signalled
    slow.join(30)
    http("POST", tour.rollbar_url + "/_fake/config", {"response_delay": 0})
    status = answers[0].status if answers else None
    tour.say(
        f"the request answered {status}; gunicorn exited {code} "
        f"{stopped:.1f} s after SIGTERM (grace {GRACE_SECONDS} s)"
    )
    if status != 200 or code != 0 or stopped >= GRACE_SECONDS:
        raise Fail("SIGTERM did not let the request finish and the process stop within the grace period")

    db = tour.pg_migrated()
    tour.manage("seed_cars", env=db, quiet=True)
    before = tour.table_state("cars_car")
    cmd = ["python", "manage.py", "seed_cars", "--count", "1000000", "--batch-size", "10000"]
    seeding = tour.spawn("dispose-seed", cmd, db)
    progress = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and seeding.popen.poll() is None:
        found = re.findall(r"\] ([\d,]+)/", seeding.err.read_text(errors="replace"))
        if found and found[-1] != "0":
            progress = found[-1]
            break
        time.sleep(0.05)
    if seeding.popen.poll() is not None:
        raise Fail(f"seed_cars exited {seeding.popen.returncode} before writing:\n{seeding.tail(4)}")
    seeding.popen.send_signal(signal.SIGKILL)
    seeding.popen.wait()
    after = tour.table_state("cars_car")
    again = tour.manage("seed_cars", env=db)
    tour.say(f"kill -KILL at {progress or '?'} of 1,000,000 rows: cars_car {before} before, {after} after")
    tour.say(f"next run: {again.stdout.strip()}")
    if not progress or before != after:
        raise Fail("the killed process left part of its work in the database")
    return "SIGTERM: the request in flight finishes, then the process exits; SIGKILL leaves no half-write"


@factor("X", "Dev/prod parity")
def parity(tour: Tour) -> str:
    env = {**tour.pg_migrated(), "CACHE_URL": tour.redis_url}
    cmd = ["python", "-m", "pytest", "tests/test_tour.py", "-q", "-p", "no:cacheprovider", "--noconftest"]
    done = tour.run(cmd, env, check=False)
    summary = next(
        (line for line in reversed(done.stdout.splitlines()) if " passed" in line or " failed" in line),
        tail(done),
    )
    tour.say(f"pytest: {summary.strip('= ')}")
    settings_lines = [
        f"{path}: DJANGO_SETTINGS_MODULE=config.settings"
        for path in ("pyproject.toml", "manage.py", "config/wsgi.py")
        if re.search(
            r"""DJANGO_SETTINGS_MODULE["']?\s*[=,]\s*["']config\.settings["']""", (ROOT / path).read_text()
        )
    ]
    tour.say("; ".join(settings_lines))
    if done.returncode != 0 or len(settings_lines) != 3:
        raise Fail(f"the suite does not run on the production settings and services: {tail(done)}")
    return "the suite runs on config.settings, production's module, against the same PostgreSQL and Redis"


@factor("XI", "Logs")
def logs(tour: Tour) -> str:
    tour.sqlite_seeded()
    web = tour.web("logs")
    sent = {f"tour-{n}-{secrets.token_hex(4)}": path for n, path in enumerate(("/", "/cars", "/nowhere"))}
    for request_id, path in sent.items():
        http("GET", web.url + path, headers={"X-Request-ID": request_id})
    tour.stop(web)
    lines = [line for line in web.out.read_text(errors="replace").splitlines() if line.strip()]
    events, broken = [], []
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            event = None
        if isinstance(event, dict) and "request_id" in event:
            events.append(event)
        else:
            broken.append(line)
    matched = {e["request_id"]: e for e in events if e["request_id"] in sent}
    sample = next((e for e in events if e.get("request_id") in sent), {})
    tour.say(
        f"stdout: {len(lines)} lines, {len(events)} JSON events; "
        f"{len(matched)} of the {len(sent)} requests found by their X-Request-ID"
    )
    tour.say(f"e.g. {json.dumps(sample)[:150]}")
    err_lines = web.err.read_text(errors="replace").strip().splitlines()
    if broken or len(matched) != len(sent) or err_lines:
        problems = broken[:2] + [f"stderr: {line}" for line in err_lines[:2]]
        raise Fail(f"{len(broken)} stdout lines are not JSON events, {len(err_lines)} on stderr: {problems}")
    return "every stdout line is one JSON event; each request's line carries its X-Request-ID"


@factor("XII", "Admin processes")
def admin_processes(tour: Tour) -> str:
    env = {**tour.pg_migrated(), **tour.rollbar_env()}
    tour.export(env)
    runs = [
        (["seed_cars"], "cars_car"),
        (["seed_locations"], "availability_location"),
        (["rollbar", "reports", "list"], "rollbar_items_report"),
    ]
    for args, table in runs:
        states, outputs = [], []
        for _ in range(2):
            done = tour.manage(*args, env=env, show_env=False)
            outputs.append(done.stdout.strip())
            states.append(tour.table_state(table))
        if args[0] == "rollbar":
            reports = json.loads(outputs[1] or "[]")
            said = (
                f"{len(reports)} report, id {reports[0]['id'] if reports else '-'}, the same JSON both times"
            )
        else:
            said = outputs[1].splitlines()[0] if outputs[1] else ""
        tour.say(f"{' '.join(args)} twice: {table} {states[0]} / {states[1]}; 2nd run: {said}")
        if states[0] != states[1] or (args[0] == "rollbar" and outputs[0] != outputs[1]):
            raise Fail(f"`manage.py {' '.join(args)}` did not give the same result twice")
    web = tour.web("admin-web", env, show_env=False)
    listed = http("GET", web.url + "/cars").json()
    tour.stop(web)
    stored = tour.psql("SELECT count(*) FROM cars_car", tour.pg_name)
    tour.say(
        f"the web process sees what they wrote: GET /cars count {listed['count']}, cars_car {stored} rows"
    )
    if str(listed["count"]) != stored:
        raise Fail("the web process and the one-off processes do not share the database")
    return "seed_cars, seed_locations and rollbar run as one-off processes on the web's database, idempotent"


# --- Running the tour ----------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="The Twelve-Factor tour (docs/twelve-factor.md).")
    parser.add_argument("--short", action="store_true", help="CI form: reuse .venv for II. Dependencies")
    parser.add_argument("--only", default="", help="comma-separated numerals, e.g. III,XI")
    parser.add_argument("--imports-check", choices=("sqlite", "services"), help=argparse.SUPPRESS)
    parser.add_argument("--block", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.imports_check:
        imports_check(args.imports_check, {name for name in args.block.split(",") if name})
        return 0
    only = {n.strip().upper() for n in args.only.split(",") if n.strip()}
    chosen = [f for f in FACTORS if not only or f[0] in only]
    if not chosen:
        parser.error(f"--only: none of {sorted(only)} is a factor numeral (I..XII)")
    for tool in ("psql", "redis-cli", "git"):
        if not shutil.which(tool):
            print(
                f"tour: {tool} is needed (apt-get install postgresql-client redis-tools git)", file=sys.stderr
            )
            return 2

    tour = Tour(
        short=args.short,
        tmp=Path(tempfile.mkdtemp(prefix="tour-")),
        pg_admin=os.environ.get("TOUR_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/"),
        redis_url=os.environ.get("TOUR_REDIS_URL", "redis://127.0.0.1:6379/8"),
    )

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    results = []
    try:
        tour.psql(f"CREATE DATABASE {tour.pg_name}")
        tour.redis("FLUSHDB")
        print(
            f"Twelve-Factor tour{' (--short)' if args.short else ''}: on 127.0.0.1, PostgreSQL database "
            f"{tour.pg_name} (dropped at the end), Redis {tour.redis_url}, temporary folder $TMP.\n"
            "Every app process gets DJANGO_DEBUG=false, a throwaway DJANGO_SECRET_KEY, "
            "DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost and DJANGO_SECURE_SSL_REDIRECT=false; "
            "`python`, `gunicorn` are .venv's."
        )
        if dotenv_names():
            print(
                f"Note: .env sets {', '.join(dotenv_names())}; the app reads it where the tour sets nothing."
            )
        for numeral, title, demo in chosen:
            print(f"\n== {numeral}. {title} " + "=" * max(3, 60 - len(numeral) - len(title)), flush=True)
            started, running = time.monotonic(), len(tour.processes)
            try:
                verdict, ok = demo(tour), True
            except Fail as failure:
                verdict, ok = str(failure), False
            except Exception as error:  # noqa: BLE001 - any error fails this demonstration, not the tour
                verdict, ok = f"{type(error).__name__}: {error}", False
            for process in tour.processes[running:]:  # what a failed demonstration left running
                if process.name != "fake-rollbar":
                    tour.stop(process, timeout=15)
            tour.show(f"{'PASS' if ok else 'FAIL'}  {verdict}  ({time.monotonic() - started:.0f} s)")
            results.append((numeral, title, ok))
    except KeyboardInterrupt:
        print("\ntour: interrupted; cleaning up", file=sys.stderr)
        results.append(("-", "interrupted", False))
    finally:
        tour.cleanup()
    passed = sum(ok for *_, ok in results)
    print("\n== Summary " + "=" * 52)
    for numeral, title, ok in results:
        print(f"{'PASS' if ok else 'FAIL'}  {numeral}. {title}")
    skipped = " (--short: II checked the current .venv, no fresh install)" if args.short else ""
    print(f"{passed} of {len(results)} demonstrations passed{skipped}.")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
