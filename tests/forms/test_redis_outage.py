"""While Redis is gone, readers and senders notice nothing but speed.

The default cache points at a Redis that refuses connections (nothing listens
on the port) or one that accepts and never answers. Pages, API reads and
submissions must answer as usual, and a spent verification stays spent.
"""

import socket
import threading

from django.core.cache import caches

import pytest
from bs4 import BeautifulSoup

from forms.models import InterestSubmission
from forms.submitting import REVIEW_FIELD
from serving.cache_backends import FailOpenRedisCache
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data, valid_data
from tests.network import free_port
from tests.verification import solved_payload

READS = [
    "/",
    "/toppolitikerprogrammen/",
    "/toppolitikerprogrammen/toppolitikerprogrammet/",
    "/toppolitikerprogrammen/toppolitikerprogrammet/styrning-och-ledning/",
    INTEREST_PATH,
    "/api/v2/pages/?type=programs.ProgramPage&fields=*",
    "/sitemap.xml",
]


@pytest.fixture
def silent_redis():
    """A server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for connection in accepted:
        connection.close()


def use_redis_at(settings, port):
    settings.PAGE_CACHE_SECONDS = 60
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "serving.cache_backends.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    FailOpenRedisCache._down_until = 0.0


@pytest.fixture
def redis_gone(settings):
    use_redis_at(settings, free_port())
    yield
    caches["default"].close()
    FailOpenRedisCache._down_until = 0.0


@pytest.fixture
def redis_hanging(settings, silent_redis):
    use_redis_at(settings, silent_redis)
    yield
    FailOpenRedisCache._down_until = 0.0


@pytest.fixture(autouse=True)
def fresh_cache():
    """Overrides the suite's cache clearing, which would call the dead Redis."""
    yield


@pytest.mark.parametrize("url", READS)
def test_pages_and_api_reads_answer_while_redis_is_gone(
    client, seed_pages, redis_gone, url
):
    for _ in range(2):
        assert client.get(url).status_code == 200


def test_pages_answer_while_redis_hangs(client, seed_pages, redis_hanging):
    for url in READS:
        assert client.get(url).status_code == 200


def test_a_submission_is_stored_and_a_replay_refused_while_redis_is_gone(
    post, programs, redis_gone
):
    payload = solved_payload()

    accepted = post(INTEREST_PATH, interest_data(programs, altcha=payload))
    replayed = post(INTEREST_PATH, interest_data(programs, altcha=payload))

    assert accepted.status_code == 303
    assert "Verifieringen har redan använts" in replayed.content.decode()
    assert InterestSubmission.objects.count() == 1


def test_the_forms_api_takes_submissions_while_redis_is_gone(
    client, interest_page, redis_gone
):
    definition = client.get(f"/api/forms/{interest_page.pk}").json()
    data = {**valid_data(definition), "altcha": solved_payload()}

    response = client.post(
        f"/api/forms/{interest_page.pk}/submissions",
        data,
        content_type="application/json",
    )

    assert response.status_code == 201, response.content


def test_a_review_token_stays_spent_while_redis_is_gone(post, programs, redis_gone):
    """The fail-open cache forgets everything; the spent token is in the database."""
    data = interest_data(programs, altcha="")
    first = post(INTEREST_PATH, data)
    token = BeautifulSoup(first.content, "html.parser").find(
        "button", attrs={"name": REVIEW_FIELD}
    )["value"]

    answers = [post(INTEREST_PATH, {**data, REVIEW_FIELD: token}) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [303, 200, 200]
    assert InterestSubmission.objects.count() == 1
