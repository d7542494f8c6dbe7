import io
import json
import logging

from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

import pytest

from serving.log_format import JsonFormatter
from tests.factories import EDITORS, MANAGERS, make_member


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seed site once per test session; each test rolls back on top of it."""
    with django_db_blocker.unblock():
        call_command("load_seed_content", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def committed_seed(django_db_serialized_rollback, transactional_db, django_db_blocker):
    """The seed site, committed, for tests whose threads need real rows.

    Such a test is transactional (threads see only what is committed), with
    the database as migrations left it put back before and after it; whatever
    ran before it on this worker, the seed is loaded again on top (the loader
    creates only what is missing).
    """
    from wagtail.models import Page, Site

    from home.models import HomePage

    with django_db_blocker.unblock():
        call_command("load_seed_content", verbosity=0, stdout=io.StringIO())
        # Putting the migrated database back restores Wagtail's default site
        # on its placeholder page over a seed an earlier test left committed.
        home = HomePage.objects.get()
        site = Site.objects.get(is_default_site=True)
        if site.root_page_id != home.pk:
            stale = site.root_page
            site.root_page = home
            site.save()
            if stale.specific_class is Page:
                stale.delete()
            Page.fix_tree()
        cache.clear()


@pytest.fixture
def seed_pages(db):
    """The seeded pages by their URL path, e.g. seed_pages["/kontakt/"]."""
    from wagtail.models import Page

    return {
        page.url_path.removeprefix("/home"): page.specific
        for page in Page.objects.filter(depth__gte=2)
    }


INTEREST_PATH = "/toppolitikerprogrammen/intresseanmalan/"
CONTACT_PATH = "/kontakt/"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counts, spent challenges and cached pages must not leak."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def interest_page(seed_pages):
    return seed_pages[INTEREST_PATH]


@pytest.fixture
def contact_page(seed_pages):
    return seed_pages[CONTACT_PATH]


@pytest.fixture
def editor(django_user_model):
    """A communicator: edits and publishes pages, reads no submissions."""
    return make_member(django_user_model, "kommunikator", EDITORS)


@pytest.fixture
def manager(django_user_model):
    """A programme manager: reads and handles the submissions."""
    return make_member(django_user_model, "pa", MANAGERS)


@pytest.fixture
def editor_client(editor):
    """A browser of its own, logged in as the communicator."""
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def manager_client(manager):
    """A browser of its own, logged in as the programme manager."""
    client = Client()
    client.force_login(manager)
    return client


@pytest.fixture
def json_log():
    """Everything logged during the test, as production writes it: parsed back."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)

    def lines():
        handler.flush()
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(level)
