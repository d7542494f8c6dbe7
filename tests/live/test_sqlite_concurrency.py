"""The embedded default (SQLite) takes many submissions at the same moment.

``make run`` serves an SQLite file with dev settings, where each submission's
e-mail is sent right after its commit, in the request. Every request has its own
thread and connection. Without the settings for concurrent use (WAL, IMMEDIATE
transactions, a 20 s busy timeout) SQLite refused writers at once with
"database is locked": a transaction that reads before it writes (the delivery
locks its submission, then marks it sent) cannot wait for the lock. Here many
people send the interest form at once: every one is answered, stored, and
thanked by e-mail, and SQLite never says "locked".
"""

import http.client
import http.cookiejar
import json
import sqlite3
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.concurrency import run_at_once
from tests.factories import answers, field_name, interest_data, valid_data
from tests.network import free_port
from tests.verification import solved_payload

from .conftest import Process, environment, http_get, wait_for_http

pytestmark = pytest.mark.fault

INTEREST_URL = "/toppolitikerprogrammen/intresseanmalan/"
DEV = {"FORM_RATE_LIMIT": "0", "PAGE_CACHE_SECONDS": "0"}


@pytest.fixture
def runserver(sqlite_copy, tmp_path):
    """``make run``'s server: runserver (threaded), dev settings, the SQLite file."""
    port = free_port()
    server = Process(
        [
            sys.executable,
            "manage.py",
            "runserver",
            "--noreload",
            "--skip-checks",
            f"127.0.0.1:{port}",
        ],
        environment("dev", DATABASE_URL=f"sqlite:///{sqlite_copy}", **DEV),
        tmp_path / "runserver.log",
    )
    try:
        wait_for_http(port, server)
        yield port, server
    finally:
        server.stop()


def interest_form(port):
    """The interest form's definition, from the server's forms API."""
    status, body = http_get(port, "/api/v2/pages/?type=forms.InterestFormPage")
    (page,) = json.loads(body)["items"]
    return json.loads(http_get(port, f"/api/forms/{page['id']}")[1])


def stored(path):
    """The test's submissions in the SQLite file: e-mail address, receipt state."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT email, receipt_state FROM forms_interestsubmission"
            " WHERE email LIKE 'samtidig%'"
        ).fetchall()
    db.close()
    return dict(rows)


def assert_all_stored_and_thanked(path, count, server):
    assert stored(path) == {f"samtidig{i}@exempel.se": "sent" for i in range(count)}
    assert "database is locked" not in server.output()
    assert server.alive


def test_fifty_people_at_once_through_the_api_are_all_answered_stored_and_thanked(
    start_gunicorn, sqlite_copy
):
    """runserver accepts ten waiting connections, not fifty: the threaded
    production server serves the embedded default's settings here."""
    port, server = start_gunicorn(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=f"sqlite:///{sqlite_copy}",
        **DEV,
    )
    form = interest_form(port)
    bodies = [
        json.dumps(
            {
                **valid_data(form),
                **answers(
                    form,
                    name=f"Samtidig {index}",
                    email=f"samtidig{index}@exempel.se",
                    altcha=solved_payload(),
                ),
            }
        )
        for index in range(50)
    ]

    def person(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request(
            "POST",
            form["submission_url"],
            body=bodies[index],
            headers={"Content-Type": "application/json"},
        )
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status

    results = run_at_once(person, 50)

    assert results == [201] * 50
    assert_all_stored_and_thanked(sqlite_copy, 50, server)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_twenty_people_at_once_on_make_runs_server_are_all_stored_and_thanked(
    runserver, sqlite_copy
):
    """The case reported: twenty people send the HTML form on ``make run``."""
    port, server = runserver
    url = f"http://127.0.0.1:{port}{INTEREST_URL}"
    status, body = http_get(port, "/api/v2/pages/?type=programs.ProgramPage")
    programs = [
        type("Program", (), {"pk": item["id"]}) for item in json.loads(body)["items"]
    ]
    form = interest_form(port)

    def ready_to_send(index):
        """A browser that has opened the form and filled it in; its request."""
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )
        # The form page is the same for everyone (no CSRF token, forms/csrf.py):
        # a browser's POST names the site as its Origin.
        html = browser.open(url, timeout=30).read().decode()
        assert 'method="post"' in html
        data = interest_data(programs, form=form, email=f"samtidig{index}@exempel.se")
        assert field_name(form, "programs") in data
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(data, doseq=True).encode(),
            headers={"Referer": url, "Origin": f"http://127.0.0.1:{port}"},
        )
        return browser, request

    people = [ready_to_send(index) for index in range(20)]

    def person(index):
        browser, request = people[index]
        try:
            return browser.open(request, timeout=60).status
        except urllib.error.HTTPError as answer:  # the redirect, or an error
            return answer.code

    results = run_at_once(person, 20)

    # A redirect to the thank-you page (or the thank-you page itself).
    assert all(status in (200, 303) for status in results), results
    assert_all_stored_and_thanked(sqlite_copy, 20, server)
