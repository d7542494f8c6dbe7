"""Without JavaScript: a form that cannot be verified is sent for manual review.

The first POST is refused as any unverified one is, and offers a second step;
the second stores the submission as "Ej verifierad", apart from the inbox and
without a receipt, under the same window, field, honeypot and rate-limit rules
plus a narrower limit of its own. Programme managers accept or discard it.
"""

import io
from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest
from bs4 import BeautifulSoup

from forms.models import (
    ContactSubmission,
    DeliveryState,
    InterestSubmission,
    SpentVerification,
    Verification,
)
from forms.review import ACCEPT_ACTION, DISCARD_ACTION
from forms.submitting import REVIEW_FIELD
from tests.conftest import CONTACT_PATH, INTEREST_PATH
from tests.factories import (
    contact_data,
    interest_data,
    make_registration,
    set_interest_window,
)

from .conftest import thanked

pytestmark = pytest.mark.django_db

INBOX = "/admin/intresseanmalningar/"
WAITING = f"{INBOX}?verifiering=ej-verifierad"


def offered_token(response):
    """The second step's button on a refused form: its value, or ``None``."""
    assert response.status_code == 200
    button = BeautifulSoup(response.content, "html.parser").find(
        "button", attrs={"name": REVIEW_FIELD}
    )
    return button["value"] if button else None


def call_command_output(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def send_for_review(post, path, data, **extra):
    """What a person without JavaScript does: send, then send anyway."""
    first = post(path, {**data, "altcha": ""}, **extra)
    token = offered_token(first)
    assert token, "the refused form offers to send it for manual review"
    return post(path, {**data, "altcha": "", REVIEW_FIELD: token}, **extra)


def test_a_form_without_verification_is_refused_and_offers_manual_review(
    post, programs
):
    response = post(INTEREST_PATH, interest_data(programs, altcha=""))

    html = response.content.decode()
    assert "Du behöver slutföra verifieringen" in html
    assert offered_token(response)
    button = BeautifulSoup(html, "html.parser").find(
        "button", attrs={"name": REVIEW_FIELD}
    )
    assert button.text.strip() == "Skicka ändå för manuell granskning"
    # "Skicka" comes first: Enter in a field still sends the ordinary way.
    buttons = BeautifulSoup(html, "html.parser").find("form").find_all("button")
    assert buttons[0].text.strip() == "Skicka"
    assert InterestSubmission.objects.count() == 0


def test_the_form_page_before_any_error_offers_no_second_step(client):
    assert offered_token(client.get(INTEREST_PATH)) is None


def test_sent_for_review_it_is_stored_unverified_without_a_receipt(
    client, post, programs, recipients, mailoutbox
):
    response = send_for_review(post, INTEREST_PATH, interest_data(programs))

    html, reference = thanked(client, response)
    assert "ingen bekräftelse via e-post" in html
    assert "Vi skickar en bekräftelse" not in html
    submission = InterestSubmission.objects.get()
    assert submission.reference == reference
    assert submission.verification == Verification.UNVERIFIED
    assert submission.receipt_state == DeliveryState.SKIPPED
    assert set(submission.programs.all()) == set(programs)
    assert [message.to for message in mailoutbox] == [[recipients]]
    notification = mailoutbox[0]
    assert notification.subject.startswith("Ej verifierad")
    assert reference in notification.body
    # What nobody verified stays in the inbox, not in the recipients' mail.
    assert "Exempelkommun" not in notification.body


def test_a_verified_submission_says_a_receipt_is_on_its_way(client, post, programs):
    response = post(INTEREST_PATH, interest_data(programs))

    html, _reference = thanked(client, response)
    assert "Vi skickar en bekräftelse med referensnumret" in html
    assert InterestSubmission.objects.get().verification == Verification.VERIFIED


def test_the_contact_form_has_the_same_second_step(client, post, mailoutbox):
    response = send_for_review(post, CONTACT_PATH, contact_data())

    thanked(client, response)
    submission = ContactSubmission.objects.get()
    assert submission.verification == Verification.UNVERIFIED
    assert mailoutbox == []  # no recipients in the seed, and no receipt


@pytest.mark.parametrize("token", ["", "made-up", "x" * 600])
def test_the_second_step_without_a_token_of_the_first_is_refused(post, programs, token):
    data = {**interest_data(programs, altcha=""), REVIEW_FIELD: token}

    response = post(INTEREST_PATH, data)

    assert response.status_code == 200
    assert "Det gick inte att skicka formuläret för manuell granskning" in (
        response.content.decode()
    )
    assert InterestSubmission.objects.count() == 0


def test_a_token_works_only_from_the_client_it_was_given_to(post, programs):
    data = interest_data(programs, altcha="")
    token = offered_token(post(INTEREST_PATH, data, REMOTE_ADDR="10.0.0.1"))

    response = post(
        INTEREST_PATH, {**data, REVIEW_FIELD: token}, REMOTE_ADDR="10.0.0.2"
    )

    assert response.status_code == 200
    assert InterestSubmission.objects.count() == 0


def test_a_token_works_only_on_the_form_it_was_given_for(post, programs):
    token = offered_token(post(INTEREST_PATH, interest_data(programs, altcha="")))

    response = post(CONTACT_PATH, {**contact_data(altcha=""), REVIEW_FIELD: token})

    assert response.status_code == 200
    assert ContactSubmission.objects.count() == 0


USED_MESSAGE = "Formuläret är redan skickat för manuell granskning"


def test_a_token_sends_one_submission_and_is_then_spent(post, programs, settings):
    """Six posts with one token were six submissions; now one, then a message."""
    settings.FORM_REVIEW_RATE_LIMIT = "0"
    data = interest_data(programs, altcha="")
    token = offered_token(post(INTEREST_PATH, data))

    answers = [post(INTEREST_PATH, {**data, REVIEW_FIELD: token}) for _ in range(6)]

    assert [answer.status_code for answer in answers] == [303] + [200] * 5
    for again in answers[1:]:
        assert USED_MESSAGE in again.content.decode()
        # Nothing to press again: it is sent already.
        assert offered_token(again) is None
    assert InterestSubmission.objects.count() == 1


def test_a_spent_token_is_kept_until_it_would_have_expired_then_purged(post, programs):
    data = interest_data(programs, altcha="")
    token = offered_token(post(INTEREST_PATH, data))
    post(INTEREST_PATH, {**data, REVIEW_FIELD: token})
    (spent,) = SpentVerification.objects.filter(key__startswith="review:")
    lasts = spent.expires_at - timezone.now()

    kept = call_command_output("purge_submissions")
    SpentVerification.objects.filter(pk=spent.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    purged = call_command_output("purge_submissions")

    assert timedelta(hours=1, minutes=59) < lasts <= timedelta(hours=2)
    assert "Utgångna verifieringar: 0 raderade" in kept
    assert "Utgångna verifieringar: 1 raderade" in purged
    assert not SpentVerification.objects.filter(key__startswith="review:").exists()


def test_two_tokens_given_in_the_same_second_are_each_good_once(
    post, programs, settings
):
    """A token is signed with the second it was given; each has its own nonce."""
    settings.FORM_REVIEW_RATE_LIMIT = "0"
    data = interest_data(programs, altcha="")
    tokens = [offered_token(post(INTEREST_PATH, data)) for _ in range(2)]

    answers = [post(INTEREST_PATH, {**data, REVIEW_FIELD: t}) for t in tokens]

    assert len(set(tokens)) == 2
    assert [answer.status_code for answer in answers] == [303, 303]
    assert InterestSubmission.objects.count() == 2


def test_the_fields_are_still_validated(post, programs):
    data = interest_data(programs, email="fel")
    first = post(INTEREST_PATH, {**data, "altcha": ""})

    response = post(
        INTEREST_PATH, {**data, "altcha": "", REVIEW_FIELD: offered_token(first)}
    )

    html = response.content.decode()
    assert "Ange en giltig e-postadress" in html
    # Fixing the address is all it takes: the offer stands.
    assert offered_token(response)
    assert InterestSubmission.objects.count() == 0


def test_the_honeypot_still_catches_a_bot(client, post, programs, mailoutbox):
    response = send_for_review(
        post, INTEREST_PATH, interest_data(programs, website="http://spam.example")
    )

    thanked(client, response)
    assert InterestSubmission.objects.count() == 0
    assert mailoutbox == []


def test_a_burst_of_unverified_submissions_is_refused(post, programs, settings):
    settings.FORM_RATE_LIMIT = "100/m"
    settings.FORM_REVIEW_RATE_LIMIT = "2/h"
    data = interest_data(programs)

    answers = [send_for_review(post, INTEREST_PATH, data) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [303, 303, 429]
    assert int(answers[2]["Retry-After"]) > 0
    assert "Vänta en stund" in answers[2].content.decode()
    assert InterestSubmission.objects.count() == 2


def test_each_step_counts_against_the_ordinary_rate_limit(post, programs, settings):
    settings.FORM_RATE_LIMIT = "2/m"
    data = interest_data(programs, altcha="")
    token = offered_token(post(INTEREST_PATH, data))
    post(INTEREST_PATH, data)

    response = post(INTEREST_PATH, {**data, REVIEW_FIELD: token})

    assert response.status_code == 429
    assert InterestSubmission.objects.count() == 0


def test_a_closed_form_takes_nothing_for_review(post, programs, interest_page):
    data = interest_data(programs, altcha="")
    token = offered_token(post(INTEREST_PATH, data))
    set_interest_window(interest_page.intake_year, opens=-10, closes=-1 / 1440)

    response = post(INTEREST_PATH, {**data, REVIEW_FIELD: token})

    assert response.status_code == 410
    assert InterestSubmission.objects.count() == 0


def test_the_forms_api_has_no_second_step(client, programs, interest_page):
    """The API's clients run the verification themselves (README, API)."""
    # JSON's own types: the consent box takes true, not the browser's "on".
    data = {
        **interest_data(programs, altcha="", consent=True),
        REVIEW_FIELD: "anything",
    }

    response = client.post(
        f"/api/forms/{interest_page.pk}/submissions",
        data,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "altcha" in response.json()["errors"]
    assert InterestSubmission.objects.count() == 0


# The programme managers' side.


@pytest.fixture
def waiting(interest_page, programs):
    return make_registration(
        interest_page,
        "Okänd Avsändare",
        programs,
        verification=Verification.UNVERIFIED,
    )


@pytest.fixture
def verified(interest_page, programs):
    return make_registration(interest_page, "Anna Andersson", programs)


def listed(response):
    assert response.status_code == 200
    return {submission.name for submission in response.context["object_list"]}


def test_the_inbox_keeps_unverified_submissions_apart(
    manager_client, waiting, verified
):
    assert listed(manager_client.get(INBOX)) == {"Anna Andersson"}
    assert listed(manager_client.get(WAITING)) == {"Okänd Avsändare"}
    export = manager_client.get(f"{INBOX}?export=csv")
    assert "Okänd" not in b"".join(export.streaming_content).decode()


def test_the_home_panel_counts_what_waits_for_review(manager_client, waiting):
    content = manager_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "1 ej verifierad intresseanmälan väntar på granskning" in content
    assert "?verifiering=ej-verifierad" in content


def test_the_detail_view_offers_accept_and_discard(manager_client, waiting):
    response = manager_client.get(f"{INBOX}inspect/{waiting.pk}/")

    html = response.content.decode()
    assert "Ej verifierad: väntar på granskning" in html
    assert f"{INBOX}accept/{waiting.pk}/" in html
    assert f"{INBOX}discard/{waiting.pk}/" in html


def test_a_manager_accepts_one_into_the_inbox_and_it_is_logged(
    manager_client, manager, waiting
):
    response = manager_client.post(f"{INBOX}accept/{waiting.pk}/")

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.verification == Verification.ACCEPTED
    assert "Okänd Avsändare" in listed(manager_client.get(INBOX))
    entry = ModelLogEntry.objects.get(action=ACCEPT_ACTION)
    assert (entry.user, entry.object_id) == (manager, str(waiting.pk))


def test_a_manager_discards_one_after_confirming_and_it_is_logged(
    manager_client, manager, waiting
):
    confirm = manager_client.get(f"{INBOX}discard/{waiting.pk}/")
    assert confirm.status_code == 200
    assert "Det går inte att ångra" in confirm.content.decode()
    assert InterestSubmission.objects.filter(pk=waiting.pk).exists()

    response = manager_client.post(f"{INBOX}discard/{waiting.pk}/")

    assert response.status_code == 302
    assert not InterestSubmission.objects.filter(pk=waiting.pk).exists()
    entry = ModelLogEntry.objects.get(action=DISCARD_ACTION)
    assert entry.user == manager
    # The log keeps who discarded what, not the sender's name.
    assert "Okänd" not in entry.label
    assert waiting.reference in entry.label


def test_a_verified_submission_cannot_be_accepted_or_discarded_here(
    manager_client, verified
):
    for action in ("accept", "discard"):
        manager_client.post(f"{INBOX}{action}/{verified.pk}/")

    verified.refresh_from_db()
    assert verified.verification == Verification.VERIFIED
    assert not ModelLogEntry.objects.filter(
        action__in=[ACCEPT_ACTION, DISCARD_ACTION]
    ).exists()


def test_a_communicator_may_neither_accept_nor_discard(editor_client, waiting):
    for action in ("accept", "discard"):
        response = editor_client.post(f"{INBOX}{action}/{waiting.pk}/")
        assert response.status_code == 403

    waiting.refresh_from_db()
    assert waiting.verification == Verification.UNVERIFIED
