"""Playwright driving Debian's Chromium against pytest-django's live server.

Skipped where /usr/bin/chromium is missing, except under CI=true, where a missing
browser fails the run (.ci/run installs it with apt). The browser is never
downloaded: Playwright only drives the system's Chromium.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.world import World, build_world

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI") == "true"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"390": (390, 844), "1366": (1366, 768)}
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
ZH = {"locale": "zh-CN", "extra_http_headers": {"Accept-Language": "zh-Hans"}}
EN = {"locale": "en-US", "extra_http_headers": {"Accept-Language": "en"}}
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    mine = [item for item in items if HERE in Path(item.fspath).parents]
    for item in mine:
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists() and not IN_CI:
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"CI=true but there is no Chromium at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django's ORM
    # refuses to run under one unless told the code is really synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def world(transactional_db, browser) -> World:
    return build_world()


@pytest.fixture
def open_context(browser, live_server):
    """open_context(size, user=None, language=ZH, touch=False, **options) -> a context."""
    contexts = []

    def open_(size: str, user=None, language=ZH, touch: bool = False, **options):
        width, height = SIZES[size]
        phone = width < 600
        context = browser.new_context(
            viewport={"width": width, "height": height},
            is_mobile=phone,
            has_touch=touch or phone,
            device_scale_factor=2 if phone else 1,
            base_url=live_server.url,
            **language,
            **options,
        )
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()


# Every Content-Security-Policy violation becomes a console error, so the checks that
# no page logs an error also catch a script, style or image the policy blocked.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.effectiveDirective + " blocked "
    + (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


class Visit:
    """A page opened in a context, with every console error, uncaught exception and
    Content-Security-Policy violation kept."""

    def __init__(self, context, path: str):
        self.errors: list[str] = []
        self.page = context.new_page()
        self.page.add_init_script(REPORT_CSP_VIOLATIONS)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        self.response = self.page.goto(path, wait_until="networkidle")

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url')})")


@pytest.fixture
def visit():
    return Visit
