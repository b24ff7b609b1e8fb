"""In Chromium: log in through the browsable API, add a car with its HTML form, see it listed."""

import pytest
from playwright.sync_api import expect, sync_playwright

from cars.models import Car

CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium, installed by .ci/run
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.mark.browser
@pytest.mark.live
def test_login_create_a_car_in_the_html_form_and_see_it_listed(gunicorn_server, user, tmp_path):
    # Plain HTTP here: cookies marked Secure (the production default) would never be sent back.
    server = gunicorn_server(workers=2, DJANGO_SECURE_COOKIES="false")
    screenshot = tmp_path / "cars.png"
    static_answers = []

    # No ORM call inside this block: Playwright's sync API runs an event loop in this thread.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on(
            "response",
            lambda response: "/static/" in response.url and static_answers.append(response),
        )

        page.goto(f"{server.url}/api-auth/login/?next=/cars")
        page.fill("#id_username", "alice")
        page.fill("#id_password", "s3cret-pass-123")
        page.click("#submit-id-submit")

        page.wait_for_url(f"{server.url}/cars")
        expect(page.locator(".navbar")).to_contain_text("alice")  # logged in
        form = page.locator("#post-object-form form")
        page.click("a[href='#post-object-form']")
        form.locator("input[name='name']").fill("Pink Rose")
        form.locator("input[name='model']").fill("Audi Q5")
        form.locator("input[name='doors']").fill("4")
        form.locator("button", has_text="POST").click()

        response_panel = page.locator(".response-info")
        expect(response_panel).to_contain_text("HTTP 201 Created")
        expect(response_panel).to_contain_text("car Pink Rose has been created successfully.")

        page.goto(f"{server.url}/cars?search=Pink+Rose")
        expect(page.locator(".response-info")).to_contain_text('"name": "Pink Rose"')
        expect(page.locator(".response-info")).to_contain_text('"model": "Audi Q5"')
        # The stylesheet is served (WhiteNoise, debug off) and applied: Bootstrap's navbar is dark.
        navbar_color = page.locator(".navbar").evaluate("el => getComputedStyle(el).backgroundColor")
        page.screenshot(path=str(screenshot), full_page=True)
        browser.close()

    css = [r for r in static_answers if r.url.split("?")[0].endswith(".css")]
    assert css, "the page loaded no stylesheet"
    assert all(r.status == 200 for r in static_answers), [(r.url, r.status) for r in static_answers]
    assert navbar_color not in ("rgba(0, 0, 0, 0)", "transparent")
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert screenshot.stat().st_size > 1000
    car = Car.objects.get(name="Pink Rose")
    assert (car.model, car.doors) == ("Audi Q5", 4)
