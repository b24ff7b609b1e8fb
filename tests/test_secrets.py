"""Tokens and secrets never appear in answers, in the server's logs, or in stored reports.

A real gunicorn runs with a recognisable value in every secret setting, then meets every situation
where a careless service would echo one: errors of every kind, outside services refusing the
configured token or key, the schema and docs, stored Rollbar reports.
"""

import pytest
import requests
from rest_framework.authtoken.models import Token

from availability.tests.factories import LocationFactory, ProductFactory
from rollbar_items.models import Report
from rollbar_items.tests.fake_rollbar import POST_TOKEN, READ_TOKEN, WRITE_TOKEN, FakeRollbar

pytestmark = pytest.mark.live

SECRET_KEY = "secret-key-SHOULD-NEVER-LEAK-6f1c0a9e2b7d4e8f9a0b1c2d3e4f5a6b7c8d9e0f"
SERVICE_TOKEN = "availability-token-SHOULD-NEVER-LEAK-0b1c2d3e"
WEATHER_KEY = "weather-key-SHOULD-NEVER-LEAK-9a8b7c6d"
NOTIFY_TOKEN = "notify-token-SHOULD-NEVER-LEAK-5e4d3c2b"


def test_no_secret_leaks_into_answers_logs_or_reports(
    gunicorn_server, fake_openweather_server, fake_rollbar_server, user, staff_user
):
    user_token = Token.objects.create(user=user).key
    staff_token = Token.objects.create(user=staff_user).key
    ProductFactory(sku="AZ00001")
    LocationFactory(country="ni", city="Leon")
    secrets = [SECRET_KEY, SERVICE_TOKEN, WEATHER_KEY, NOTIFY_TOKEN, READ_TOKEN, WRITE_TOKEN, POST_TOKEN]
    secrets += [user_token, staff_token]

    fake_openweather_server.api_key = "not-the-configured-key"  # refuses ours: 401
    fake_rollbar_server.state.seed_items(count=2)
    server = gunicorn_server(
        workers=1,
        DJANGO_SECRET_KEY=SECRET_KEY,
        AVAILABILITY_API_TOKEN=SERVICE_TOKEN,
        OPENWEATHER_API_URL=fake_openweather_server.url,
        OPENWEATHER_API_KEY=WEATHER_KEY,
        ROLLBAR_API_URL=fake_rollbar_server.url,
        ROLLBAR_READ_TOKEN=READ_TOKEN,
        ROLLBAR_WRITE_TOKEN=WRITE_TOKEN,
        ROLLBAR_POST_TOKEN=POST_TOKEN,
        ROLLBAR_NOTIFY_TOKEN=NOTIFY_TOKEN,
        # Notifications go to the fake, never to the real Rollbar.
        ROLLBAR_NOTIFY_ENDPOINT=fake_rollbar_server.url + "/",
        DJANGO_LOG_LEVEL="DEBUG",
    )
    answers = exercise(server.url, user_token, staff_token, fake_rollbar_server)
    reports = list(Report.objects.values_list("params", "content"))

    assert reports, "no report was stored"
    assert any(r.status_code == 502 for r in answers)  # the refused token and key were met
    texts = [f"{r.status_code} {dict(r.headers)} {r.text}" for r in answers]
    texts += [server.output(), repr(reports)]
    for secret in secrets:
        for text in texts:
            assert secret not in text, f"{secret[:12]}... leaked in: {text[:300]}"


def exercise(url: str, user_token: str, staff_token: str, rollbar: FakeRollbar) -> list[requests.Response]:
    user = {"Authorization": f"Token {user_token}"}
    staff = {"Authorization": f"Token {staff_token}"}
    calls = [
        ("GET", "/", {}, None),
        ("GET", "/check", {}, None),
        ("GET", "/api/schema/", {}, None),
        ("GET", "/api/docs/", {}, None),
        ("OPTIONS", "/active", user, None),
        ("GET", "/nothing", user, None),
        ("POST", "/cars", {"Authorization": "Token wrong"}, {}),
        ("POST", "/active", {"Authorization": "Bearer wrong"}, {}),
        ("POST", "/active", {"Authorization": f"Bearer {SERVICE_TOKEN}"}, {"country": "ni", "city": "Leon"}),
        ("POST", "/cars", user, {"name": ""}),
        ("POST", "/quote", {}, {"sku": "AZ00001", "country": "ni", "city": "Leon"}),  # key refused
        ("GET", "/items", user, None),
        ("POST", "/reports", staff, {}),
        ("GET", "/reports", staff, None),
        ("DELETE", "/reports", user, None),
        ("POST", "/api-auth/token/", {}, {"username": "alice", "password": "wrong"}),
    ]
    answers = [requests.request(m, url + p, headers=h, json=b, timeout=15) for m, p, h, b in calls]
    # Rollbar refusing every configured token: the answer says which setting, never its value.
    rollbar.state.set_tokens({READ_TOKEN: None, WRITE_TOKEN: None, POST_TOKEN: None})
    for method, path, body in [
        ("GET", "/items", None),
        ("GET", "/items/1000", None),
        ("POST", "/items", {"message": "m"}),
    ]:
        answers.append(requests.request(method, url + path, headers=user, json=body, timeout=15))
    answers.append(requests.post(url + "/reports", headers=staff, json={}, timeout=15))
    return answers
