"""Writers racing on locations and reports, through gunicorn with several workers, and seeders started
at the same moment: no 5xx, nothing written twice or lost, and the final rows agree with the answers.
"""

import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict

import pytest
import requests
from django.db import connection
from rest_framework.authtoken.models import Token

from availability.models import Location, PriceRule, Product
from conftest import BASE_DIR, database_url
from rollbar_items.models import Report
from rollbar_items.tests.fake_rollbar import POST_TOKEN, READ_TOKEN, WRITE_TOKEN

pytestmark = pytest.mark.live

SERVICE_TOKEN = "concurrency-service-token-0123456789"
WORKERS = 4
THREADS = 8
SECONDS = 4.0
PLACES = [("ni", "Leon"), ("ni", "Managua"), ("es", "Madrid")]


def hammer(action, threads: int = THREADS, seconds: float = SECONDS) -> list[dict]:
    """Run `action(rnd, session)` in a loop in each thread for `seconds`; every record it returned."""
    records, lock = [], threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(seed):
        rnd, session = random.Random(seed), requests.Session()
        while time.monotonic() < deadline:
            record = action(rnd, session)
            with lock:
                records.append(record)

    workers = [threading.Thread(target=loop, args=(seed,)) for seed in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(seconds + 60)
    return records


def timed(session, method, url, **kwargs) -> dict:
    started = time.monotonic()
    response = session.request(method, url, timeout=30, **kwargs)
    return {"start": started, "end": time.monotonic(), "status": response.status_code, "response": response}


def test_location_upserts_and_updates_racing_on_the_same_locations(gunicorn_server):
    server = gunicorn_server(workers=WORKERS, AVAILABILITY_API_TOKEN=SERVICE_TOKEN)
    auth = {"Authorization": f"Bearer {SERVICE_TOKEN}"}

    def write(rnd, session):
        country, city = rnd.choice(PLACES)
        method = rnd.choice(["POST", "POST", "PUT", "GET"])
        sent = {
            "country": country.upper(),
            "city": rnd.choice([city, city.upper()]),
            "active": rnd.random() < 0.5,
        }
        if method == "GET":
            record = timed(session, "GET", f"{server.url}/active", params={"country": country, "city": city})
        else:
            record = timed(session, method, f"{server.url}/active", json=sent, headers=auth)
        return {**record, "method": method, "place": (country, city), "active": sent["active"]}

    records = hammer(write)

    assert len(records) > 100
    assert not [r for r in records if r["status"] >= 500]
    by_place = defaultdict(list)
    for record in records:
        by_place[record["place"]].append(record)
    for (country, city), answers in by_place.items():
        rows = list(Location.objects.filter(country=country, city__iexact=city))
        writes = [r for r in answers if r["method"] != "GET" and r["status"] in (200, 201)]
        created = [r for r in writes if r["status"] == 201]
        assert len(rows) == 1 and len(created) == 1, (city, len(rows), len(created))
        row = rows[0]
        for r in writes:  # each writer's answer is what it stored, in the row's one spelling
            assert r["response"].json() == {"active": r["active"], "country": country, "city": row.city}
        for r in answers:
            assert r["status"] in (200, 201, 404), r["status"]
            if r["status"] == 404:  # only a PUT that began before the location existed
                assert r["method"] in ("PUT", "GET") and r["start"] < created[0]["end"]
        last = max(writes, key=lambda r: r["end"])
        if all(r["end"] < last["start"] for r in writes if r is not last):
            assert row.active == last["active"]  # the last write, alone at the end, is what stayed


@pytest.fixture
def rollbar(fake_rollbar_server):
    fake_rollbar_server.state.seed_items(count=3)
    return fake_rollbar_server


def test_reports_fetched_and_cleared_at_once_are_counted_once(gunicorn_server, rollbar, token, staff_user):
    staff = Token.objects.create(user=staff_user).key
    server = gunicorn_server(
        workers=WORKERS,
        ROLLBAR_API_URL=rollbar.url,
        ROLLBAR_READ_TOKEN=READ_TOKEN,
        ROLLBAR_WRITE_TOKEN=WRITE_TOKEN,
        ROLLBAR_POST_TOKEN=POST_TOKEN,
    )

    # Readers finding no report at the same moment store one between them.
    barrier = threading.Barrier(THREADS)
    listed = []

    def read():
        barrier.wait()
        response = requests.get(
            f"{server.url}/reports", headers={"Authorization": f"Token {token}"}, timeout=30
        )
        listed.append((response.status_code, [report["id"] for report in response.json()["reports"]]))

    readers = [threading.Thread(target=read) for _ in range(THREADS)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(60)
    (only,) = Report.objects.values_list("id", flat=True)
    assert listed == [(200, [only])] * THREADS

    def fetch_or_clear(rnd, session):
        if rnd.random() < 0.25:
            record = timed(
                session, "DELETE", f"{server.url}/reports", headers={"Authorization": f"Token {staff}"}
            )
            return {**record, "method": "DELETE"}
        record = timed(
            session,
            "POST",
            f"{server.url}/reports",
            json={"hours": 24},
            headers={"Authorization": f"Token {token}"},
        )
        return {**record, "method": "POST"}

    records = hammer(fetch_or_clear)

    assert not [r for r in records if r["status"] >= 500]
    assert {r["status"] for r in records} <= {200, 201}
    created = 1 + sum(r["method"] == "POST" for r in records)
    cleared = sum(
        int(re.fullmatch(r"(\d+) reports cleared\.", r["response"].json()["message"]).group(1))
        for r in records
        if r["method"] == "DELETE"
    )
    assert Report.objects.count() == created - cleared


def manage_at_once(command: str, copies: int = 3) -> list[subprocess.CompletedProcess]:
    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict)}
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", command],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(copies)
    ]
    return [subprocess.CompletedProcess(p.args, p.wait(120), *p.communicate()) for p in processes]


def created(runs, label: str) -> int:
    return sum(int(re.search(rf"{label}: (\d+) created", run.stdout).group(1)) for run in runs)


def test_seeders_started_at_the_same_moment_add_nothing_twice(transactional_db):
    locations = manage_at_once("seed_locations")
    assert [run.returncode for run in locations] == [0, 0, 0], [run.stderr for run in locations]
    assert Location.objects.count() == 205
    assert created(locations, "Locations") == 205

    conditions = manage_at_once("seed_conditions")
    assert [run.returncode for run in conditions] == [0, 0, 0], [run.stderr for run in conditions]
    products, rules = Product.objects.count(), PriceRule.objects.count()
    assert products and rules
    assert created(conditions, "Products") == products
    assert created(conditions, r"Price rules") == rules
