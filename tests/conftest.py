import io

from django.core.cache import cache
from django.core.management import call_command

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seed site once per test session; each test rolls back on top of it."""
    with django_db_blocker.unblock():
        call_command("load_seed_content", verbosity=0, stdout=io.StringIO())


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
