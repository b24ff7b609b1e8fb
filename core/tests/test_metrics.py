"""`/metrics`: Prometheus counters of requests, latency and SQL, summed over gunicorn's workers."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.parser import text_string_to_metric_families


def samples(text: str) -> dict:
    """{(sample name, frozenset of labels): value} of a scrape."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scrape: dict, name: str, **labels) -> float:
    return scrape.get((name, frozenset(labels.items())), 0.0)


@pytest.mark.django_db
def test_requests_are_counted_by_view_method_and_status_with_their_latency(client):
    before = samples(client.get("/metrics").content.decode())

    client.get("/check")
    client.get("/check/")
    client.get("/nowhere")
    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    after = samples(response.content.decode())

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("django_http_requests_total", view="check", method="GET", status="200") == 2
    assert (
        delta("django_http_requests_total", view="core.views.NotFoundView", method="GET", status="404") == 1
    )
    assert delta("django_http_request_duration_seconds_count", view="check") == 2
    assert delta("django_http_request_duration_seconds_bucket", view="check", le="+Inf") == 2
    assert delta("django_http_request_duration_seconds_sum", view="check") > 0
    # /check runs `SELECT 1` on the database each time.
    assert delta("django_db_queries_total", alias="default", vendor=client_vendor()) >= 2


def client_vendor() -> str:
    from django.db import connection

    return connection.vendor


def test_unknown_methods_are_counted_as_other(client):
    before = samples(client.get("/metrics").content.decode())

    client.generic("BREW", "/which")

    after = samples(client.get("/metrics").content.decode())
    labels = {"view": "which", "method": "other", "status": "405"}
    assert (
        value(after, "django_http_requests_total", **labels)
        - value(before, "django_http_requests_total", **labels)
        == 1
    )


def test_a_token_protects_the_metrics_when_set(client, settings):
    settings.METRICS_TOKEN = "scrape-me-0123456789"

    missing = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    other_scheme = client.get("/metrics", headers={"Authorization": "Token scrape-me-0123456789"})
    right = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-0123456789"})

    assert missing.status_code == 401
    assert missing.json() == {
        "status": "UNAUTHORIZED",
        "message": "Metrics need the header `Authorization: Bearer <METRICS_TOKEN>`.",
    }
    assert missing["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert wrong.status_code == 403
    assert wrong.json() == {"status": "FORBIDDEN", "message": "The metrics token is not valid."}
    assert other_scheme.status_code == 401
    assert right.status_code == 200
    assert b"django_http_requests_total" in right.content


def test_metrics_are_open_without_a_token_and_read_only(client, settings):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics").status_code == 200
    assert client.head("/metrics/").status_code == 200
    refused = client.post("/metrics")
    assert refused.status_code == 405
    assert refused.json()["status"] == "METHOD-NOT-ALLOWED"
    assert refused["Allow"] == "GET, HEAD"


def workers_that_counted_checks(folder) -> int:
    """How many worker files hold a count of GET /check (a worker writes counter_<pid>.db)."""
    workers = 0
    for path in folder.glob("counter_*.db"):
        values = MmapedDict.read_all_values_from_file(str(path))
        if any(
            '"django_http_requests_total"' in key and '"check"' in key and value for key, value, *_ in values
        ):
            workers += 1
    return workers


@pytest.mark.live
def test_counters_are_summed_over_the_gunicorn_workers(gunicorn_server, tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    (folder / "counter_999999.db").write_bytes(b"left by a previous run")

    # Waits on /which so that every /check below is one of ours.
    server = gunicorn_server(workers=2, wait_path="/which", PROMETHEUS_MULTIPROC_DIR=folder)
    assert not (folder / "counter_999999.db").exists()  # wiped when gunicorn started

    sent = 0
    deadline = time.monotonic() + 30
    with ThreadPoolExecutor(4) as pool:
        # Until both workers have answered some (each writes its own file).
        while workers_that_counted_checks(folder) < 2 and time.monotonic() < deadline:
            statuses = list(
                pool.map(lambda _: requests.get(server.url + "/check", timeout=10).status_code, range(8))
            )
            assert statuses == [200] * 8
            sent += 8
    assert workers_that_counted_checks(folder) == 2

    for _ in range(4):  # whichever worker answers the scrape, it reports the sum
        scrape = samples(requests.get(server.url + "/metrics", timeout=10).text)
        assert value(scrape, "django_http_requests_total", view="check", method="GET", status="200") == sent
        assert value(scrape, "django_http_request_duration_seconds_count", view="check") == sent
        assert value(scrape, "django_db_queries_total", alias="default", vendor=client_vendor()) >= sent
