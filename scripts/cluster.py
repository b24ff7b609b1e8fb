"""Several instances of the application on one machine: `make cluster` (scripts/cluster).

    make cluster                          # 3 instances behind HAProxy on $PORT (default 8000)
    CLUSTER_SIZE=5 PORT=8080 make cluster
    kill -HUP <pid of this process>       # rolling restart, one instance at a time

What it starts, all on 127.0.0.1, with no Docker: PgBouncer (transaction pooling) in front of the
PostgreSQL of DATABASE_URL (unset: the database CLUSTER_DB, default `twelve_factor_cluster`, on the
local server, created when missing); the release phase once (the Procfile's `release` command, then
the seeds of `make seed`); CLUSTER_SIZE instances of the Procfile's `web` command on their own free
ports, through PgBouncer, sharing one Redis (CACHE_URL; unset: the local Redis, database
CLUSTER_REDIS_DB, default 0); HAProxy on $PORT (deploy/haproxy/haproxy.cfg). Every process gets the
environment `make run` would (and `.env`), so any variable of `.env.example` applies to every
instance; the cluster sets only what pooling needs. Each line of output is prefixed with the name
of the process that wrote it. Ctrl-C or SIGTERM stops everything; an instance that dies is started
again.

bench/failures.py drives the same classes to break the cluster under load.
"""

import contextlib
import getpass
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from string import Template
from urllib.parse import quote, unquote, urlsplit

import environ
import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY_DIR = BASE_DIR / "deploy"
VENV_BIN = Path(sys.executable).parent

Output = Callable[[str, bytes], None]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrefixedStdout:
    """An `Output`: each line on stdout, after the name of the process that wrote it."""

    def __init__(self):
        self.lock = threading.Lock()

    def __call__(self, name: str, line: bytes) -> None:
        with self.lock:
            sys.stdout.buffer.write(f"{name:<10}| ".encode() + line)
            sys.stdout.buffer.flush()


class LogFiles:
    """An `Output`: each process's lines in `<folder>/<name>.log` (the failure run prints figures only)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.lock = threading.Lock()
        self.files = {}

    def __call__(self, name: str, line: bytes) -> None:
        with self.lock:
            if name not in self.files:
                self.files[name] = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - kept open
            self.files[name].write(line)
            self.files[name].flush()


def as_user(user: str | None) -> list[str]:
    """The argv prefix that runs a command as `user` (PgBouncer and PostgreSQL refuse root)."""
    if user is None or os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups"]


class Process:
    """One child process: its own session (Ctrl-C reaches this script only, which stops it in
    order), killed by the kernel if this script dies (setpriv --pdeathsig), output sent line by line."""

    def __init__(self, name: str, argv: list[str], *, env: dict, output: Output, user: str | None = None):
        self.name, self.argv, self.env, self.output, self.user = name, argv, env, output, user
        self.popen = None

    def start(self) -> "Process":
        argv = [*(as_user(self.user) or ["setpriv"]), "--pdeathsig=TERM", "--", *self.argv]
        self.popen = subprocess.Popen(  # noqa: S603 - argv of this project's own commands
            argv,
            cwd=BASE_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        threading.Thread(target=self._pump, args=(self.popen.stdout,), daemon=True).start()
        return self

    def _pump(self, stream) -> None:
        for line in iter(stream.readline, b""):
            self.output(self.name, line)
        stream.close()

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def send(self, sig: int) -> None:
        if self.alive():
            self.popen.send_signal(sig)

    def kill_group(self) -> None:
        """SIGKILL to the process and its children at once, as a crashed container dies."""
        if self.popen is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int | None:
        if self.popen is None:
            return None
        self.send(sig)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.output(self.name, f"did not stop within {timeout:.0f}s after {sig!s}: killed\n".encode())
        self.kill_group()  # whatever it left behind
        return self.popen.returncode


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> float:
    """Seconds it took for `predicate()` to hold; RuntimeError after `timeout`."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"{what}: not within {timeout:.0f}s")
        time.sleep(interval)
    return time.monotonic() - started


def procfile(kind: str) -> list[str]:
    """The Procfile's command for `kind` (release, web), as argv."""
    for line in (BASE_DIR / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == kind:
            return shlex.split(command)
    raise RuntimeError(f"Procfile has no {kind} process")


def with_venv_path(env: dict) -> dict:
    """The environment with this Python's bin folder first on PATH (gunicorn, python), as in `make run`."""
    return {**env, "PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', os.defpath)}"}


def web_concurrency(env: dict) -> int:
    """The workers of each instance as gunicorn.conf.py counts them: WEB_CONCURRENCY, else 2 x CPUs + 1."""
    cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1
    return int(env.get("WEB_CONCURRENCY") or 2 * cpus + 1)


def check_host(env: dict) -> str:
    """A Host header the settings accept, for health checks (the first of DJANGO_ALLOWED_HOSTS)."""
    first = env.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
    return first if first not in ("", "*") else "localhost"


class Database:
    """The PostgreSQL of a DATABASE_URL: its parts, creation, and the database-level settings."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql", "pgsql"):
            raise RuntimeError(f"the cluster needs PostgreSQL, not {parts.scheme or url!r}")
        self.url = url
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 5432
        self.user = unquote(parts.username or getpass.getuser())
        self.password = unquote(parts.password or "")
        self.name = unquote(parts.path.lstrip("/")) or self.user

    def url_at(self, host: str, port: int, database: str | None = None) -> str:
        auth = quote(self.user) + (f":{quote(self.password)}" if self.password else "")
        return f"postgres://{auth}@{host}:{port}/{quote(database or self.name)}"

    def admin(self, statement: sql.Composable, params=(), database: str = "postgres"):
        with psycopg.connect(self.url_at(self.host, self.port, database), autocommit=True) as conn:
            cursor = conn.execute(statement, params)
            return cursor.fetchall() if cursor.description else None

    def create_if_missing(self) -> bool:
        exists = self.admin(sql.SQL("SELECT 1 FROM pg_database WHERE datname = %s"), (self.name,))
        if not exists:
            self.admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        return not exists

    def set_statement_timeout(self, milliseconds: int) -> None:
        """Every new session of the database gets it: what passes through a pooler in transaction mode."""
        self.admin(
            sql.SQL("ALTER DATABASE {} SET statement_timeout = {}").format(
                sql.Identifier(self.name), sql.Literal(f"{milliseconds}ms")
            )
        )


class PgBouncer:
    """PgBouncer in transaction mode on a free port, in front of `database` (deploy/pgbouncer/)."""

    def __init__(self, database: Database, workdir: Path, *, output: Output, pool_size: int, clients: int):
        self.database = database
        self.port = free_port()
        self.url = database.url_at("127.0.0.1", self.port)
        user = "postgres" if os.geteuid() == 0 else None
        auth_file = workdir / "pgbouncer-users.txt"
        auth_file.write_text(f'"{database.user}" "{database.password}"\n')
        auth_file.chmod(0o600)
        if user:
            shutil.chown(auth_file, user)
        config = workdir / "pgbouncer.ini"
        config.write_text(
            Template((DEPLOY_DIR / "pgbouncer" / "pgbouncer.ini").read_text()).substitute(
                database=database.name,
                host=database.host,
                port=database.port,
                dbname=database.name,
                user=database.user,
                listen_port=self.port,
                auth_type="md5" if database.password else "trust",
                auth_file=auth_file,
                pool_size=pool_size,
                max_client_conn=clients,
            )
        )
        config.chmod(0o644)
        self.process = Process(
            "pgbouncer", ["pgbouncer", str(config)], env=dict(os.environ), output=output, user=user
        )

    def start(self) -> None:
        self.process.start()
        wait_until(self._listening, 10, "PgBouncer listening")

    def _listening(self) -> bool:
        if not self.process.alive():
            raise RuntimeError("PgBouncer exited; see its lines above")
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) == 0


class Instance:
    """One instance: the Procfile's `web` command (gunicorn) on 127.0.0.1 and its own port."""

    def __init__(self, name: str, env: dict, *, output: Output):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.host = check_host(env)
        self.process = Process(
            name,
            [*procfile("web"), "--bind", f"127.0.0.1:{self.port}"],
            env={**env, "PORT": str(self.port)},
            output=output,
        )

    def start(self) -> None:
        self.process.start()

    def ready(self) -> bool:
        if not self.process.alive():
            raise RuntimeError(f"{self.name} exited with {self.process.popen.returncode}; see its lines")
        request = urllib.request.Request(self.url + "/check", headers={"Host": self.host})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - http to 127.0.0.1
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def wait_ready(self, timeout: float = 60) -> None:
        wait_until(self.ready, timeout, f"{self.name} ready", interval=0.2)


class Haproxy:
    """HAProxy on 127.0.0.1:`port` in front of `servers` (name -> port): deploy/haproxy/haproxy.cfg, plus the
    backends and the runtime API socket written here."""

    def __init__(
        self, servers: dict[str, int], workdir: Path, *, port: int, host: str, output: Output, maxconn: int
    ):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.socket_path = workdir / "haproxy.sock"
        backends = workdir / "haproxy-backends.cfg"
        lines = ["global", f"    stats socket {self.socket_path} mode 600 level admin", ""]
        # web_unchecked serves only when no instance passes its checks (haproxy.cfg): no checks, and
        # no marking down on errors there, which nothing would undo.
        for backend, check in (("web", " check"), ("web_unchecked", " observe none")):
            lines += [f"backend {backend}", "    balance leastconn"]
            lines += [f"    server {n} 127.0.0.1:{p}{check} maxconn {maxconn}" for n, p in servers.items()]
            lines.append("")
        backends.write_text("\n".join(lines))
        self.process = Process(
            "haproxy",
            ["haproxy", "-db", "-f", str(DEPLOY_DIR / "haproxy" / "haproxy.cfg"), "-f", str(backends)],
            env={**os.environ, "HAPROXY_BIND": f"127.0.0.1:{port}", "HAPROXY_CHECK_HOST": host},
            output=output,
        )

    def start(self) -> None:
        self.process.start()
        wait_until(self.socket_path.exists, 10, "HAProxy started")

    def command(self, line: str) -> str:
        """One command of HAProxy's runtime API (`show stat`, `set server web/web1 state maint`, ...)."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(5)
            sock.connect(str(self.socket_path))
            sock.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def stats(self, backend: str = "web") -> dict[str, dict[str, str]]:
        """`show stat` of the servers of `backend`: name -> columns (status, scur, qcur, stot, ...)."""
        rows = self.command("show stat").strip().splitlines()
        header = rows[0].lstrip("# ").split(",")
        servers = {}
        for row in rows[1:]:
            record = dict(zip(header, row.split(","), strict=False))
            if record["pxname"] == backend and record["svname"] not in ("FRONTEND", "BACKEND"):
                servers[record["svname"]] = record
        return servers

    def status(self, server: str) -> str:
        return self.stats()[server]["status"].split(" ")[0]  # UP, DOWN, MAINT, "UP 1/2" -> UP

    def set_state(self, server: str, state: str) -> None:
        for backend in ("web", "web_unchecked"):
            self.command(f"set server {backend}/{server} state {state}")


class Cluster:
    """PgBouncer, `size` instances and HAProxy on `port`, against `database_url` and `cache_url`."""

    def __init__(
        self,
        *,
        size: int,
        port: int,
        database_url: str,
        cache_url: str,
        env: dict,
        output: Output,
        pool_size: int = 20,
        statement_timeout_ms: int = 20000,
    ):
        self.workdir = Path(tempfile.mkdtemp(prefix="cluster-"))
        self.workdir.chmod(0o755)  # PgBouncer runs as postgres when this runs as root
        self.output = output
        self.database = Database(database_url)
        self.statement_timeout_ms = statement_timeout_ms
        self.env = with_venv_path(env)
        workers = web_concurrency(self.env) * int(self.env.get("GUNICORN_THREADS", "1"))
        # Twice the instances' connections: a restarted instance's new workers connect before the
        # old ones' connections are closed.
        self.pgbouncer = PgBouncer(
            self.database, self.workdir, output=output, pool_size=pool_size, clients=2 * size * workers + 20
        )
        instance_env = {
            **self.env,
            "DATABASE_URL": self.pgbouncer.url,
            "CACHE_URL": cache_url,
            # What a server connection cannot keep between two transactions in PgBouncer's
            # transaction mode: server-side cursors and prepared statements.
            "DATABASE_SERVER_SIDE_CURSORS": "false",
            "DATABASE_PREPARED_STATEMENTS": "false",
            # PgBouncer is the pool: Django's own would only hold connections PgBouncer already pools.
            "DATABASE_POOL": "false",
        }
        # HAProxy is one proxy in front: throttles count the address it forwards.
        instance_env.setdefault("API_NUM_PROXIES", "1")
        self.instances = [Instance(f"web.{n}", instance_env, output=output) for n in range(1, size + 1)]
        self.haproxy = Haproxy(
            {i.name.replace(".", ""): i.port for i in self.instances},
            self.workdir,
            port=port,
            host=check_host(self.env),
            output=output,
            maxconn=workers,
        )
        self.url = f"http://127.0.0.1:{port}"
        self.graceful_timeout = float(self.env.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))

    @staticmethod
    def server(instance: "Instance") -> str:
        return instance.name.replace(".", "")  # HAProxy's name for it: web.1 -> web1

    def say(self, message: str) -> None:
        self.output("cluster", message.encode() + b"\n")

    def release(self) -> None:
        """The release phase, once, straight to PostgreSQL: the Procfile's command, then the seeds."""
        if self.database.create_if_missing():
            self.say(f"created database {self.database.name}")
        env = {**self.env, "DATABASE_URL": self.database.url, "PGOPTIONS": "-c statement_timeout=0"}
        commands = [procfile("release")]
        commands += [
            ["python", "manage.py", seed] for seed in ("seed_cars", "seed_locations", "seed_conditions")
        ]
        commands.append(["python", "manage.py", "collectstatic", "--noinput", "-v0"])
        for argv in commands:
            self.say("release: " + shlex.join(argv))
            if Process("release", argv, env=env, output=self.output).start().popen.wait() != 0:
                raise RuntimeError(f"release phase failed: {shlex.join(argv)}")
        self.database.set_statement_timeout(self.statement_timeout_ms)

    def start(self) -> None:
        self.pgbouncer.start()
        for instance in self.instances:
            instance.start()
        for instance in self.instances:
            instance.wait_ready()
        self.haproxy.start()
        for instance in self.instances:
            wait_until(
                lambda i=instance: self.haproxy.status(self.server(i)) == "UP", 15, f"{instance.name} UP"
            )
        self.say(f"{len(self.instances)} instances behind HAProxy at {self.url}")

    def rolling_restart(self) -> None:
        """Each instance in turn: out of HAProxy's rotation, SIGTERM (gunicorn finishes what it
        has), started again, back in once ready, as an orchestrator replaces pods one by one."""
        for instance in self.instances:
            self.restart(instance)

    def restart(self, instance: Instance) -> None:
        server = self.server(instance)
        self.haproxy.set_state(server, "maint")
        time.sleep(0.2)  # a connection HAProxy chose the instance for just before lands first
        self.say(f"{instance.name}: SIGTERM")
        instance.process.stop(signal.SIGTERM, timeout=self.graceful_timeout + 5)
        instance.start()
        instance.wait_ready()
        self.haproxy.set_state(server, "ready")
        wait_until(lambda: self.haproxy.status(server) == "UP", 15, f"{instance.name} UP")
        self.say(f"{instance.name}: back in rotation")

    def stop(self) -> None:
        self.haproxy.process.stop(signal.SIGUSR1, timeout=10)  # soft stop: finishes open requests
        for instance in self.instances:
            instance.process.send(signal.SIGTERM)
        for instance in self.instances:
            instance.process.stop(signal.SIGTERM, timeout=self.graceful_timeout + 5)
        self.pgbouncer.process.stop(signal.SIGTERM, timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def supervise(self, stop: threading.Event, restart: threading.Event) -> None:
        """Until `stop`: an instance that died is started again; `restart` asks for a rolling restart."""
        while not stop.wait(0.5):
            for process in (self.pgbouncer.process, self.haproxy.process):
                if not process.alive():
                    raise RuntimeError(f"{process.name} exited with {process.popen.returncode}")
            for instance in self.instances:
                if not instance.process.alive():
                    self.say(
                        f"{instance.name} exited with {instance.process.popen.returncode}: starting it again"
                    )
                    instance.start()
            if restart.is_set():
                restart.clear()
                self.rolling_restart()


def main() -> int:
    environ.Env.read_env(BASE_DIR / ".env")  # as the settings do: the real environment wins
    env = dict(os.environ)
    missing = [tool for tool in ("haproxy", "pgbouncer", "setpriv") if shutil.which(tool) is None]
    if missing:
        print(f"make cluster needs {', '.join(missing)}: apt-get install haproxy pgbouncer util-linux")
        return 2
    database_url = env.get("DATABASE_URL") or (
        f"postgres://postgres@127.0.0.1:5432/{env.get('CLUSTER_DB', 'twelve_factor_cluster')}"
    )
    cache_url = env.get("CACHE_URL") or f"redis://127.0.0.1:6379/{env.get('CLUSTER_REDIS_DB', '0')}"
    cluster = Cluster(
        size=int(env.get("CLUSTER_SIZE", "3")),
        port=int(env.get("PORT", "8000")),
        database_url=database_url,
        cache_url=cache_url,
        env=env,
        output=PrefixedStdout(),
        statement_timeout_ms=int(env.get("DATABASE_STATEMENT_TIMEOUT", "20000")),
    )
    stop, restart = threading.Event(), threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGHUP, lambda *_: restart.set())
    try:
        cluster.release()
        cluster.start()
        cluster.supervise(stop, restart)
        return 0
    except (RuntimeError, psycopg.Error) as error:
        cluster.say(f"error: {error}")
        return 1
    finally:
        cluster.say("stopping")
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
