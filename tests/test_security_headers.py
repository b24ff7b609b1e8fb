"""With production settings, a real gunicorn sends the security headers and keeps cookies and HTTP safe.

`check --deploy --fail-level WARNING` with a production environment is core/tests/test_settings.py.
"""

import pytest
import requests

pytestmark = pytest.mark.live

HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS-terminating proxy in front of gunicorn says


def assert_security_headers(response):
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    # same-origin everywhere but Swagger UI, which drf-spectacular opens up for its OAuth popup.
    assert headers["Cross-Origin-Opener-Policy"] in ("same-origin", "unsafe-none")
    assert "Server-Timing" not in headers


ANSWERS = [
    ("GET", "/", 200),
    ("GET", "/cars", 200),
    ("GET", "/api/docs/", 200),
    ("GET", "/nothing-here", 404),
    ("POST", "/cars", 401),
    ("DELETE", "/reports", 401),
    ("PUT", "/check", 405),
]


def test_security_headers_on_every_kind_of_answer(gunicorn_server):
    server = gunicorn_server(DJANGO_SECURE_SSL_REDIRECT="false", workers=1)

    for method, path, status in ANSWERS:
        response = requests.request(method, server.url + path, headers=HTTPS, timeout=10)
        assert response.status_code == status, (method, path)
        assert_security_headers(response)


def test_plain_http_is_redirected_to_https_except_the_health_check(gunicorn_server):
    server = gunicorn_server(DJANGO_SECURE_SSL_REDIRECT="true", workers=1)

    redirect = requests.get(server.url + "/cars?page=2", allow_redirects=False, timeout=10)
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == f"https://127.0.0.1:{server.port}/cars?page=2"
    # Orchestrators and load balancers probe /live and /check over plain HTTP.
    assert requests.get(server.url + "/check", timeout=10).status_code == 200
    assert requests.get(server.url + "/live", timeout=10).status_code == 200
    assert requests.get(server.url + "/cars", headers=HTTPS, timeout=10).status_code == 200


def test_login_cookies_are_secure_and_http_only(gunicorn_server, user):
    server = gunicorn_server(DJANGO_SECURE_SSL_REDIRECT="true", workers=1)
    session = requests.Session()
    session.headers.update({**HTTPS, "Referer": f"https://127.0.0.1:{server.port}/api-auth/login/"})

    form = session.get(server.url + "/api-auth/login/", timeout=10)
    csrf_cookie = next(c for c in session.cookies if c.name == "csrftoken")
    assert csrf_cookie.secure
    assert "SameSite=Lax" in form.headers["Set-Cookie"]

    # The cookie jar holds secure cookies back on plain http: hand the token over explicitly.
    login = session.post(
        server.url + "/api-auth/login/",
        data={"username": "alice", "password": "s3cret-pass-123", "csrfmiddlewaretoken": csrf_cookie.value},
        cookies={"csrftoken": csrf_cookie.value},
        allow_redirects=False,
        timeout=10,
    )
    assert login.status_code == 302, login.text
    session_cookie = next(c for c in login.cookies if c.name == "sessionid")
    assert session_cookie.secure
    assert session_cookie.has_nonstandard_attr("HttpOnly")
    assert_security_headers(login)
