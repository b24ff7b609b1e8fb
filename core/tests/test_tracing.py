"""Datadog APM: with DD_TRACE_ENABLED=true gunicorn's workers send spans for views, SQL and HTTP calls."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import free_port
from rollbar_items.tests.fake_rollbar import READ_TOKEN

pytestmark = pytest.mark.live

# Spans are flushed every 0.2 s instead of every second, so the test waits less.
TRACING = {"DD_TRACE_ENABLED": "true", "DD_TRACE_WRITER_INTERVAL_SECONDS": "0.2"}


def wait_for(condition, seconds: float = 15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    return condition()


def test_a_request_is_traced_with_its_view_sql_and_outgoing_http_call(
    gunicorn_server, fake_datadog_agent, fake_rollbar_server, token
):
    server = gunicorn_server(
        workers=2,
        **TRACING,
        DD_AGENT_HOST="127.0.0.1",
        DD_TRACE_AGENT_PORT=fake_datadog_agent.url.rsplit(":", 1)[1],
        DD_SERVICE="twelve-factor-test",
        DD_ENV="ci",
        DD_VERSION="9.9.9",
        ROLLBAR_API_URL=fake_rollbar_server.url,
        ROLLBAR_READ_TOKEN=READ_TOKEN,
    )

    # GET /items: token authentication (SQL), then a call to Rollbar's API (outgoing HTTP).
    response = requests.get(server.url + "/items", headers={"Authorization": f"Token {token}"}, timeout=10)
    assert response.status_code == 200, response.text

    def items_trace():
        spans = fake_datadog_agent.spans()
        roots = [
            s
            for s in spans
            if s["name"] == "django.request" and s["meta"].get("http.url", "").endswith("/items")
        ]
        if not roots:
            return None
        trace = [s for s in spans if s["trace_id"] == roots[0]["trace_id"]]
        names = {s["name"] for s in trace}
        if "requests.request" in names and names & {"postgres.query", "sqlite.query"}:
            return roots[0], trace
        return None

    found = wait_for(items_trace)
    assert found, f"spans received: {sorted({s['name'] for s in fake_datadog_agent.spans()})}"
    root, trace = found
    assert root["service"] == "twelve-factor-test"
    assert root["meta"]["env"] == "ci"
    assert root["meta"]["version"] == "9.9.9"
    assert root["meta"]["http.status_code"] == "200"
    assert root["meta"]["http.method"] == "GET"
    sql = [s for s in trace if s["name"] in {"postgres.query", "sqlite.query"}]
    assert any("authtoken_token" in s["resource"] for s in sql)
    outgoing = [s for s in trace if s["name"] == "requests.request"]
    assert outgoing[0]["meta"]["http.url"].startswith(fake_rollbar_server.url + "/items")
    assert outgoing[0]["meta"]["http.status_code"] == "200"

    # The request's log line carries the trace id, so logs and traces can be joined.
    high = int(root["meta"]["_dd.p.tid"], 16)
    trace_id = f"{high:016x}{root['trace_id']:016x}"
    lines = [json.loads(line) for line in server.output().splitlines() if line.startswith("{")]
    logged = [line for line in lines if line.get("request_id") == response.headers["X-Request-ID"]]
    assert logged[0]["trace_id"] == trace_id


def test_every_worker_sends_its_traces(gunicorn_server, fake_datadog_agent):
    """ddtrace is loaded before gunicorn forks: each worker must still have a working writer."""
    server = gunicorn_server(workers=2, **TRACING, DD_TRACE_AGENT_URL=fake_datadog_agent.url)

    def traced_pids():
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: requests.get(server.url + "/check", timeout=10), range(8)))
        time.sleep(0.3)
        pids = {
            s["metrics"].get("process_id")
            for s in fake_datadog_agent.spans()
            if s["name"] == "django.request"
        }
        return pids if len(pids) >= 2 else None

    assert wait_for(traced_pids, seconds=30), server.output()


def test_tracing_is_off_by_default(gunicorn_server, fake_datadog_agent):
    server = gunicorn_server(workers=2, DD_TRACE_ENABLED="", DD_TRACE_AGENT_URL=fake_datadog_agent.url)

    for _ in range(5):
        assert requests.get(server.url + "/check", timeout=10).status_code == 200
    time.sleep(1.5)

    assert fake_datadog_agent.paths == []


def test_without_an_agent_requests_work_and_the_log_is_not_flooded(gunicorn_server):
    server = gunicorn_server(workers=2, **TRACING, DD_TRACE_AGENT_URL=f"http://127.0.0.1:{free_port()}")

    def ddtrace_events():
        events = [json.loads(line) for line in server.output().splitlines()]  # ddtrace's lines too
        return [e for e in events if e["logger"].startswith("ddtrace")]

    def busy(seconds: float):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert requests.get(server.url + "/check", timeout=10).status_code == 200
            time.sleep(0.05)

    busy(1)
    assert wait_for(ddtrace_events, seconds=20)  # the failing fake_datadog_agent is reported...
    busy(3)  # ...and 15 more failed flushes a worker (one each 0.2 s) later, still about once
    assert len(ddtrace_events()) <= 4, ddtrace_events()
