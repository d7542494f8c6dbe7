"""'Kort om programmet': what a politician needs first, at the top of the page."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest
from bs4 import BeautifulSoup

from programs.models import (
    ContactPerson,
    Intake,
    IntakeStatus,
    PageContactPerson,
    Session,
    Venue,
)
from programs.models.intakes import with_override
from programs.structured_data import course
from programs.templatetags.program_tags import kronor, last_day

pytestmark = pytest.mark.django_db

PROGRAM = "/toppolitikerprogrammen/toppolitikerprogrammet/"
CONTINUATION = "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/"
NBSP = "\u00a0"
SPACES = re.compile(r"[ \t\r\n]+")


def soup_of(client, url=PROGRAM):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def summary(soup):
    """The summary list as {term: answer}, whitespace collapsed (but not the
    no-break spaces, which are part of the answer)."""
    rows = soup.select("section.programme-summary dl > div")
    return {
        row.dt.get_text(strip=True): SPACES.sub(" ", row.dd.get_text(" ")).strip()
        for row in rows
    }


@pytest.fixture
def program(seed_pages):
    return seed_pages[PROGRAM]


def intake_2025(program):
    return Intake.objects.get(program=program, year=2025)


def test_the_seed_page_answers_when_where_how_long_and_how_to_apply(client, program):
    soup = soup_of(client)
    section = soup.select_one("section.programme-summary")
    assert section.h2.get_text(strip=True) == "Kort om programmet"
    rows = summary(soup)
    assert list(rows) == [
        "När",
        "Sista dag för intresseanmälan",
        "Så anmäler du intresse",
        "Var",
        "Längd",
        "Informationsansvarig",
    ]
    assert rows["När"] == "Omgång 2025: datum meddelas senare"
    closes = timezone.localtime(intake_2025(program).interest_closes_at)
    last = closes.date() - datetime.timedelta(days=1)
    assert rows["Sista dag för intresseanmälan"] == last_day(closes)
    assert str(last.year) in rows["Sista dag för intresseanmälan"]
    assert rows["Var"] == "Kursgård i Stockholmsområdet"
    assert rows["Längd"] == "6 månader"
    assert rows["Informationsansvarig"] == "Lena Lindgren, Projektledare"
    # The seed has no e-mail or phone: none is invented.
    assert not section.select("a[href^='mailto:'], a[href^='tel:']")
    button = section.select_one("a.button-link")
    assert button["href"] == "/toppolitikerprogrammen/intresseanmalan/"
    assert button.get_text(strip=True) == "Gör en intresseanmälan för 2025"
    # The summary comes before the lead, and before everything else in main.
    main = soup.find("main")
    assert main.find(["section", "p"]) is section


def test_dates_venue_and_costs_of_the_leading_intake(client, program):
    intake = intake_2025(program)
    venue = Venue.objects.create(
        name="Yasuragi", street_address="Hamndalsvägen 6", town="Saltsjö-Boo"
    )
    days = [datetime.date(2027, 2, 4), datetime.date(2027, 8, 19)]
    for session, day in zip(intake.session_list(), days * 2, strict=True):
        session.date = day
        session.venue = venue
        session.save()
    intake.programme_fee = 24500
    intake.accommodation_cost = 12000
    intake.prices_exclude_vat = True
    intake.dates_announced = "i januari 2026"
    intake.save()

    rows = summary(soup_of(client))
    assert rows["När"] == "Omgång 2025: 4 februari 2027 – 20 augusti 2027, 4 träffar"
    assert rows["Var"] == "Yasuragi, Hamndalsvägen 6, Saltsjö-Boo"
    assert rows["Kostnad"] == (
        f"Programavgift 24{NBSP}500{NBSP}kr exkl. moms "
        f"Kost och logi 12{NBSP}000{NBSP}kr exkl. moms"
    )


def test_without_session_dates_it_says_when_they_are_announced(client, program):
    intake = intake_2025(program)
    intake.dates_announced = "i januari 2026"
    intake.programme_fee = 0
    intake.save()
    rows = summary(soup_of(client))
    assert rows["När"] == "Omgång 2025: datum meddelas i januari 2026"
    # No VAT wording unless the intake says its prices exclude it.
    assert rows["Kostnad"] == f"Programavgift 0{NBSP}kr"


def test_kronor_are_written_the_swedish_way_and_never_broken():
    assert kronor(24500) == f"24{NBSP}500{NBSP}kr"
    assert kronor(1234567) == f"1{NBSP}234{NBSP}567{NBSP}kr"
    assert kronor(950) == f"950{NBSP}kr"
    assert kronor(None) == ""


def test_the_last_day_is_the_day_before_a_midnight_closing():
    stockholm = timezone.get_current_timezone()
    midnight = datetime.datetime(2026, 6, 1, 0, 0, tzinfo=stockholm)
    assert last_day(midnight) == "31 maj 2026"
    noon = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=stockholm)
    assert last_day(noon) == "1 juni 2026 kl. 12.00"


def test_the_information_owner_has_mail_and_phone_links(client, program):
    person = ContactPerson.objects.create(
        name="Anna Berg",
        job_title="Programansvarig",
        email="anna.berg@skr.se",
        phone="08-452 70 00",
    )
    PageContactPerson.objects.create(page=program, person=person)
    soup = soup_of(client)
    section = soup.select_one("section.programme-summary")
    assert summary(soup)["Informationsansvarig"] == (
        "Anna Berg, Programansvarig anna.berg@skr.se Telefon: 08-452 70 00"
    )
    assert section.select_one("a[href='mailto:anna.berg@skr.se']")
    assert section.select_one("a[href='tel:084527000']")
    # Said once: the foot of the page does not repeat the information owner.
    assert not soup.select(".page-footer .information-owners")


def test_closed_interest_shows_no_button_and_says_when_the_next_opens(client, program):
    now = timezone.now()
    for intake in Intake.objects.filter(year=2025):
        intake.interest_closes_at = now - datetime.timedelta(days=1)
        intake.save()
    Intake.objects.create(
        program=program,
        year=2026,
        interest_opens_at=datetime.datetime(2031, 3, 1, tzinfo=datetime.UTC),
        interest_closes_at=datetime.datetime(2031, 6, 1, tzinfo=datetime.UTC),
    )
    soup = soup_of(client)
    rows = summary(soup)
    assert "Sista dag för intresseanmälan" not in rows
    assert rows["Så anmäler du intresse"] == (
        "Intresseanmälan för 2025 är stängd. "
        "Intresseanmälan för 2026 öppnar 1 mars 2031."
    )
    assert not soup.select("section.programme-summary a.button-link")
    assert rows["När"] == "Omgång 2026: datum meddelas senare"


def test_the_goal_is_shown_only_when_it_is_not_the_lead_again(client):
    """The seed's Toppolitikerprogrammet has its goal in its lead's sentence."""
    soup = soup_of(client, PROGRAM)
    assert soup.find(id="goal-heading") is None
    lead = soup.select_one("p.lead").get_text()
    assert "med målet att ge dig stöd" in lead
    text = soup.find("main").get_text(" ")
    assert text.count("ge dig stöd i ditt uppdrag och ledarskap") == 1
    continuation = soup_of(client, CONTINUATION)
    goal = continuation.find(id="goal-heading").find_parent("section")
    assert "Målet är att du ska vara stärkt" in goal.get_text()


def test_distinct_goal_compares_the_words_not_the_wording(program):
    program.lead = "Programmet pågår i 6 månader med målet att stärka dig."
    program.goal = "Målet är att  stärka dig."
    assert program.distinct_goal == ""
    program.goal = "Målet är att du ska leda bättre."
    assert program.distinct_goal == "Målet är att du ska leda bättre."


def test_costs_are_offers_in_the_course_data(program):
    intake = intake_2025(program)
    intake.programme_fee = 24500
    intake.prices_exclude_vat = True
    intake.save()
    program.__dict__.pop("intake_list", None)
    offers = course(program)["offers"]
    assert offers == [
        {
            "@type": "Offer",
            "name": "Programavgift 2025",
            "category": "Paid",
            "price": 24500,
            "priceCurrency": "SEK",
            "priceSpecification": {
                "@type": "PriceSpecification",
                "price": 24500,
                "priceCurrency": "SEK",
                "valueAddedTaxIncluded": False,
            },
        }
    ]


def test_costs_are_in_the_v2_and_v3_apis(client, program):
    intake = intake_2025(program)
    intake.programme_fee = 24500
    intake.accommodation_cost = 9000
    intake.save()
    v2 = client.get(f"/api/v2/pages/{program.pk}/").json()
    v3 = client.get(f"/api/v3/pages/{program.pk}/").json()
    for data in (v2, v3):
        shown = next(i for i in data["intakes"] if i["year"] == 2025)
        assert shown["programme_fee"] == 24500
        assert shown["accommodation_cost"] == 9000
        assert shown["prices_exclude_vat"] is False
        assert shown["dates_announced"] == ""


# The override and the dates: the override holds until the dates pass it.
OVERRIDE_CASES = [
    (IntakeStatus.INTEREST_OPEN, IntakeStatus.PLANNED, IntakeStatus.INTEREST_OPEN),
    (
        IntakeStatus.INTEREST_OPEN,
        IntakeStatus.INTEREST_CLOSED,
        IntakeStatus.INTEREST_CLOSED,
    ),
    (
        IntakeStatus.INTEREST_CLOSED,
        IntakeStatus.INTEREST_OPEN,
        IntakeStatus.INTEREST_CLOSED,
    ),
    (IntakeStatus.INTEREST_CLOSED, IntakeStatus.RUNNING, IntakeStatus.RUNNING),
    (IntakeStatus.RUNNING, IntakeStatus.PLANNED, IntakeStatus.RUNNING),
    (IntakeStatus.RUNNING, IntakeStatus.FINISHED, IntakeStatus.FINISHED),
    (IntakeStatus.FINISHED, IntakeStatus.RUNNING, IntakeStatus.FINISHED),
]


@pytest.mark.parametrize(("override", "derived", "shown"), OVERRIDE_CASES)
def test_an_override_applies_until_the_dates_pass_it(override, derived, shown):
    assert with_override(derived, override) == shown
    assert with_override(derived, "") == derived


def test_an_open_override_expires_when_interest_closes(program):
    now = timezone.now()
    intake = Intake(
        program=program,
        year=2030,
        interest_opens_at=now + datetime.timedelta(days=10),
        interest_closes_at=now + datetime.timedelta(days=20),
        status_override=IntakeStatus.INTEREST_OPEN,
    )
    assert intake.shown_status_at(now) == IntakeStatus.INTEREST_OPEN
    later = now + datetime.timedelta(days=21)
    assert intake.shown_status_at(later) == IntakeStatus.INTEREST_CLOSED
    intake.sessions = [Session(date=(now + datetime.timedelta(days=30)).date())]
    assert intake.shown_status_at(now + datetime.timedelta(days=40)) == (
        IntakeStatus.FINISHED
    )


def intake_admin_data(program, action=None, **fields):
    data = {
        "program": program.pk,
        "year": 2030,
        "interest_opens_at": "2029-03-01 08:00",
        "interest_closes_at": "",
        "programme_fee": "",
        "accommodation_cost": "",
        "dates_announced": "",
        "sessions": inline_formset([]),
        "status_override": "",
        "notice": "",
    }
    data.update(fields)
    if action:
        data[action] = action
    return nested_form_data(data)


def test_an_intake_taking_interest_is_not_published_without_a_closing_date(
    editor_client, program
):
    url = reverse("wagtailsnippets_programs_intake:add")
    response = editor_client.post(url, intake_admin_data(program, "action-publish"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Intresseanmälan stänger" in errors["interest_closes_at"][0]
    assert not Intake.objects.filter(year=2030).exists()

    # An override "open" needs one too, even without an opening time.
    response = editor_client.post(
        url,
        intake_admin_data(
            program,
            "action-publish",
            interest_opens_at="",
            status_override=IntakeStatus.INTEREST_OPEN,
        ),
    )
    assert "interest_closes_at" in response.context["form"].errors

    # A draft may wait for its dates; publishing it later asks again.
    response = editor_client.post(url, intake_admin_data(program))
    assert response.status_code == 302
    draft = Intake.objects.get(year=2030)
    assert not draft.live
    edit = reverse("wagtailsnippets_programs_intake:edit", args=[draft.pk])
    response = editor_client.post(edit, intake_admin_data(program, "action-publish"))
    assert response.status_code == 200
    assert "interest_closes_at" in response.context["form"].errors
    response = editor_client.post(
        edit,
        intake_admin_data(
            program, "action-publish", interest_closes_at="2029-06-01 00:00"
        ),
    )
    assert response.status_code == 302
    assert Intake.objects.get(year=2030).live
