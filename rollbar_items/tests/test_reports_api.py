"""`/reports`: stored top-active-items reports, fetched from the fake Rollbar when none is stored."""

import json
import time

import pytest

from rollbar_items.models import Report
from rollbar_items.tests.factories import ReportFactory
from rollbar_items.tests.fake_rollbar import POST_TOKEN, READ_TOKEN, WRITE_TOKEN

pytestmark = pytest.mark.django_db


def report_calls(fake):
    return fake.state.requests_to("/reports/top_active_items")


def seed_activity(fake):
    now = int(time.time())
    fake.state.seed_items(
        [
            {"title": "busy", "occurrences": 4, "last_occurrence_timestamp": now - 30},
            {"title": "quiet", "occurrences": 1, "last_occurrence_timestamp": now - 3 * 3600},
            {"title": "on staging", "environment": "staging", "last_occurrence_timestamp": now - 30},
        ]
    )


def test_the_first_read_fetches_and_stores_a_report_the_second_makes_no_rollbar_call(
    auth_client, fake_rollbar
):
    seed_activity(fake_rollbar)
    first = auth_client.get("/reports")
    assert first.status_code == 200
    body = first.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    (report,) = body["reports"]
    assert set(report) == {"id", "kind", "params", "fetched_at", "content"}
    assert report["kind"] == "top_active_items"
    assert report["params"] == {"hours": 24, "environments": []}
    assert [entry["item"]["title"] for entry in report["content"]] == ["busy", "on staging", "quiet"]
    assert report["content"][0]["counts"][-1] == 4
    assert len(report_calls(fake_rollbar)) == 1

    stored = json.dumps(list(Report.objects.values("params", "content")))
    assert all(token not in stored for token in (READ_TOKEN, WRITE_TOKEN, POST_TOKEN))

    second = auth_client.get("/reports/")
    assert second.json() == body
    assert len(report_calls(fake_rollbar)) == 1  # served from the database
    assert Report.objects.count() == 1


def test_the_first_read_passes_hours_and_environments(auth_client, fake_rollbar):
    seed_activity(fake_rollbar)
    report = auth_client.get("/reports?hours=2&environments=production,staging").json()["reports"][0]
    assert report["params"] == {"hours": 2, "environments": ["production", "staging"]}
    assert [entry["item"]["title"] for entry in report["content"]] == ["busy", "on staging"]
    assert len(report["content"][0]["counts"]) == 2
    assert report_calls(fake_rollbar)[0]["query"] == {"hours": ["2"], "environments": ["production,staging"]}


def test_stored_reports_are_listed_newest_first_in_pages(auth_client, fake_rollbar):
    reports = ReportFactory.create_batch(25)
    body = auth_client.get("/reports").json()
    assert body["count"] == 25
    assert len(body["reports"]) == 20
    assert body["next"] == "http://testserver/reports?page=2"
    assert body["reports"][0]["id"] == reports[-1].id
    assert len(auth_client.get(body["next"]).json()["reports"]) == 5
    assert fake_rollbar.state.requests == []


def test_post_fetches_a_fresh_report_and_answers_201(auth_client, fake_rollbar):
    seed_activity(fake_rollbar)
    ReportFactory()
    response = auth_client.post("/reports", {"hours": 6, "environments": ["staging"]}, format="json")
    assert response.status_code == 201
    report = response.json()
    assert report["params"] == {"hours": 6, "environments": ["staging"]}
    assert [entry["item"]["title"] for entry in report["content"]] == ["on staging"]
    assert Report.objects.count() == 2
    assert auth_client.get("/reports").json()["reports"][0]["id"] == report["id"]


def test_post_with_no_body_uses_the_defaults(auth_client, fake_rollbar):
    response = auth_client.post("/reports/", format="json")
    assert response.status_code == 201
    assert response.json()["params"] == {"hours": 24, "environments": []}
    assert response.json()["content"] == []


@pytest.mark.parametrize("body", [{"hours": 0}, {"hours": 169}, {"hours": "day"}, {"environments": [""]}])
def test_post_validates_its_parameters(auth_client, fake_rollbar, body):
    response = auth_client.post("/reports", body, format="json")
    assert response.status_code == 400
    assert response.json()["status"] == "INVALID"
    assert fake_rollbar.state.requests == []


def test_a_failed_fetch_stores_nothing(auth_client, fake_rollbar):
    fake_rollbar.state.force(500, "down", times=5)
    assert auth_client.get("/reports").status_code == 502
    assert Report.objects.count() == 0


def test_staff_clear_every_report(staff_client, fake_rollbar):
    ReportFactory.create_batch(3)
    response = staff_client.delete("/reports")
    assert response.status_code == 200
    assert response.json() == {"message": "3 reports cleared."}
    assert Report.objects.count() == 0
    assert fake_rollbar.state.requests == []


def test_a_non_staff_user_cannot_clear_reports(auth_client, fake_rollbar):
    ReportFactory.create_batch(2)
    response = auth_client.delete("/reports/")
    assert response.status_code == 403
    assert response.json()["status"] == "FORBIDDEN"
    assert Report.objects.count() == 2


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_anonymous_users_get_401(api_client, fake_rollbar, method):
    ReportFactory()
    response = getattr(api_client, method)("/reports", format="json")
    assert response.status_code == 401
    assert response.json()["status"] == "UNAUTHORIZED"
    assert Report.objects.count() == 1


def test_reports_are_read_only_in_the_admin(client, django_user_model, fake_rollbar):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    report = ReportFactory()
    client.force_login(admin)
    assert client.get(f"/admin/rollbar_items/report/{report.id}/change/").status_code == 200
    assert client.get("/admin/rollbar_items/report/add/").status_code == 403
    assert client.post(f"/admin/rollbar_items/report/{report.id}/delete/", {"post": "yes"}).status_code == 403
    assert Report.objects.count() == 1


def test_the_browsable_api_renders_reports_for_a_browser(auth_client, fake_rollbar):
    ReportFactory(params={"hours": 7, "environments": ["browser-check"]})
    response = auth_client.get("/reports", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "browser-check" in response.content.decode()
