"""The receipt's link: a registration its sender can see, correct or withdraw."""

import re
import time
from unittest import mock

from django.core import signing
from django.test import Client

from wagtail.models import ModelLogEntry

import pytest
from bs4 import BeautifulSoup

from forms.models import InterestSubmission
from forms.self_service import SALT, WITHDRAWN, token_for
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data, set_interest_window

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(post, programs, mailoutbox):
    set_interest_window(2025, opens=-1, closes=20)
    response = post(INTEREST_PATH, interest_data(programs[:1]))
    assert response.status_code == 303
    return InterestSubmission.objects.get()


def receipt_link(mailoutbox):
    receipt = next(m for m in mailoutbox if m.to == ["anna@exempel.se"])
    return re.search(r"https?://\S+/min-anmalan/\S+/", receipt.body).group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_link_in_the_receipt_shows_the_registration(
    client, registration, mailoutbox
):
    response = client.get(path_of(receipt_link(mailoutbox)))

    assert response.status_code == 200
    assert (
        "no-store" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )
    page = soup(response)
    assert page.h1.get_text() == "Din intresseanmälan"
    answers = page.select_one("dl.answers").get_text(" ")
    assert "Anna Andersson" in answers and "Exempelkommun" in answers
    assert page.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert page.find(id="id_name")["value"] == "Anna Andersson"


def test_a_correction_is_stored_in_the_columns_and_the_answers(
    client, registration, programs
):
    path = f"/min-anmalan/{token_for(registration)}/"
    response = client.post(
        path,
        {
            "action": "correct",
            "name": "Anna Ek",
            "phone": "08-123 45",
            "organisation": "Ekkommun",
            "role": "Oppositionsråd",
            "programs": [programs[1].pk],
            "message": "Rättat meddelande.",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{path}?sparat=1"
    registration.refresh_from_db()
    assert registration.name == "Anna Ek"
    assert registration.organisation == "Ekkommun"
    assert registration.role == "Oppositionsråd"
    assert list(registration.programs.all()) == [programs[1]]
    answers = dict(registration.answers())
    assert "Anna Ek" in answers.values()
    assert "Rättat meddelande." in answers.values()
    assert programs[1].title in answers.values()
    assert "Dina ändringar är sparade." in client.get(response["Location"]).text


def test_a_correction_without_a_name_is_refused_in_swedish(client, registration):
    path = f"/min-anmalan/{token_for(registration)}/"
    response = client.post(path, {"action": "correct", "name": ""})

    assert response.status_code == 400
    assert "Fyll i ditt namn." in response.text
    registration.refresh_from_db()
    assert registration.name == "Anna Andersson"


def test_posts_need_the_csrf_token(registration):
    browser = Client(enforce_csrf_checks=True)
    path = f"/min-anmalan/{token_for(registration)}/"
    response = browser.post(path, {"action": "withdraw", "confirm": "on"})

    assert response.status_code == 403
    assert InterestSubmission.objects.filter(pk=registration.pk).exists()


def test_withdrawing_deletes_the_registration_and_logs_it_without_the_name(
    client, registration
):
    path = f"/min-anmalan/{token_for(registration)}/"
    pk, reference = registration.pk, registration.reference

    unconfirmed = client.post(path, {"action": "withdraw"})
    assert unconfirmed.status_code == 400
    assert "Kryssa i rutan" in unconfirmed.text
    assert InterestSubmission.objects.filter(pk=pk).exists()

    response = client.post(path, {"action": "withdraw", "confirm": "on"})

    assert response.status_code == 200
    assert "Din intresseanmälan är återkallad" in response.text
    assert not InterestSubmission.objects.filter(pk=pk).exists()
    entry = ModelLogEntry.objects.get(action=WITHDRAWN, object_id=str(pk))
    assert reference in entry.label
    assert "Anna" not in entry.label
    # The link now leads to a clear page that there is nothing left.
    again = client.get(path)
    assert again.status_code == 410
    assert "finns inte längre" in again.text


def test_a_tampered_link_is_a_swedish_400(client, registration):
    token = token_for(registration)
    response = client.get(f"/min-anmalan/{token[:-2]}xx/")
    assert response.status_code == 400
    assert "Länken fungerar inte" in response.text

    forged = signing.dumps([registration.pk, registration.reference], salt="other")
    assert client.get(f"/min-anmalan/{forged}/").status_code == 400
    wrong = signing.dumps([registration.pk, "AAAAA-AAAAA"], salt=SALT)
    assert client.get(f"/min-anmalan/{wrong}/").status_code == 410


def test_an_expired_link_is_a_swedish_410(client, registration, settings):
    settings.SELF_SERVICE_MAX_AGE_DAYS = 30
    token = token_for(registration)
    later = time.time() + 31 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(f"/min-anmalan/{token}/")
    assert response.status_code == 410
    assert "Länken har gått ut" in response.text


def test_the_thank_you_page_says_what_happens_next_and_takes_focus(
    client, post, programs
):
    set_interest_window(2025, opens=-1, closes=20)
    response = post(INTEREST_PATH, interest_data(programs[:1]))
    page = soup(client.get(response["Location"]))

    heading = page.h1
    assert heading["tabindex"] == "-1"
    assert heading.has_attr("autofocus")
    assert len(page.find_all("h1")) == 1
    next_steps = page.find(id="next-steps-heading").find_parent("section")
    assert "Vad händer nu" in next_steps.h2.get_text()
    assert re.search(r"stänger den \d{1,2} \w+ \d{4}", next_steps.get_text())
