"""CDN purge on publish: the page, its parent listing and the API URLs showing it."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.exceptions import ImproperlyConfigured

import pytest

from cms.settings.base import frontend_cache_settings
from programs.models import Intake, ProgramPage, ThemePage
from serving.frontend_cache import PurgeBackend
from tests.home import fake_cdn
from tests.network import free_port

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
INDEX = "/toppolitikerprogrammen/"
PROGRAM = "/toppolitikerprogrammen/toppolitikerprogrammet/"
THEME = PROGRAM + "styrning-och-ledning/"
CLOUDFLARE = "wagtail.contrib.frontend_cache.backends.CloudflareBackend"


@pytest.fixture
def purged(settings):
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": "tests.home.fake_cdn.RecordingBackend"}
    }
    fake_cdn.PURGED.clear()
    yield fake_cdn.PURGED
    fake_cdn.PURGED.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def api(page_id, parent_id, label):
    return {
        f"{SITE}/api/v2/pages/",
        f"{SITE}/api/v2/pages/?type={label}",
        f"{SITE}/api/v2/pages/?type={label}&fields=*",
        f"{SITE}/api/v2/pages/?child_of={parent_id}",
        f"{SITE}/api/v2/pages/{page_id}/",
        f"{SITE}/api/v2/pages/{parent_id}/",
        f"{SITE}/api/v3/pages/",
        f"{SITE}/api/v3/pages/?type={label}",
        f"{SITE}/api/v3/pages/{page_id}/",
        f"{SITE}/api/v3/pages/{parent_id}/",
    }


def calendars(path, years):
    return {f"{SITE}{path}kalender.ics"} | {
        f"{SITE}{path}kalender/{year}.ics" for year in years
    }


def test_publishing_a_theme_purges_it_its_programme_and_the_api(purged, committed):
    theme = ThemePage.objects.get(url_path__endswith=THEME)
    program = theme.get_parent().specific
    years = sorted(
        Intake.objects.filter(program=program).values_list("year", flat=True)
    )
    assert years, "the seed has intakes"

    committed(lambda: theme.save_revision().publish())

    assert sorted(purged) == sorted(
        {f"{SITE}{THEME}", f"{SITE}{PROGRAM}"}
        | calendars(PROGRAM, years)
        | api(theme.pk, program.pk, "programs.ThemePage")
    )


def test_publishing_a_programme_purges_it_the_index_and_the_api(purged, committed):
    program = ProgramPage.objects.get(url_path__endswith=PROGRAM)
    index = program.get_parent()
    years = sorted(
        Intake.objects.filter(program=program).values_list("year", flat=True)
    )

    committed(lambda: program.save_revision().publish())

    assert sorted(purged) == sorted(
        {f"{SITE}{PROGRAM}", f"{SITE}{INDEX}"}
        | calendars(PROGRAM, years)
        | api(program.pk, index.pk, "programs.ProgramPage")
    )


def test_unpublishing_purges_the_same_urls(purged, committed):
    theme = ThemePage.objects.get(url_path__endswith=THEME)

    committed(lambda: theme.unpublish())

    assert f"{SITE}{THEME}" in purged
    assert f"{SITE}{PROGRAM}" in purged
    assert f"{SITE}/api/v2/pages/{theme.pk}/" in purged


def test_deleting_a_live_page_purges_it(purged, committed):
    theme = ThemePage.objects.get(url_path__endswith=THEME)

    committed(lambda: theme.delete())

    assert {f"{SITE}{THEME}", f"{SITE}{PROGRAM}"} <= set(purged)


def test_a_move_purges_the_old_and_the_new_address_and_both_parents(purged, committed):
    theme = ThemePage.objects.get(url_path__endswith=THEME)
    other = ProgramPage.objects.get(slug="toppolitikerprogrammet-fortsattning")
    theme.slug = "styrning"
    theme.save()

    committed(lambda: theme.move(other, pos="last-child"))

    other_path = "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/"
    assert {
        f"{SITE}{PROGRAM}styrning/",
        f"{SITE}{other_path}styrning/",
        f"{SITE}{PROGRAM}",
        f"{SITE}{other_path}",
        f"{SITE}/api/v2/pages/{theme.pk}/",
    } <= set(purged)


def test_saving_practical_facts_purges_every_live_page(purged, committed, seed_pages):
    facts = ProgramPage.objects.get(url_path__endswith=PROGRAM).program_format

    committed(lambda: facts.save())

    for path, page in seed_pages.items():
        if page.live:
            assert f"{SITE}{path}" in purged


class PurgeServer:
    """A Varnish stand-in on 127.0.0.1: records each PURGE (path, Host)."""

    def __init__(self, delay=0.0):
        self.requests = []
        self.delay = delay
        self.port = free_port()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                server.requests.append((self.path, self.headers["Host"]))
                if server.delay:
                    time.sleep(server.delay)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def varnish():
    server = PurgeServer()
    yield server
    server.stop()


def test_the_purge_backend_sends_http_purge_for_the_public_host(
    settings, varnish, committed
):
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "serving.frontend_cache.PurgeBackend",
            "LOCATION": f"http://127.0.0.1:{varnish.port}",
        }
    }
    theme = ThemePage.objects.get(url_path__endswith=THEME)

    committed(lambda: theme.save_revision().publish())

    assert (THEME, "testserver") in varnish.requests
    assert (PROGRAM, "testserver") in varnish.requests
    assert ("/api/v2/pages/?type=programs.ThemePage&fields=*", "testserver") in (
        varnish.requests
    )


def test_nothing_is_sent_when_no_cdn_is_configured(settings, varnish, committed):
    settings.WAGTAILFRONTENDCACHE = {}
    theme = ThemePage.objects.get(url_path__endswith=THEME)
    facts = ProgramPage.objects.get(url_path__endswith=PROGRAM).program_format

    committed(lambda: theme.save_revision().publish())
    committed(lambda: theme.unpublish())
    committed(lambda: facts.save())

    assert varnish.requests == []


def test_a_hanging_cache_does_not_hold_the_worker(caplog):
    server = PurgeServer(delay=3)
    backend = PurgeBackend(
        {"LOCATION": f"http://127.0.0.1:{server.port}", "TIMEOUT": 0.3}
    )
    try:
        backend.purge(f"{SITE}{THEME}")
    finally:
        server.stop()
    assert "Couldn't purge" in caplog.text


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, {}),
        (
            {
                "FRONTEND_CACHE_BACKEND": "purge",
                "FRONTEND_CACHE_LOCATION": "http://v:80",
            },
            {
                "default": {
                    "BACKEND": "serving.frontend_cache.PurgeBackend",
                    "LOCATION": "http://v:80",
                }
            },
        ),
        (
            {
                "FRONTEND_CACHE_BACKEND": "cloudflare",
                "CLOUDFLARE_BEARER_TOKEN": "t",
                "CLOUDFLARE_ZONE_ID": "z",
                "FRONTEND_CACHE_HOSTNAMES": "www.example.se",
            },
            {
                "default": {
                    "BACKEND": CLOUDFLARE,
                    "BEARER_TOKEN": "t",
                    "ZONEID": "z",
                    "HOSTNAMES": ["www.example.se"],
                }
            },
        ),
    ],
)
def test_the_cdn_is_configured_from_the_environment(monkeypatch, environment, expected):
    for name in ("FRONTEND_CACHE_BACKEND", "FRONTEND_CACHE_HOSTNAMES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert frontend_cache_settings() == expected


@pytest.mark.parametrize(
    "environment",
    [
        {"FRONTEND_CACHE_BACKEND": "varnish"},
        {"FRONTEND_CACHE_BACKEND": "purge"},
        {"FRONTEND_CACHE_BACKEND": "cloudflare", "CLOUDFLARE_ZONE_ID": "z"},
    ],
)
def test_an_incomplete_cdn_configuration_refuses_to_start(monkeypatch, environment):
    for name in ("FRONTEND_CACHE_LOCATION", "CLOUDFLARE_BEARER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured):
        frontend_cache_settings()


def test_a_new_slug_purges_the_old_address_too(purged, committed):
    theme = ThemePage.objects.get(url_path__endswith=THEME)
    theme.slug = "styrning"

    committed(lambda: theme.save_revision().publish())

    assert {f"{SITE}{THEME}", f"{SITE}{PROGRAM}styrning/"} <= set(purged)


def test_an_intake_draft_purges_nothing_its_publish_purges_the_pages(purged, committed):
    intake = Intake.objects.filter(live=True).first()

    committed(lambda: intake.save_revision())
    assert purged == []
    committed(lambda: intake.save_revision().publish())

    assert f"{SITE}{PROGRAM}" in purged
    assert f"{SITE}{PROGRAM}kalender.ics" in purged
