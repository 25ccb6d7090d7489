"""Browser tests: Debian's chromium driven by Playwright, against live_server.

Never a Playwright browser download: the executable is /usr/bin/chromium
(`make browser` installs Debian's package). Without it the tests skip with a
reason, unless GALERI_REQUIRE_BROWSER=1 (CI), where they fail instead.

Use ``page`` (phone-sized by default), ``phone_page`` (360x780) or
``desktop_page`` (1280x800) together with pytest-django's ``live_server``,
and mark the test with ``@pytest.mark.browser``.
"""

import datetime
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import browser_second_step

# Playwright's sync API runs an asyncio loop in this thread; Django would then
# refuse ORM calls from test code ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 800}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _require_browser():
    return os.environ.get("GALERI_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def _unavailable(reason):
    if _require_browser():
        pytest.fail(f"{reason} (GALERI_REQUIRE_BROWSER=1, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser():
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"Browser tests need Debian's chromium at {CHROMIUM}: `make browser` (or apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        _unavailable(f"Playwright's Python package is missing: {exc}")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:
        playwright.stop()
        _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


def _new_page(request, browser, viewport, **context_options):
    context = browser.new_context(viewport=viewport, locale="id-ID", timezone_id="Asia/Jayapura", **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    # What the page itself reported: tests may assert that this stays empty.
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    yield page
    report = getattr(request.node, "_report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception:  # a screenshot is a help, never a second failure
            pass
    context.close()


@pytest.fixture
def phone_page(request, chromium_browser):
    """A page in a 360x780 phone viewport with touch, as most visitors see the gallery."""
    yield from _new_page(request, chromium_browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


@pytest.fixture
def desktop_page(request, chromium_browser):
    """A page in a 1280x800 desktop viewport."""
    yield from _new_page(request, chromium_browser, DESKTOP)


@pytest.fixture
def page(phone_page):
    """The default page is a phone: the gallery is built for phones first."""
    return phone_page


# --- Journeys from the demo data -------------------------------------------------

WIT = datetime.timezone(datetime.timedelta(hours=9), "WIT")
# A working Tuesday morning in Ambon: the gallery is open, the day's service slots lie ahead.
JOURNEY_MOMENT = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=WIT)
DEMO_PASSWORD = "galeri-demo-2026"


class DemoSite:
    """The live server filled by ``manage.py demo``, with helpers a journey test uses.

    ``shot(page, "label")`` keeps a numbered full-page screenshot of each step under
    ``test-artifacts/journeys/<test>/`` (not committed) so a person can look at them.
    """

    def __init__(self, url, name, moment):
        self.url = url
        self.moment = moment
        self.shots = ARTIFACTS / "journeys" / re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[-100:]
        shutil.rmtree(self.shots, ignore_errors=True)
        self.shots.mkdir(parents=True, exist_ok=True)
        self._step = 0

    def shot(self, page, label):
        self._step += 1
        path = self.shots / f"{self._step:02d}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', label)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def login(self, page, username, password=DEMO_PASSWORD):
        """Sign in through the real form and land on the console."""
        page.goto(self.url + "/petugas/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/petugas/(?!masuk)"))
        browser_second_step(page, username)  # every demo account has the demo TOTP secret

    def logout(self, page):
        page.context.clear_cookies()


@pytest.fixture
def demo_site(request, live_server, django_db_blocker):
    """The data ``manage.py demo`` makes (no photos: faster), at ``JOURNEY_MOMENT`` with the clock ticking.

    A test may set its own moment with ``@pytest.mark.parametrize("journey_moment", [...], indirect=True)``
    or by overriding the ``journey_moment`` fixture. The server's clock moves (time-machine);
    the browser keeps its own, so assert on what the server renders.
    """
    import time_machine
    from django.core.management import call_command

    moment = request.getfixturevalue("journey_moment")
    with time_machine.travel(moment, tick=True):
        with django_db_blocker.unblock():
            call_command("demo", no_photos=True, verbosity=0)
        yield DemoSite(live_server.url, request.node.name, moment)


@pytest.fixture
def journey_moment(request):
    return getattr(request, "param", JOURNEY_MOMENT)
