"""`/`, `/which`, `/check`: what curl, a browser and a load balancer see."""

import re

import pytest
import requests

pytestmark = pytest.mark.django_db


def test_root_is_json_for_curl_with_links(api_client):
    response = api_client.get("/", HTTP_ACCEPT="*/*")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["service"] and body["version"]
    assert body["schema"].endswith("/api/schema/")
    assert body["docs"].endswith("/api/docs/")
    assert body["redoc"].endswith("/api/redoc/")


def test_json_is_indented_when_the_accept_header_asks(api_client):
    compact = api_client.get("/", HTTP_ACCEPT="application/json")
    indented = api_client.get("/", HTTP_ACCEPT="application/json; indent=4")
    assert b"\n" not in compact.content
    assert indented.content.startswith(b'{\n  "service"')
    assert indented.json() == compact.json()


def test_root_is_the_browsable_page_with_its_css_for_a_browser(api_client):
    response = api_client.get("/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Django REST framework" in response.content
    css = re.search(rb'href="(/static/rest_framework/css/bootstrap[^"]*\.css)"', response.content)
    assert css, "the page links the browsable API's stylesheet"
    # Debug is off: the stylesheet is the hashed, collected file that WhiteNoise serves.
    static = api_client.get(css.group(1).decode())
    assert static.status_code == 200
    assert static["Content-Type"].startswith("text/css")


def test_which_is_plain_text(api_client):
    response = api_client.get("/which/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"API under construction"


def test_live_is_ok_without_asking_any_backing_service(api_client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = api_client.get("/live")
    assert response.status_code == 200
    assert response.json() == {"status": "OK"}
    assert api_client.get("/live/").status_code == 200


@pytest.mark.parametrize("version", ["a\r\nb", "2.0"])
def test_schema_version_parameter_is_a_400_not_reflected(api_client, version):
    response = api_client.get("/api/schema/", {"version": version})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "version" in response.json()["errors"]
    assert "Content-Disposition" not in response


def test_schema_names_the_service_version(api_client):
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.json()["info"]["version"] == "1.0.0"
    assert response["Content-Disposition"] == 'inline; filename="Twelve-Factor API.json"'


def test_check_is_ok_when_the_database_answers(api_client, settings):
    settings.CACHE_CONFIGURED = False  # the in-process cache is not a backing service to check
    response = api_client.get("/check")
    assert response.status_code == 200
    assert response.json() == {"status": "OK", "checks": {"database": "OK"}}


def test_check_reports_the_cache_when_one_is_configured(api_client, settings):
    settings.CACHE_CONFIGURED = True
    response = api_client.get("/check/")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "OK", "cache": "OK"}


@pytest.mark.live
def test_check_is_503_ko_when_the_database_is_unreachable(gunicorn_server):
    from conftest import free_port

    closed = free_port()
    server = gunicorn_server(
        workers=1, wait_path="/which", DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/nowhere"
    )
    response = requests.get(server.url + "/check", timeout=10)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "KO"
    assert body["message"] == "Failing: database."
    assert body["checks"]["database"] == "KO"
    # The server itself keeps answering what needs no database.
    assert requests.get(server.url + "/which", timeout=5).status_code == 200


@pytest.mark.live
def test_check_is_503_ko_when_the_configured_cache_is_unreachable(gunicorn_server):
    from conftest import free_port

    server = gunicorn_server(workers=1, wait_path="/which", CACHE_URL=f"redis://127.0.0.1:{free_port()}/0")
    response = requests.get(server.url + "/check", timeout=10)
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "OK", "cache": "KO"}
    # Liveness is not readiness: the process still serves, so an orchestrator must not restart it.
    assert requests.get(server.url + "/live", timeout=10).status_code == 200


@pytest.mark.live
def test_live_answers_while_the_database_is_unreachable(gunicorn_server):
    from conftest import free_port

    server = gunicorn_server(
        workers=1, wait_path="/which", DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/nowhere"
    )
    assert requests.get(server.url + "/check", timeout=10).status_code == 503
    live = requests.get(server.url + "/live", timeout=10)
    assert (live.status_code, live.json()) == (200, {"status": "OK"})


def test_api_docs_work_offline(api_client):
    schema = api_client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    for page in ("/api/docs/", "/api/redoc/"):
        response = api_client.get(page)
        assert response.status_code == 200
        assets = re.findall(rb'(?:src|href)="(/static/drf_spectacular_sidecar/[^"]+)"', response.content)
        assert assets, f"{page} loads its assets from this server, not a CDN"
        for asset in assets:
            assert api_client.get(asset.decode()).status_code == 200


def test_browsable_login_page(api_client):
    response = api_client.get("/api-auth/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_admin_is_mounted(api_client):
    response = api_client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Django administration" in response.content
