"""Browser tests: Debian's chromium driven by Playwright against a live test server."""

from django.db import connection

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Snapshot the seeded database, so serialized rollback restores the whole site.

    The live server thread needs committed data, so e2e tests are transactional and
    the database is flushed after each; the snapshot brings the seed site back.
    """
    with django_db_blocker.unblock():
        connection._test_serialized_contents = (
            connection.creation.serialize_db_to_string()
        )


@pytest.fixture
def site(live_server):
    return live_server.url


OWN_ORIGINS = ("http://localhost", "http://127.0.0.1", "data:")


@pytest.fixture
def page(browser):
    """A phone-sized page that fails the test if it asks any other host for anything.

    ALTCHA solves in web workers started from the site's own static file; a
    same-origin ``blob:`` URL is no request to another host either.
    """
    yield from own_origin_page(browser)


@pytest.fixture
def no_js_page(browser):
    """The same, in a browser whose JavaScript is off (as some people's is)."""
    yield from own_origin_page(browser, java_script_enabled=False)


def own_origin_page(browser, **options):
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 390, "height": 844}, **options
    )
    page = context.new_page()
    foreign = []

    def record_foreign(request):
        if not request.url.removeprefix("blob:").startswith(OWN_ORIGINS):
            foreign.append(request.url)

    page.on("request", record_foreign)
    yield page
    context.close()
    assert not foreign, f"the page asked another host for {foreign}"
