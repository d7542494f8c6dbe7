"""A programme manager admits a cohort to the intake's places in a real browser:
a waiting list past them, the admitted e-mail previewed and sent (received by a
real SMTP server, with the intake's calendar), and a message to all admitted."""

import datetime
import email
import re
from email import policy
from pathlib import Path

import pytest
from icalendar import Calendar

from forms.models import InterestFormPage, SentEmail
from programs.models import Intake, ProgramPage, Session, Venue
from tests.e2e.admin_checks import broken_text, log_in, look_at
from tests.factories import MANAGERS, make_member, make_registration
from tests.live.conftest import SmtpSink

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path("/tmp/shots/i18a")
PEOPLE = ["Anna Ek", "Bo Lind", "Cecilia Ås"]


@pytest.fixture
def smtp(settings):
    pytest.importorskip("aiosmtpd")
    sink = SmtpSink()
    sink.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    yield sink
    sink.controller.stop()


@pytest.fixture
def cohort(django_user_model):
    make_member(django_user_model, "lena", MANAGERS, password="hemligt-123")
    program = ProgramPage.objects.live().order_by("path").first()
    intake = Intake.objects.get(program=program, year=2025)
    intake.places = 2
    intake.save()
    venue = Venue.objects.create(name="SKR", street_address="Hornsgatan 20")
    intake.sessions.all().delete()
    for number, day in enumerate(
        [datetime.date(2025, 9, 10), datetime.date(2025, 11, 5)]
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
    form = InterestFormPage.objects.get()
    for name in PEOPLE:
        make_registration(form, name, [program])
    return intake


def decide(page, site, name, status, *, send=False, expect_error=None):
    page.goto(f"{site}/admin/intresseanmalningar/?intake_year=2025")
    page.get_by_role("link", name=name).click()
    page.wait_for_url(re.compile(r"/inspect/\d+/"))
    page.get_by_role("link", name=re.compile("^Besluta om")).click()
    page.get_by_label("Beslut").select_option(label=status)
    if send:
        page.get_by_label("Skicka e-post").check()
    page.get_by_role("button", name="Spara beslut").click()
    page.wait_for_load_state()
    if expect_error:
        page.wait_for_selector(f"text={expect_error}")


def parsed(raw):
    return email.message_from_string(raw, policy=policy.default)


def test_manager_admits_a_cohort_to_capacity_and_mails_it(site, page, cohort, smtp):
    intake = cohort
    log_in(page, site, "lena")
    page.goto(f"{site}/admin/intresseanmalningar/?intake_year=2025")
    summary = page.locator(f'[data-capacity-intake="{intake.pk}"]')
    assert "Antagna 0 av 2 platser" in summary.inner_text()

    # The first: previewed, then admitted with the e-mail.
    page.get_by_role("link", name=PEOPLE[0]).click()
    page.get_by_role("link", name=re.compile("^Besluta om")).click()
    page.get_by_label("Beslut").select_option(label="Antagen")
    assert not page.get_by_label("Skicka e-post").is_checked()
    page.get_by_label("Skicka e-post").check()
    page.get_by_role("button", name="Förhandsgranska e-post").click()
    preview = page.locator("[data-preview-body]")
    assert preview.inner_text().startswith("Hej Anna Ek!")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=SHOTS / "admission-preview-1280.png", full_page=True)
    look_at(page, "admission-preview")
    assert smtp.messages == []
    page.get_by_role("button", name="Spara beslut").click()
    page.wait_for_selector("text=Mejlet skickas")

    # The second without an e-mail; the third is refused, then a reserve.
    decide(page, site, PEOPLE[1], "Antagen")
    decide(
        page,
        site,
        PEOPLE[2],
        "Antagen",
        expect_error="har redan 2 antagna av 2 platser",
    )
    page.screenshot(path=SHOTS / "admission-refused-1280.png", full_page=True)
    page.get_by_label("Beslut").select_option(label="Reserv")
    page.get_by_role("button", name="Spara beslut").click()
    page.wait_for_selector("text=”Reserv”")

    page.goto(f"{site}/admin/intresseanmalningar/?intake_year=2025")
    text = " ".join(summary.inner_text().split())
    assert "Antagna 2 av 2 platser (fullt)" in text
    assert "Reserver 1" in text
    page.screenshot(path=SHOTS / "inbox-capacity-1280.png", full_page=True)
    assert broken_text(page) == []
    look_at(page, "inbox-capacity")

    # The admitted e-mail, as the SMTP server received it, with its calendar.
    [received] = smtp.messages
    message = parsed(received)
    assert message["To"] == "anna@example.se"
    assert "Du är antagen till" in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_content())
    dated = [session for session in intake.session_list() if session.date]
    assert len(dated) == 2
    assert [event.decoded("dtstart").date() for event in calendar.walk("VEVENT")] == [
        datetime.date(2025, 9, 10),
        datetime.date(2025, 11, 5),
    ]

    # One message to everyone admitted.
    page.get_by_role("link", name=re.compile("^Mejla alla antagna")).click()
    page.get_by_label("Ämne").fill("Inför {program} {omgång}")
    page.get_by_label("Meddelande").fill("Hej {namn}!\nVälkommen den {datum}.")
    page.get_by_role("button", name="Förhandsgranska").click()
    assert page.locator("[data-preview-body]").inner_text().startswith("Hej Anna Ek!")
    page.screenshot(path=SHOTS / "mail-admitted-preview-1280.png", full_page=True)
    page.get_by_role("button", name="Skicka till alla mottagare").click()
    page.wait_for_selector("text=Meddelandet skickas till 2 personer")
    bulk = [parsed(raw) for raw in smtp.messages[1:]]
    assert sorted(m["To"] for m in bulk) == ["anna@example.se", "bo@example.se"]
    assert SentEmail.objects.filter(state="sent").count() == 3

    # The log, in the registration's detail view.
    page.get_by_role("link", name=PEOPLE[0]).click()
    page.wait_for_selector("#sent-emails-heading")
    log = page.locator("tr[data-sent-email]")
    assert log.count() == 2
    log.first.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "registration-email-log-1280.png", full_page=True)


def test_a_politician_asks_to_be_told_when_interest_opens(site, page, mailoutbox):
    """On the closed form: the address, the forms' verification, and the
    confirmation e-mail; the page passes axe at phone and laptop widths."""
    from forms.models import OpeningSubscription
    from tests.conftest import INTEREST_PATH
    from tests.e2e.accessibility import axe_violations
    from tests.factories import set_interest_window

    set_interest_window(InterestFormPage.objects.get().intake_year, -30, -1)
    page.goto(f"{site}{INTEREST_PATH}")
    assert page.locator("h1").count() == 1
    page.get_by_label("Din e-postadress").fill("eva@example.se")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
    page.screenshot(path=SHOTS / "notify-closed-form-1280.png", full_page=True)
    page.get_by_label("Jag är inte en robot").focus()
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => document.querySelector('input[name=altcha]')?.value", timeout=60_000
    )
    page.get_by_role("button", name="Meddela mig").click()
    page.wait_for_selector("text=Bekräfta din adress")
    assert OpeningSubscription.objects.get().email == "eva@example.se"
    [confirmation] = mailoutbox
    assert "/anmalan-oppnar/bekrafta/" in confirmation.body
