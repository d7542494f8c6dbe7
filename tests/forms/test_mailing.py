"""One message to the ticked registrations, or to everyone admitted to an intake."""

import pytest
from bs4 import BeautifulSoup

from forms.admissions import decide
from forms.models import AdmissionStatus, SentEmail
from programs.models import Intake
from tests.factories import make_registration

INBOX = "/admin/intresseanmalningar/"
MAIL = f"{INBOX}mail/"


@pytest.fixture
def intake(programs):
    return Intake.objects.get(program=programs[0], year=2025)


@pytest.fixture
def people(interest_page, intake):
    return [
        make_registration(interest_page, name, [intake.program])
        for name in ("Anna Ek", "Bo Lind", "Cecilia Ås")
    ]


MESSAGE = {
    "subject": "Inför {program} {omgång}",
    "body": "Hej {namn}!\nVälkommen till första träffen.",
}


def test_ticked_rows_get_one_message_each_previewed_for_the_first(
    manager_client, manager, people, mailoutbox, django_capture_on_commit_callbacks
):
    ticked = {"selected": [people[1].pk, people[0].pk]}

    compose = manager_client.post(MAIL, ticked)
    assert compose.status_code == 200
    assert "2 markerade personer" in compose.content.decode()

    preview = manager_client.post(MAIL, {**ticked, **MESSAGE, "action": "preview"})
    html = BeautifulSoup(preview.content, "html.parser")
    # The first recipient by name.
    assert html.select_one("[data-preview-body]").get_text().startswith("Hej Anna Ek!")
    assert mailoutbox == [] and not SentEmail.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = manager_client.post(MAIL, {**ticked, **MESSAGE, "action": "send"})
    assert sent.status_code == 302
    assert sorted(message.to[0] for message in mailoutbox) == [
        "anna@example.se",
        "bo@example.se",
    ]
    assert {message.body.splitlines()[0] for message in mailoutbox} == {
        "Hej Anna Ek!",
        "Hej Bo Lind!",
    }
    logs = SentEmail.objects.filter(template="utskick")
    assert logs.count() == 2
    assert set(logs.values_list("state", "sent_by")) == {("sent", manager.pk)}


def test_everyone_admitted_to_an_intake(
    manager_client,
    manager,
    people,
    intake,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    decide(people[0], intake, AdmissionStatus.ACCEPTED, manager)
    decide(people[2], intake, AdmissionStatus.ACCEPTED, manager)
    decide(people[1], intake, AdmissionStatus.RESERVE, manager)

    inbox = manager_client.get(f"{INBOX}?intake_year=2025").content.decode()
    assert f"{MAIL}?intake={intake.pk}" in inbox

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(MAIL, {"intake": intake.pk, **MESSAGE, "action": "send"})

    assert sorted(message.to[0] for message in mailoutbox) == [
        "anna@example.se",
        "cecilia@example.se",
    ]
    assert mailoutbox[0].subject == f"Inför {intake.program.title} 2025"


def test_an_unknown_placeholder_is_refused_and_nothing_sent(
    manager_client, people, mailoutbox
):
    response = manager_client.post(
        MAIL,
        {
            "selected": [people[0].pk],
            "subject": "Hej",
            "body": "{förnamn}",
            "action": "send",
        },
    )
    assert "Okänd platshållare: {förnamn}" in response.content.decode()
    assert mailoutbox == [] and not SentEmail.objects.exists()


def test_an_editor_may_not_mail_registrations(editor_client, people):
    assert editor_client.post(MAIL, {"selected": [people[0].pk]}).status_code == 403
