"""Every password login is throttled per client address and per username: the browsable API's login
page, the admin's login page and the token endpoint."""

import pytest
from django.test import Client

from tests.conftest import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

RATE = 3
LOGIN_PAGES = ["/api-auth/login/", "/api-auth/login", "/admin/login/", "/admin/login"]


@pytest.fixture(autouse=True)
def _login_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": f"{RATE}/min",
        },
    }


def assert_throttled(response):
    body = assert_error(response, 429)
    assert body["status"] == "THROTTLED"
    assert 0 < int(response.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_login_pages_are_throttled_after_the_rate(path, staff_user):
    client = Client()
    for _ in range(RATE):
        wrong = client.post(path, {"username": "staff", "password": "guess"})
        assert wrong.status_code == 200  # the form again, with its error
        assert b"correct username and password" in wrong.content

    # Even the right password is refused once the rate is spent: guessing cannot continue.
    assert_throttled(client.post(path, {"username": "staff", "password": "s3cret-pass-123"}))


@pytest.mark.parametrize("path", ["/api-auth/login/", "/admin/login/"])
def test_one_username_guessed_from_many_addresses_is_throttled(path, staff_user):
    for attempt in range(RATE):
        Client(REMOTE_ADDR=f"10.0.1.{attempt}").post(path, {"username": "staff", "password": "guess"})
    # Another address, the right password: this username has had its attempts for now.
    assert_throttled(
        Client(REMOTE_ADDR="10.0.2.1").post(path, {"username": "STAFF", "password": "s3cret-pass-123"})
    )
    # Other accounts are not affected.
    other = Client(REMOTE_ADDR="10.0.2.1").post(path, {"username": "nobody", "password": "guess"})
    assert other.status_code == 200


def test_admin_login_succeeds_below_the_rate(staff_user):
    client = Client()
    response = client.post(
        "/admin/login/", {"username": "staff", "password": "s3cret-pass-123", "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200  # logged in


def test_login_throttle_is_per_client_address(user, django_user_model):
    django_user_model.objects.create_user(username="bob", password="s3cret-pass-123")
    for _ in range(RATE):
        Client(REMOTE_ADDR="10.0.0.1").post("/api-auth/login/", {"username": "alice", "password": "guess"})
    assert_throttled(
        Client(REMOTE_ADDR="10.0.0.1").post("/api-auth/login/", {"username": "bob", "password": "y"})
    )

    other = Client(REMOTE_ADDR="10.0.0.2").post(
        "/api-auth/login/", {"username": "bob", "password": "s3cret-pass-123", "next": "/cars"}
    )
    assert other.status_code == 302
    assert other.headers["Location"] == "/cars"


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(user):
    client = Client()
    for attempt in range(RATE):
        client.post(
            "/api-auth/login/",
            {"username": f"user{attempt}", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"1.2.3.{attempt}",
        )
    response = client.post(
        "/api-auth/login/", {"username": "alice", "password": "guess"}, HTTP_X_FORWARDED_FOR="9.9.9.9"
    )
    assert_throttled(response)


def test_login_page_itself_is_not_throttled(user):
    client = Client()
    for _ in range(RATE + 2):
        assert client.get("/api-auth/login/").status_code == 200
        assert client.get("/admin/login/").status_code == 200


def test_token_endpoint_gives_the_token_and_is_throttled(user, api_client):
    first = api_client.post("/api-auth/token/", {"username": "alice", "password": "s3cret-pass-123"})
    assert first.status_code == 200
    assert len(first.json()["token"]) == 40
    wrong = api_client.post("/api-auth/token", {"username": "alice", "password": "guess"})
    body = assert_error(wrong, 400)
    assert "non_field_errors" in body["errors"]
    api_client.post("/api-auth/token/", {"username": "alice", "password": "guess"})

    assert_throttled(
        api_client.post("/api-auth/token/", {"username": "alice", "password": "s3cret-pass-123"})
    )


def test_token_endpoint_is_throttled_per_username(user):
    from rest_framework.test import APIClient

    for attempt in range(RATE):
        APIClient(REMOTE_ADDR=f"10.0.3.{attempt}").post(
            "/api-auth/token/", {"username": "alice", "password": "guess"}, format="json"
        )
    assert_throttled(
        APIClient(REMOTE_ADDR="10.0.4.1").post(
            "/api-auth/token/", {"username": "alice", "password": "s3cret-pass-123"}, format="json"
        )
    )


def test_the_token_from_the_endpoint_authenticates_writes(user, api_client):
    token = api_client.post("/api-auth/token/", {"username": "alice", "password": "s3cret-pass-123"}).json()[
        "token"
    ]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api_client.post("/cars", {"name": "Pink Rose", "model": "Audi Q5", "doors": 4})
    assert response.status_code == 201


def test_behind_a_configured_proxy_the_forwarded_client_address_is_counted(settings, user):
    """API_NUM_PROXIES=1 (a PaaS router): clients behind the same router are counted apart."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    router = Client(REMOTE_ADDR="10.0.0.9")
    for attempt in range(RATE):
        router.post(
            "/api-auth/login/",
            {"username": f"user{attempt}", "password": "guess"},
            HTTP_X_FORWARDED_FOR="1.1.1.1",
        )
    assert_throttled(
        router.post("/api-auth/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="1.1.1.1")
    )

    other_client = router.post(
        "/api-auth/login/",
        {"username": "alice", "password": "s3cret-pass-123", "next": "/cars"},
        HTTP_X_FORWARDED_FOR="2.2.2.2",
    )
    assert other_client.status_code == 302
