""" "Meddela mig när anmälan öppnar": verified sign-up, double opt-in, one
e-mail when the interest form opens, removal, purge."""

import datetime
import io
import re

from django.core.management import call_command
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from forms.models import OpeningSubscription
from tests.conftest import INTEREST_PATH
from tests.factories import set_interest_window
from tests.verification import forged_payload, solved_payload

SUBSCRIBE = "/anmalan-oppnar/"


@pytest.fixture
def closed(interest_page):
    set_interest_window(interest_page.intake_year, opens=-30, closes=-1)
    return interest_page


def sign_up(client, email, payload=None):
    return client.post(
        SUBSCRIBE, {"email": email, "altcha": payload or solved_payload()}
    )


def link(message, kind):
    return re.search(
        rf"http://testserver(/anmalan-oppnar/{kind}/[^/\s]+/)", message.body
    )[1]


def test_the_closed_form_offers_the_notice_with_a_labelled_field(client, closed):
    html = BeautifulSoup(client.get(INTEREST_PATH).content, "html.parser")
    section = html.find("section", attrs={"aria-labelledby": "notify-heading"})
    assert section is not None
    field = section.find("input", attrs={"type": "email"})
    assert section.find("label", attrs={"for": field["id"]})
    assert section.find("altcha-widget") is not None
    assert len(html.find_all("h1")) == 1


def test_the_open_form_does_not_offer_it(client, interest_page):
    set_interest_window(interest_page.intake_year, opens=-1, closes=30)
    assert b"notify-heading" not in client.get(INTEREST_PATH).content


def test_without_a_verification_nothing_is_stored(client, closed, mailoutbox):
    response = sign_up(client, "eva@example.se", forged_payload(solved_payload()))
    assert response.status_code == 400
    assert "Verifieringen godkändes inte" in response.content.decode()
    assert not OpeningSubscription.objects.exists()
    assert mailoutbox == []


def test_a_bad_address_is_a_swedish_error(client, closed):
    response = sign_up(client, "inte en adress")
    assert "namn@exempel.se" in response.content.decode()
    assert not OpeningSubscription.objects.exists()


def test_double_opt_in_then_one_email_when_the_form_opens(
    client, closed, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "Eva@Example.se")
    assert "Bekräfta din adress" in response.content.decode()
    [confirmation] = mailoutbox
    assert confirmation.to == ["eva@example.se"]
    subscription = OpeningSubscription.objects.get()
    assert subscription.confirmed_at is None

    # Not confirmed: the opening sends nothing to it.
    set_interest_window(closed.intake_year, opens=-1, closes=30)
    call_command("notify_interest_opening", stdout=io.StringIO())
    assert len(mailoutbox) == 1
    set_interest_window(closed.intake_year, opens=-30, closes=-1)

    confirm = link(confirmation, "bekrafta")
    # Following the link (a mail scanner would) confirms nothing by itself.
    assert "Ja, meddela mig" in client.get(confirm).content.decode()
    assert OpeningSubscription.objects.get().confirmed_at is None
    client.post(confirm)
    assert OpeningSubscription.objects.get().confirmed_at is not None

    # Still closed: nothing.
    call_command("notify_interest_opening", stdout=io.StringIO())
    assert len(mailoutbox) == 1

    set_interest_window(closed.intake_year, opens=-1, closes=30)
    call_command("notify_interest_opening", stdout=io.StringIO())
    call_command("notify_interest_opening", stdout=io.StringIO())

    [_, opening] = mailoutbox
    assert opening.to == ["eva@example.se"]
    assert "Nu är intresseanmälan öppen" in opening.subject
    assert INTEREST_PATH in opening.body
    assert "/anmalan-oppnar/ta-bort/" in opening.extra_headers["List-Unsubscribe"]
    # Used: the address is gone.
    assert not OpeningSubscription.objects.exists()


def test_the_removal_link_deletes_the_address(
    client, closed, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "bo@example.se")
    remove = link(mailoutbox[0], "ta-bort")
    assert OpeningSubscription.objects.exists()
    client.post(remove)
    assert not OpeningSubscription.objects.exists()
    assert "Adressen är borttagen" in client.post(remove).content.decode()


def test_a_forged_link_confirms_nothing(client, closed):
    OpeningSubscription.objects.create(email="eva@example.se")
    response = client.post("/anmalan-oppnar/bekrafta/eva@example.se:forged/")
    assert "Länken fungerar inte" in response.content.decode()
    assert OpeningSubscription.objects.get().confirmed_at is None


def test_unconfirmed_addresses_are_purged_after_a_few_days(db):
    old = OpeningSubscription.objects.create(email="gammal@example.se")
    OpeningSubscription.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=4)
    )
    OpeningSubscription.objects.create(email="ny@example.se")
    confirmed = OpeningSubscription.objects.create(
        email="bekraftad@example.se", confirmed_at=timezone.now()
    )
    OpeningSubscription.objects.filter(pk=confirmed.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    call_command("purge_submissions", stdout=io.StringIO())
    assert set(OpeningSubscription.objects.values_list("email", flat=True)) == {
        "ny@example.se",
        "bekraftad@example.se",
    }
