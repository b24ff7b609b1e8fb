"""Writers racing on the same cars and comments through gunicorn: no 5xx, and rows agree with the answers.

A request that races another on the same resource gets the answer it would get had it come
second: 404 for a car or comment deleted meanwhile, 200 with one consistent row for two updates.
"""

import os
import random
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests
from django.db import connection
from rest_framework.authtoken.models import Token

from cars.models import Car
from cars.services import car_inventory
from cars.tests.factories import CarFactory
from comments.models import Comment
from comments.tests.factories import CommentFactory
from conftest import BASE_DIR, database_url

pytestmark = pytest.mark.live

THREADS = 8
SECONDS = 4
CAR_FIELDS = ("id", "name", "model", "doors")


@dataclass
class Answer:
    method: str
    car_id: int
    started: float
    ended: float
    status: int
    car: dict | None  # the car in the answer, if any


def hammer(base_url: str, token: str, car_ids: list[int], thread: int, deadline: float) -> list[Answer]:
    """Random GET/PUT/PATCH/DELETE on the cars until the deadline; DELETE is rare so writes go on."""
    rng = random.Random(thread)
    answers = []
    with requests.Session() as session:
        session.headers["Authorization"] = f"Token {token}"
        n = 0
        while time.monotonic() < deadline:
            n += 1
            car_id = rng.choice(car_ids)
            method = rng.choices(["GET", "PUT", "PATCH", "DELETE"], weights=[3, 3, 3, 1])[0]
            body = None
            if method == "PUT":
                body = {"name": f"t{thread} put {n}", "model": f"m{thread}.{n}", "doors": rng.randint(0, 10)}
            elif method == "PATCH":
                body = rng.choice([{"name": f"t{thread} patch {n}"}, {"doors": rng.randint(0, 10)}])
            started = time.monotonic()
            response = session.request(method, f"{base_url}/cars/{car_id}", json=body, timeout=30)
            ended = time.monotonic()
            car = response.json().get("car") if response.status_code == 200 else None
            answers.append(Answer(method, car_id, started, ended, response.status_code, car))
    return answers


def test_mixed_writes_on_the_same_cars_answer_no_5xx_and_leave_the_rows_they_told(gunicorn_server, token):
    car_ids = [car.id for car in CarFactory.create_batch(4)]
    server = gunicorn_server(workers=3)
    deadline = time.monotonic() + SECONDS

    with ThreadPoolExecutor(THREADS) as pool:
        batches = pool.map(lambda t: hammer(server.url, token, car_ids, t, deadline), range(THREADS))
        answers = [answer for batch in batches for answer in batch]

    assert len(answers) > 100
    assert not [a for a in answers if a.status >= 500], server.output()[-3000:]
    assert {a.status for a in answers} <= {200, 404}
    final = {row["id"]: row for row in Car.objects.filter(pk__in=car_ids).values(*CAR_FIELDS)}
    for car_id in car_ids:
        mine = [a for a in answers if a.car_id == car_id]
        deletes = [a for a in mine if a.method == "DELETE" and a.status == 200]
        assert len(deletes) <= 1, deletes
        if deletes:
            assert car_id not in final
            # Nothing that started after the delete was answered finds the car.
            assert not [a for a in mine if a.started > deletes[0].ended and a.status != 404]
            continue
        assert all(a.status == 200 for a in mine)
        writes = [a for a in mine if a.method in ("PUT", "PATCH")]
        if writes:
            # The row is what some write answered, one that no later-started write overwrote.
            latest = [a.car for a in writes if not any(b.started > a.ended for b in writes)]
            assert final[car_id] in latest


def test_six_concurrent_deletes_of_one_comment_answer_200_once(gunicorn_server, staff_user):
    token = f"Token {Token.objects.create(user=staff_user).key}"
    comments = CommentFactory.create_batch(3, content_id=5)
    server = gunicorn_server(workers=3)

    for comment in comments:
        start = threading.Barrier(6)

        def delete(_, comment_id=comment.pk, start=start):
            start.wait()
            url = f"{server.url}/api/comment/{comment_id}"
            return requests.delete(url, headers={"Authorization": token}, timeout=30).status_code

        with ThreadPoolExecutor(6) as pool:
            statuses = sorted(pool.map(delete, range(6)))

        assert statuses == [200] + [404] * 5
    assert not Comment.objects.exists()


def test_two_seed_cars_started_at_once_add_the_inventory_once(transactional_db):
    CarFactory(name="Toyota", model="Corolla")
    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict)}
    command = [sys.executable, "manage.py", "seed_cars"]
    runs = [
        subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]

    assert [run.returncode for run in runs] == [0, 0]
    inventory = car_inventory()
    pairs = list(Car.objects.values_list("name", "model"))
    assert len(pairs) == len(set(pairs)) == len(inventory)
    added = sorted(int(output.split()[1]) for output in outputs)
    assert added == [0, len(inventory) - 1]
