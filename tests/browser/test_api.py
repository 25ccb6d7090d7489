"""The API token page and the API reference in chromium: make a token, see it once, copy it,
use it, revoke it; the reference renders under the strict CSP without errors, on a phone too."""

import json
import os
import urllib.request
from pathlib import Path

import pytest

from galeri.api.models import ApiToken
from galeri.units.models import Role
from tests.helpers import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("API_SHOTS_DIR", "")) if os.environ.get("API_SHOTS_DIR") else None


def shot(page, name):
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, timeout=60_000)


@pytest.fixture
def officer(unit_tree, product, make_staff):
    return make_staff(Role.OFFICER, unit_tree.lapas, "petugas.lapas")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_make_use_and_revoke_a_token(live_server, officer, request, viewport):
    page = request.getfixturevalue(f"{viewport}_page")
    browser_sign_in(page, live_server, "petugas.lapas")
    page.goto(live_server.url + "/petugas/token-api/")
    page.fill("#token-name", "Sinkron spreadsheet galeri")
    page.click("button:has-text('Buat token')")
    secret = page.locator("#api-secret").inner_text().strip()
    assert secret.startswith("gk_")
    shot(page, f"tokens-created-{viewport}")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("button[data-copy]")
    page.wait_for_selector("button[data-copy]:has-text('Tersalin')")

    req = urllib.request.Request(live_server.url + "/api/v1/staff/me", headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(req) as response:
        assert json.loads(response.read())["token_name"] == "Sinkron spreadsheet galeri"

    page.goto(live_server.url + "/petugas/token-api/")
    assert secret not in page.content()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Cabut')")
    page.wait_for_selector("text=dicabut")
    shot(page, f"tokens-revoked-{viewport}")
    assert ApiToken.objects.get().revoked_at is not None
    assert page.errors == []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_reference_page_renders_under_the_csp(live_server, request, viewport, unit_tree):
    page = request.getfixturevalue(f"{viewport}_page")
    page.goto(live_server.url + "/api/v1/docs")
    assert page.locator("h1").inner_text().startswith("API Galeri Karya")
    assert page.locator("#masalah-rate-limited").count() == 1
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.id || ''))""")
    assert wide == [], f"the reference scrolls sideways: {wide}"
    shot(page, f"docs-{viewport}")
    assert page.errors == []
