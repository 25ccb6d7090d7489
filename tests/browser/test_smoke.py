import json

import pytest

pytestmark = pytest.mark.browser


def test_healthz_in_chromium(live_server, desktop_page):
    response = desktop_page.goto(live_server.url + "/healthz")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    assert json.loads(desktop_page.locator("body").inner_text()) == {"status": "ok"}


def test_phone_viewport(live_server, phone_page):
    phone_page.goto(live_server.url + "/healthz")
    assert phone_page.viewport_size == {"width": 360, "height": 780}
    assert phone_page.evaluate("() => [screen.width, navigator.maxTouchPoints > 0]") == [360, True]
    assert phone_page.errors == []
