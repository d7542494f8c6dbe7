"""Admitting a cohort: places per intake, a waiting list, the status e-mail."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from forms.admissions import OverCapacity, capacities, decide
from forms.models import (
    Admission,
    AdmissionStatus,
    InterestSubmission,
    SentEmail,
    StatusEmailTemplate,
)
from programs.models import Intake, Session, Venue
from tests.concurrency import run_at_once
from tests.factories import make_registration

INBOX = "/admin/intresseanmalningar/"


@pytest.fixture
def intake(programs):
    """The first programme's 2025 intake, with two places and dated sessions."""
    intake = Intake.objects.get(program=programs[0], year=2025)
    intake.places = 2
    intake.save()
    venue = Venue.objects.create(
        name="SKR", street_address="Hornsgatan 20", town="Stockholm"
    )
    intake.sessions.all().delete()
    for number, day in enumerate(
        (datetime.date(2025, 9, 10), datetime.date(2025, 11, 5))
    ):
        Session.objects.create(
            intake=intake,
            date=day,
            days=2,
            start_time=datetime.time(10),
            end_time=datetime.time(16),
            venue=venue,
            sort_order=number,
        )
    return intake


@pytest.fixture
def people(interest_page, programs, intake):
    return [
        make_registration(interest_page, name, [intake.program])
        for name in ("Anna Ek", "Bo Lind", "Cecilia Ås")
    ]


def admission_url(submission):
    return f"{INBOX}admission/{submission.pk}/"


def test_places_are_an_optional_positive_number(intake):
    intake.places = 0
    with pytest.raises(ValidationError) as error:
        intake.full_clean()
    assert "places" in error.value.message_dict


def test_admitting_past_the_places_is_refused_unless_confirmed(people, intake, manager):
    first, second, third = people
    decide(first, intake, AdmissionStatus.ACCEPTED, manager)
    decide(second, intake, AdmissionStatus.ACCEPTED, manager)

    with pytest.raises(OverCapacity) as error:
        decide(third, intake, AdmissionStatus.ACCEPTED, manager)

    assert "2 antagna av 2 platser" in str(error.value.messages[0])
    assert not Admission.objects.filter(submission=third).exists()
    # A reserve takes no place; re-admitting the admitted takes no new one.
    decide(third, intake, AdmissionStatus.RESERVE, manager)
    decide(first, intake, AdmissionStatus.ACCEPTED, manager)
    decide(third, intake, AdmissionStatus.ACCEPTED, manager, over_capacity=True)
    [capacity] = [c for c in capacities(2025) if c.intake.pk == intake.pk]
    assert (capacity.admitted, capacity.reserves) == (3, 0)


def test_a_registration_for_both_programmes_is_decided_per_programme(
    interest_page, programs, manager
):
    both = make_registration(interest_page, "Dag Berg", programs)
    one, other = (Intake.objects.get(program=p, year=2025) for p in programs[:2])

    decide(both, one, AdmissionStatus.ACCEPTED, manager)
    decide(both, other, AdmissionStatus.RESERVE, manager)

    assert dict(both.admissions.values_list("intake_id", "status")) == {
        one.pk: "antagen",
        other.pk: "reserv",
    }
    both.refresh_from_db()
    # The registration's own status: the most favourable of its decisions.
    assert both.status == InterestSubmission.Status.ACCEPTED


def test_admitted_and_reserve_are_set_only_per_intake(manager_client, people):
    """The plain status change and the bulk one would skip the places."""
    response = manager_client.post(
        f"{INBOX}status/{people[0].pk}/", {"status": "antagen"}
    )
    assert response.status_code == 302
    bulk = manager_client.post(
        f"{INBOX}bulk/",
        {"selected": [people[1].pk], "action": "status", "status": "reserv"},
    )
    assert bulk.status_code == 302
    statuses = InterestSubmission.objects.filter(pk__in=[p.pk for p in people])
    assert set(statuses.values_list("status", flat=True)) == {"ny"}


def test_an_intake_the_registration_did_not_choose_is_refused(
    interest_page, programs, manager
):
    only_first = make_registration(interest_page, "Eva Ro", programs[:1])
    other = Intake.objects.get(program=programs[1], year=2025)
    with pytest.raises(ValidationError):
        decide(only_first, other, AdmissionStatus.ACCEPTED, manager)


def test_the_inbox_shows_admitted_of_places_and_reserves(
    manager_client, people, intake, manager
):
    decide(people[0], intake, AdmissionStatus.ACCEPTED, manager)
    decide(people[1], intake, AdmissionStatus.RESERVE, manager)

    response = manager_client.get(f"{INBOX}?intake_year=2025")

    html = BeautifulSoup(response.content, "html.parser")
    row = html.select_one(f'[data-capacity-intake="{intake.pk}"]')
    text = " ".join(row.get_text().split())
    assert "Antagna 1 av 2 platser" in text
    assert "Reserver 1" in text


def test_the_admin_refuses_the_last_place_twice_with_a_swedish_message(
    manager_client, people, intake, manager
):
    decide(people[0], intake, AdmissionStatus.ACCEPTED, manager)
    decide(people[1], intake, AdmissionStatus.ACCEPTED, manager)

    response = manager_client.post(
        admission_url(people[2]),
        {"intake": intake.pk, "status": "antagen", "action": "save"},
    )

    assert response.status_code == 200
    assert "har redan 2 antagna av 2 platser" in response.content.decode()
    assert not people[2].admissions.exists()

    confirmed = manager_client.post(
        admission_url(people[2]),
        {
            "intake": intake.pk,
            "status": "antagen",
            "over_capacity": "on",
            "action": "save",
        },
    )
    assert confirmed.status_code == 302
    assert people[2].admissions.get().status == "antagen"


def test_the_preview_shows_the_rendered_email_and_sends_nothing(
    manager_client, people, intake, mailoutbox
):
    response = manager_client.post(
        admission_url(people[0]),
        {
            "intake": intake.pk,
            "status": "antagen",
            "send_email": "on",
            "action": "preview",
        },
    )

    html = BeautifulSoup(response.content, "html.parser")
    subject = html.select_one("[data-preview-subject]").get_text()
    body = html.select_one("[data-preview-body]").get_text()
    assert subject == f"Du är antagen till {intake.program.title} 2025"
    assert "Hej Anna Ek!" in body
    assert "10–11 september 2025, 5–6 november 2025" in body
    assert "SKR, Hornsgatan 20, Stockholm" in body
    assert "{" not in subject + body
    assert not people[0].admissions.exists()
    assert mailoutbox == []
    assert not SentEmail.objects.exists()


def test_nothing_is_sent_unless_the_manager_ticks_the_box(
    manager_client, people, intake, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            admission_url(people[0]),
            {"intake": intake.pk, "status": "antagen", "action": "save"},
        )
    assert response.status_code == 302
    assert people[0].admissions.get().status == "antagen"
    assert mailoutbox == []
    assert not SentEmail.objects.exists()


def test_the_admitted_email_carries_the_intakes_calendar_and_is_logged(
    manager_client,
    manager,
    people,
    intake,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            admission_url(people[0]),
            {
                "intake": intake.pk,
                "status": "antagen",
                "send_email": "on",
                "action": "save",
            },
        )

    [message] = mailoutbox
    assert message.to == ["anna@example.se"]
    assert message.subject == f"Du är antagen till {intake.program.title} 2025"
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith("-2025.ics") and mimetype == "text/calendar"
    events = Calendar.from_ical(content).walk("VEVENT")
    assert [event.decoded("dtstart").date() for event in events] == [
        datetime.date(2025, 9, 10),
        datetime.date(2025, 11, 5),
    ]
    log = SentEmail.objects.get()
    assert (log.submission, log.template, log.state, log.sent_by) == (
        people[0],
        "antagen",
        "sent",
        manager,
    )
    detail = manager_client.get(f"{INBOX}inspect/{people[0].pk}/").content.decode()
    assert "Skickade mejl" in detail
    assert log.subject in detail
    assert "Skickad" in detail
    assert "<td>Antagen (" in detail


def test_the_reserve_email_has_no_calendar(
    manager_client, people, intake, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            admission_url(people[0]),
            {
                "intake": intake.pk,
                "status": "reserv",
                "send_email": "on",
                "action": "save",
            },
        )
    [message] = mailoutbox
    assert "reserv" in message.subject
    assert message.attachments == []


def test_an_unknown_placeholder_is_a_swedish_error(db):
    template = StatusEmailTemplate.objects.get(status="antagen")
    template.body = "Hej {namn}, välkommen till {kurs}!"
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "Okänd platshållare: {kurs}" in error.value.message_dict["body"][0]
    template.body = "Hej {namn"
    with pytest.raises(ValidationError):
        template.full_clean()


def test_default_templates_are_seeded(db):
    assert set(StatusEmailTemplate.objects.values_list("status", flat=True)) >= {
        "antagen",
        "reserv",
        "avböjd",
    }


def test_the_templates_are_edited_in_the_admin_with_the_error_shown(admin_client):
    template = StatusEmailTemplate.objects.get(status="reserv")
    url = f"/admin/snippets/forms/statusemailtemplate/edit/{template.pk}/"
    response = admin_client.post(
        url, {"status": "reserv", "subject": "Reserv {omgång}", "body": "Hej {förnamn}"}
    )
    assert response.status_code == 200
    assert "Okänd platshållare: {förnamn}" in response.content.decode()
    template.refresh_from_db()
    assert template.body != "Hej {förnamn}"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's real concurrency"
)
def test_two_managers_admitting_the_last_place_at_once_do_not_both_succeed(
    committed_seed, django_db_blocker
):
    # Committed for real (not the db fixture's transaction), so that the
    # threads' connections see it; removed again at the end.
    with django_db_blocker.unblock():
        django_user_model = get_user_model()
        from forms.models import InterestFormPage
        from programs.models import ProgramPage

        page = InterestFormPage.objects.get()
        program = ProgramPage.objects.live().order_by("path").first()
        intake = Intake.objects.get(program=program, year=2025)
        before = intake.places
        Intake.objects.filter(pk=intake.pk).update(places=1)
        users = [
            django_user_model.objects.create(username=f"samtidig-pa-{index}")
            for index in range(2)
        ]
        rivals = [
            make_registration(page, f"Samtidig{index} Person", [program])
            for index in range(2)
        ]
        try:
            results = run_at_once(
                lambda index: decide(
                    rivals[index], intake, AdmissionStatus.ACCEPTED, users[index]
                ),
                2,
            )
            admitted = [result for result in results if isinstance(result, Admission)]
            assert len(admitted) == 1, results
            assert sum(isinstance(result, OverCapacity) for result in results) == 1
            assert intake.admissions.filter(status="antagen").count() == 1
        finally:
            for rival in rivals:
                rival.delete()
            for user in users:
                user.delete()
            Intake.objects.filter(pk=intake.pk).update(places=before)


def test_communicators_edit_the_status_emails(editor_client):
    response = editor_client.get("/admin/snippets/forms/statusemailtemplate/")
    assert response.status_code == 200
    assert "Du är antagen till {program} {omgång}" in response.content.decode()


def test_the_apis_say_how_many_places_an_intake_has(client, seed_pages, intake):
    from tests.api.v3 import V3

    programme = intake.program
    v2 = client.get(f"/api/v2/pages/{programme.pk}/").json()
    v3 = client.get(f"{V3}/pages/{programme.pk}/").json()
    for data in (v2, v3):
        places = {item["year"]: item["places"] for item in data["intakes"]}
        assert places[2025] == 2
        assert places[2024] is None
