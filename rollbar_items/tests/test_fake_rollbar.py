"""The fake Rollbar API behaves as Rollbar's documentation says Rollbar does (checked over real HTTP)."""

import json
import subprocess
import sys
import time
import uuid

import pytest
import requests

from rollbar_items.tests.fake_rollbar import (
    ALL_TOKEN,
    CLIENT_TOKEN,
    POST_TOKEN,
    READ_TOKEN,
    WRITE_TOKEN,
    FakeRollbar,
)


@pytest.fixture
def fake(fake_rollbar_server):
    fake_rollbar_server.state.reset()
    yield fake_rollbar_server
    fake_rollbar_server.state.reset()


def call(fake, method, path, token=READ_TOKEN, **kwargs):
    headers = kwargs.pop("headers", {})
    if token:
        headers["X-Rollbar-Access-Token"] = token
    return requests.request(method, fake.url + path, headers=headers, timeout=5, **kwargs)


def occurrence(**data):
    return {"data": {"environment": "production", "body": {"message": {"body": "Hello, world!"}}, **data}}


def test_ping_answers_pong_as_text(fake):
    response = requests.get(fake.url + "/status/ping", timeout=5)
    assert response.status_code == 200
    assert response.text == "pong"


def test_every_answer_is_the_json_envelope_with_rate_limit_headers(fake):
    fake.state.seed_items(count=1)
    ok = call(fake, "GET", "/items/")
    missing = call(fake, "GET", "/nothing-here")
    for response in (ok, missing):
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        for name in ("Limit", "Remaining", "Remaining-Seconds", "Reset"):
            assert f"X-Rate-Limit-{name}" in response.headers
    assert ok.json()["err"] == 0
    assert set(ok.json()["result"]) == {"items", "page", "total_count"}
    assert missing.status_code == 404
    assert missing.json() == {"err": 1, "message": "Not found"}


def test_token_checks_follow_rollbars_scopes(fake):
    assert call(fake, "GET", "/items/", token=None).status_code == 401
    unknown = call(fake, "GET", "/items/", token="nope")
    assert (unknown.status_code, unknown.json()["message"]) == (403, "invalid access token")
    wrong_scope = call(fake, "GET", "/items/", token=WRITE_TOKEN)
    assert wrong_scope.status_code == 403
    assert wrong_scope.json()["message"] == (
        "insufficient privileges: read scope is required but the access token only has write."
    )
    assert call(fake, "PATCH", "/item/1", token=READ_TOKEN, json={"status": "muted"}).status_code == 403
    assert call(fake, "POST", "/item/", token=READ_TOKEN, json=occurrence()).status_code == 403
    assert call(fake, "GET", "/items/", token=ALL_TOKEN).status_code == 200
    # Deprecated but accepted: the token as a query parameter, or in the body of POST /item/.
    assert call(fake, "GET", f"/items/?access_token={READ_TOKEN}", token=None).status_code == 200
    in_body = {**occurrence(), "access_token": POST_TOKEN}
    assert call(fake, "POST", "/item/", token=None, json=in_body).status_code == 200


def test_a_client_token_may_post_only_client_side_platforms(fake):
    server_side = call(fake, "POST", "/item/", token=CLIENT_TOKEN, json=occurrence(platform="linux"))
    browser = call(fake, "POST", "/item/", token=CLIENT_TOKEN, json=occurrence(platform="browser"))
    assert server_side.status_code == 403
    assert "post_server_item scope is required" in server_side.json()["message"]
    assert browser.status_code == 200


def test_items_are_filtered_sorted_and_paged_by_100(fake):
    fake.state.seed_items(count=230, environment="production")
    fake.state.seed_items([{"level": "critical", "status": "muted", "environment": "staging"}] * 5)
    first = call(fake, "GET", "/items").json()["result"]
    assert (len(first["items"]), first["page"], first["total_count"]) == (100, 1, 235)
    stamps = [item["last_occurrence_timestamp"] for item in first["items"]]
    assert stamps == sorted(stamps, reverse=True)
    third = call(fake, "GET", "/items/", params={"page": 3}).json()["result"]
    assert len(third["items"]) == 35
    assert call(fake, "GET", "/items/", params={"page": 4}).json()["result"]["items"] == []

    staging = {"environment": "staging", "level": ["critical", "debug"], "status": "muted"}
    result = call(fake, "GET", "/items/", params=staging).json()["result"]
    assert result["total_count"] == 5
    ids = [item["id"] for item in result["items"][:2]]
    by_ids = call(fake, "GET", "/items/", params={"ids": ",".join(map(str, ids))}).json()["result"]
    assert sorted(item["id"] for item in by_ids["items"]) == sorted(ids)


def test_a_bad_filter_value_is_a_422(fake):
    response = call(fake, "GET", "/items/", params={"level": "fatal"})
    assert response.status_code == 422
    assert response.json()["err"] == 1


def test_one_item_by_id_by_counter_and_by_occurrence_uuid(fake):
    item = fake.state.seed_items([{"title": "Boom"}])[0]
    assert call(fake, "GET", f"/item/{item['id']}").json()["result"]["title"] == "Boom"
    missing = call(fake, "GET", "/item/999999")
    assert (missing.status_code, missing.json()["message"]) == (404, "Item not found in this project.")

    redirect = call(fake, "GET", f"/item_by_counter/{item['counter']}", allow_redirects=False)
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == f"/api/1/item/{item['id']}"
    assert redirect.json()["result"]["itemId"] == item["id"]
    assert call(fake, "GET", f"/item_by_counter/{item['counter']}").json()["result"]["id"] == item["id"]

    occurrence_uuid = fake.state.occurrences[0]["data"]["uuid"]
    by_uuid = call(fake, "GET", "/item/", params={"uuid": occurrence_uuid})
    assert by_uuid.json()["result"]["id"] == item["id"]
    bad = call(fake, "GET", "/item/", params={"uuid": "not-a-uuid"})
    assert (bad.status_code, bad.json()["message"]) == (400, "Invalid UUID format")
    unknown = call(fake, "GET", "/item/", params={"uuid": str(uuid.uuid4())})
    assert (unknown.status_code, unknown.json()["message"]) == (404, "UUID did not match any occurrence")


def test_posted_occurrences_are_grouped_into_items(fake):
    answer = call(fake, "POST", "/item/", token=POST_TOKEN, json=occurrence())
    assert answer.status_code == 200
    assert answer.json()["result"]["id"] is None
    call(fake, "POST", "/item/", token=POST_TOKEN, json=occurrence(level="critical"))
    trace = {"frames": [], "exception": {"class": "KeyError", "message": "'x'"}}
    call(
        fake,
        "POST",
        "/item/",
        token=POST_TOKEN,
        json={"data": {"environment": "production", "body": {"trace": trace}}},
    )
    call(fake, "POST", "/item/", token=POST_TOKEN, json=occurrence(environment="staging"))

    items = {(i["environment"], i["title"]): i for i in fake.state.items.values()}
    message_item = items[("production", "Hello, world!")]
    assert message_item["total_occurrences"] == 2
    assert message_item["level"] == "info"  # the first occurrence's level: a message defaults to info
    assert items[("production", "KeyError: 'x'")]["level"] == "error"
    assert ("staging", "Hello, world!") in items
    counters = sorted(i["counter"] for i in items.values())
    assert counters == [1, 2, 3]

    fingerprinted = [occurrence(fingerprint="same", title=f"Title {n}") for n in range(2)]
    for payload in fingerprinted:
        call(fake, "POST", "/item/", token=POST_TOKEN, json=payload)
    assert len(fake.state.items) == 4


def test_a_duplicate_uuid_is_accepted_but_not_counted(fake):
    payload = occurrence(uuid=str(uuid.uuid4()))
    first = call(fake, "POST", "/item/", token=POST_TOKEN, json=payload)
    again = call(fake, "POST", "/item/", token=POST_TOKEN, json=payload)
    assert first.json()["result"]["uuid"] == again.json()["result"]["uuid"] == payload["data"]["uuid"]
    assert again.status_code == 200
    assert len(fake.state.occurrences) == 1


def test_a_form_encoded_payload_is_accepted(fake):
    form = {"payload": json.dumps(occurrence())}
    assert call(fake, "POST", "/item/", token=POST_TOKEN, data=form).status_code == 200
    assert len(fake.state.items) == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"data": {"body": {"message": {"body": "x"}}}}, "data.environment is a required property."),
        ({"data": {"environment": "p"}}, "data.body is a required property."),
        ({"data": {"environment": "p", "body": {"message": {}}}}, "data.body.message.body is a required"),
        (
            {"data": {"environment": "p", "body": {"trace": {"frames": []}}}},
            "data.body.trace.exception is missing",
        ),
        ({"data": {"environment": "p", "body": {}}}, "exactly one of message, trace"),
        (occurrence(level="fatal"), "data.level must be one of"),
    ],
)
def test_invalid_occurrences_are_422(fake, payload, message):
    response = call(fake, "POST", "/item/", token=POST_TOKEN, json=payload)
    assert response.status_code == 422
    assert response.json()["message"].startswith("Invalid format.")
    assert message in response.json()["message"]


def test_bad_json_is_400_and_a_huge_body_is_413(fake):
    bad = call(
        fake, "POST", "/item/", token=POST_TOKEN, data=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert bad.status_code == 400
    huge = occurrence(custom={"blob": "x" * (130 * 1024)})
    too_large = call(fake, "POST", "/item/", token=POST_TOKEN, json=huge)
    assert (too_large.status_code, too_large.json()["message"]) == (413, "request entity too large")


def test_processing_delay_hides_the_new_item_for_a_while(fake):
    fake.state.configure(processing_delay=0.5)
    sent = call(fake, "POST", "/item/", token=POST_TOKEN, json=occurrence()).json()["result"]["uuid"]
    assert call(fake, "GET", "/item/", params={"uuid": sent}).status_code == 404
    time.sleep(0.6)
    assert call(fake, "GET", "/item/", params={"uuid": sent}).status_code == 200


def test_patch_validates_each_field_and_echoes_what_was_sent(fake):
    item = fake.state.seed_items(count=1)[0]
    path = f"/item/{item['id']}"
    answer = call(
        fake, "PATCH", path, token=WRITE_TOKEN, json={"status": "resolved", "resolved_in_version": "1.2"}
    )
    assert answer.json() == {"err": 0, "result": {"status": "resolved", "resolved_in_version": "1.2"}}
    stored = fake.state.items[item["id"]]
    assert stored["status"] == "resolved"
    assert stored["last_resolved_timestamp"] is not None
    for body in (
        {"status": "archived"},
        {"title": "x" * 256},
        {"title": ""},
        {"level": "fatal"},
        {"assigned_user_id": "bob"},
        {"resolved_in_version": "v" * 41},
        {"colour": "red"},
        {},
    ):
        assert call(fake, "PATCH", path, token=WRITE_TOKEN, json=body).status_code == 422, body
    assert call(fake, "PATCH", "/item/999999", token=WRITE_TOKEN, json={"status": "muted"}).status_code == 404


def test_items_cannot_be_deleted_but_occurrences_can(fake):
    item = fake.state.seed_items([{"occurrences": 25}])[0]
    assert call(fake, "DELETE", f"/item/{item['id']}", token=WRITE_TOKEN).status_code == 404

    first = call(fake, "GET", f"/item/{item['id']}/instances").json()["result"]
    second = call(fake, "GET", f"/item/{item['id']}/instances/", params={"page": 2}).json()["result"]
    assert (len(first["instances"]), len(second["instances"]), second["page"]) == (20, 5, 2)
    instance_id = first["instances"][0]["id"]
    assert call(fake, "GET", f"/instance/{instance_id}").json()["result"]["item_id"] == item["id"]
    assert call(fake, "DELETE", f"/instance/{instance_id}", token=READ_TOKEN).status_code == 403
    deleted = call(fake, "DELETE", f"/instance/{instance_id}", token=WRITE_TOKEN)
    assert deleted.json() == {"err": 0, "message": "The instance has been deleted"}
    assert call(fake, "GET", f"/instance/{instance_id}").status_code == 404
    # Rollbar does not update aggregate counts when an occurrence is deleted.
    assert call(fake, "GET", f"/item/{item['id']}").json()["result"]["total_occurrences"] == 25


def test_top_active_items_is_computed_from_occurrences(fake):
    now = int(time.time())
    fake.state.seed_items(
        [
            {"title": "busy", "occurrences": 5, "last_occurrence_timestamp": now - 60},
            {"title": "quiet", "occurrences": 1, "last_occurrence_timestamp": now - 2 * 3600 - 60},
            {"title": "old", "occurrences": 3, "last_occurrence_timestamp": now - 30 * 3600},
            {"title": "staging", "environment": "staging", "last_occurrence_timestamp": now - 60},
        ]
    )
    result = call(fake, "GET", "/reports/top_active_items", params={"environments": "production"}).json()[
        "result"
    ]
    assert [entry["item"]["title"] for entry in result] == ["busy", "quiet"]
    busy = result[0]
    assert len(busy["counts"]) == 24
    assert busy["counts"][-1] == 5
    assert busy["item"]["level"] == 40  # an integer in reports
    assert result[1]["counts"][-3] == 1
    three_hours = call(fake, "GET", "/reports/top_active_items", params={"hours": 3}).json()["result"]
    assert len(three_hours[0]["counts"]) == 3
    assert {e["item"]["title"] for e in three_hours} == {"busy", "quiet", "staging"}
    assert call(fake, "GET", "/reports/top_active_items", params={"hours": 169}).status_code == 400


def test_rate_limit_is_per_token_with_the_four_headers(fake):
    fake.state.configure(rate_limit=3, rate_window=60)
    answers = [call(fake, "GET", "/items/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["X-Rate-Limit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    over = answers[-1]
    assert over.json()["err"] == 1
    assert 0 < int(over.headers["X-Rate-Limit-Remaining-Seconds"]) <= 60
    assert int(over.headers["X-Rate-Limit-Reset"]) >= int(time.time())
    assert over.headers["X-Rate-Limit-Limit"] == "3"
    # Another token has its own window.
    assert call(fake, "GET", "/items/", token=ALL_TOKEN).status_code == 200


def test_hooks_seed_force_and_inspect_over_http(fake):
    root = fake.root + "/_fake"
    requests.post(root + "/items", json={"count": 3}, timeout=5)
    requests.post(root + "/tokens", json={"tokens": {"extra-token": ["read"]}}, timeout=5)
    assert call(fake, "GET", "/items/", token="extra-token").json()["result"]["total_count"] == 3
    requests.post(root + "/force", json={"status": 503, "message": "down", "times": 2}, timeout=5)
    assert [call(fake, "GET", "/items/").status_code for _ in range(3)] == [503, 503, 200]
    call(fake, "POST", "/item/", token=POST_TOKEN, json=occurrence())
    occurrences = requests.get(root + "/occurrences", timeout=5).json()["result"]
    assert occurrences[-1]["data"]["body"]["message"]["body"] == "Hello, world!"
    logged = requests.get(root + "/requests", timeout=5).json()["result"]
    assert [r["method"] for r in logged][-1] == "POST"
    requests.post(root + "/config", json={"response_delay": 0.3}, timeout=5)
    started = time.monotonic()
    call(fake, "GET", "/items/")
    assert time.monotonic() - started >= 0.3
    requests.post(root + "/reset", timeout=5)
    assert fake.state.items == {}
    assert requests.post(root + "/unknown", timeout=5).status_code == 404


def test_the_fake_runs_standalone_and_prints_its_tokens():
    with FakeRollbar() as probe:
        port = probe.port  # a free port, released when the probe stops
    process = subprocess.Popen(
        [sys.executable, "-m", "rollbar_items.tests.fake_rollbar", "--port", str(port), "--seed", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(12)]
        output = "".join(lines)
        assert READ_TOKEN in output and WRITE_TOKEN in output and POST_TOKEN in output
        assert f"ROLLBAR_API_URL=http://127.0.0.1:{port}/api/1" in output
        answer = requests.get(
            f"http://127.0.0.1:{port}/api/1/items", headers={"X-Rollbar-Access-Token": READ_TOKEN}, timeout=5
        )
        assert answer.json()["result"]["total_count"] == 3
    finally:
        process.terminate()
        process.wait(10)


def test_pyrollbars_notifier_reports_arrive(fake, monkeypatch):
    import rollbar

    for name in (
        "SETTINGS",
        "_initialized",
        "_transforms",
        "_serialize_transform",
        "_scrub_redact_transform",
    ):
        monkeypatch.setattr(rollbar, name, getattr(rollbar, name))  # restored after the test
    rollbar.init(POST_TOKEN, environment="test", endpoint=fake.url + "/", handler="blocking")
    rollbar.report_message("hello from pyrollbar", "warning")
    try:
        1 / 0  # noqa: B018 - an exception to report
    except ZeroDivisionError:
        rollbar.report_exc_info()

    titles = {(item["title"], item["level"]) for item in fake.state.items.values()}
    assert titles == {("hello from pyrollbar", "warning"), ("ZeroDivisionError: division by zero", "error")}
    occurrences = requests.get(fake.root + "/_fake/occurrences", timeout=5).json()["result"]
    assert {o["data"]["environment"] for o in occurrences} == {"test"}
    assert "trace" in occurrences[1]["data"]["body"] or "trace_chain" in occurrences[1]["data"]["body"]
