import datetime
import re

import pytest
from altcha import Payload, solve_challenge
from altcha_django.challenge import build_challenge

PROGRAM_CHOICE_NAME = "jag_ar_intresserad_av_att_delta_eller_fa_mer_information_om"
CONSENT_NAME = "jag_samtycker_till_att_skr_behandlar_mina_personuppgifter"


def solved_payload(*, expired=False, **challenge_options):
    """A real ALTCHA payload: a signed challenge solved by proof of work.

    The test settings keep the work tiny; the verification is the real one.
    """
    if expired:
        challenge_options["expires_at"] = datetime.datetime.now(
            tz=datetime.UTC
        ) - datetime.timedelta(seconds=5)
    challenge = build_challenge(**challenge_options)
    solution = solve_challenge(challenge, timeout=30)
    assert solution is not None, "the test challenge could not be solved"
    return Payload(challenge, solution).to_base64()


@pytest.fixture
def solve():
    return solved_payload


@pytest.fixture
def programs(seed_pages):
    return [
        seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"],
        seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/"],
    ]


def interest_data(programs, altcha=None, **overrides):
    """What a person fills in on the seeded interest form."""
    data = {
        "namn": "Anna Andersson",
        "e_postadress": "anna@exempel.se",
        "telefonnummer": "070-123 45 67",
        "kommun_eller_region": "Exempelkommun",
        "roll": "Kommunstyrelsens ordförande",
        PROGRAM_CHOICE_NAME: [str(program.pk) for program in programs],
        "meddelande": "Jag vill veta mer.",
        CONSENT_NAME: "on",
        "altcha": solved_payload() if altcha is None else altcha,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def contact_data(altcha=None, **overrides):
    data = {
        "namn": "Bo Berg",
        "e_postadress": "bo@exempel.se",
        "meddelande": "En fråga om programmen.",
        CONSENT_NAME: "on",
        "altcha": solved_payload() if altcha is None else altcha,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as a browser would, running what waits for the commit (the e-mail)."""

    def post(path, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data, **extra)

    return post


REFERENCE_PATTERN = r"[2-9A-Z]{5}-[2-9A-Z]{5}"


def thanked(client, response):
    """Follow an accepted form's redirect; the thank-you page and its reference."""
    assert response.status_code == 303, response.status_code
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    match = re.search(
        rf"<strong class=\"reference\">({REFERENCE_PATTERN})</strong>", html
    )
    assert match, "the thank-you page gives a reference"
    return html, match.group(1)


@pytest.fixture
def recipients(interest_page, contact_page):
    """Give both forms a recipient, as an editor would."""
    for page in (interest_page, contact_page):
        type(page).objects.filter(pk=page.pk).update(
            to_address="programansvarig@exempel.se"
        )
    return "programansvarig@exempel.se"
