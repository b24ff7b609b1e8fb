"""In Chromium, with the Content-Security-Policy every HTML page carries: the browsable API, its login,
the admin, Swagger UI and Redoc render, and their scripts run; the browser reports no violation."""

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium, installed by .ci/run
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Collects what the policy blocked, from the first line of every page on.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
# Redoc links Google's web fonts and its own logo on a CDN: the policy keeps every page off other
# hosts, so those are not loaded (the system fonts serve, the logo is missing).
ALLOWED_TO_FAIL = ("https://fonts.googleapis.com", "https://cdn.redoc.ly")


def open_page(page, url: str):
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    return response


def violations(page) -> list[str]:
    found = page.evaluate("window.cspViolations")
    return [v for v in found if not v.split(" ", 1)[-1].startswith(ALLOWED_TO_FAIL)]


@pytest.mark.browser
@pytest.mark.live
def test_html_pages_render_and_run_their_scripts_under_the_policy(gunicorn_server, admin_user):
    # Plain HTTP here: cookies marked Secure (the production default) would never be sent back.
    server = gunicorn_server(workers=2, DJANGO_SECURE_COOKIES="false")

    # No ORM call inside this block: Playwright's sync API runs an event loop in this thread.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        seen = {}

        # The browsable API: jQuery and DRF's scripts loaded and run (the request form toggles).
        open_page(page, f"{server.url}/cars")
        assert page.evaluate("typeof window.jQuery") == "function"
        expect(page.locator(".response-info")).to_contain_text('"count"')
        seen["browsable API"] = violations(page)

        # Its login page, then the admin's: logging in works with the policy.
        open_page(page, f"{server.url}/api-auth/login/")
        expect(page.locator("#id_username")).to_be_visible()
        seen["API login"] = violations(page)
        open_page(page, f"{server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", "password")
        page.click("input[type=submit]")
        page.wait_for_url(f"{server.url}/admin/")
        open_page(page, f"{server.url}/admin/cars/car/add/")
        assert page.evaluate("typeof window.django?.jQuery") == "function"  # the admin's scripts ran
        seen["admin"] = violations(page)

        # Swagger UI and Redoc fetch the schema and draw it: only their scripts can do that.
        open_page(page, f"{server.url}/api/docs/")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Twelve-Factor API")
        expect(page.locator(".opblock").first).to_be_visible()
        seen["Swagger UI"] = violations(page)
        open_page(page, f"{server.url}/api/redoc/")
        expect(page.locator("h1").first).to_contain_text("Twelve-Factor API")
        expect(page.get_by_text("List locations, or look one up").first).to_be_attached()
        seen["Redoc"] = violations(page)
        browser.close()

    assert seen == {name: [] for name in seen}
