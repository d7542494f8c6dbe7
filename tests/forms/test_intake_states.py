"""One intake state for every reader: the programme pages and the admin home agree.

``forms.interest.public_status`` says what an intake is shown as, and
``programme_intakes`` which intake leads a programme page; the page and the
admin home's "Programåret" panel both use them. After "Ny antagning" and
publishing next year, the page leads with the new year and keeps last year,
collapsed, below it.
"""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import querydict_from_html

import pytest
from bs4 import BeautifulSoup

from forms.interest import programme_intakes, public_status
from forms.models import InterestFormPage
from programs.models import Intake, IntakeStatus, ProgramIndexPage, ProgramPage

pytestmark = pytest.mark.django_db

PROGRAM = "/toppolitikerprogrammen/toppolitikerprogrammet/"
CONTINUATION = "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/"
PROGRAMS = {
    "Toppolitikerprogrammet": PROGRAM,
    "Toppolitikerprogrammet – Fortsättning": CONTINUATION,
}
LINE = re.compile(r"^(\d{4}): (.+?)(?: – .*| \(start .*)?$")


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text_of(element):
    return " ".join(element.get_text(" ").split())


def page_statuses(client, url):
    """Year → status as the programme page shows it, and the leading year."""
    soup = soup_of(client, url)
    leading = int(text_of(soup.select_one("section.intake-sessions > h2")).split()[-1])
    statuses = {leading: text_of(soup.select_one(".intake-sessions__status strong"))}
    for item in soup.select("main .intake-list li"):
        year, status = LINE.match(text_of(item)).groups()
        statuses[int(year)] = status
    return leading, statuses


def panel_cells(client):
    """Programme → (now, next) cells of the admin home's "Programåret" panel."""
    soup = soup_of(client, reverse("wagtailadmin_home"))
    panel = soup.find("section", attrs={"aria-labelledby": "programme-year-heading"})
    rows = {}
    for row in panel.select("tbody tr"):
        cells = [text_of(cell).replace(" :", ":") for cell in row.select("td")]
        rows[text_of(row.th)] = (cells[0], cells[1])
    return rows


def assert_admin_home_agrees_with_the_pages(client, editor_client):
    cells = panel_cells(editor_client)
    assert set(cells) == set(PROGRAMS)
    for title, url in PROGRAMS.items():
        leading, statuses = page_statuses(client, url)
        now, following = cells[title]
        assert now == f"{leading}: {statuses[leading]}", title
        match = re.match(r"^(\d{4}): (.+)$", following)
        if match and match[2] != "utkast":
            assert statuses[int(match[1])] == match[2], title


def publish_next_year(editor_client, opens_days_ago=1, closes_in_days=60):
    """ "Ny antagning" in the admin, then the new intakes and the form published."""
    index = ProgramIndexPage.objects.get()
    response = editor_client.post(reverse("programs_rollover", args=[index.pk]))
    assert response.status_code == 200
    now = timezone.now()
    for intake in Intake.objects.filter(year=2026):
        draft = intake.get_latest_revision_as_object()
        draft.interest_opens_at = now - datetime.timedelta(days=opens_days_ago)
        draft.interest_closes_at = now + datetime.timedelta(days=closes_in_days)
        draft.save_revision().publish()
    InterestFormPage.objects.get().get_latest_revision().publish()
    assert InterestFormPage.objects.get().intake_year == 2026


def test_after_rollover_the_new_year_leads_and_last_year_is_collapsed_below(
    client, editor_client, seed_pages
):
    publish_next_year(editor_client)
    soup = soup_of(client, PROGRAM)
    main = soup.find("main")
    text = text_of(main)
    opened = text.index("Intresseanmälan för 2026 är öppen.")
    assert "Gör en intresseanmälan för 2026" in text
    assert text_of(main.select_one("section.intake-sessions > h2")) == "Träffar 2026"
    # 2025 is said only inside the collapsed earlier intakes, after the new year.
    earlier = main.select_one("details.earlier-intakes")
    assert earlier is not None and not earlier.has_attr("open")
    assert text_of(earlier.summary) == "Tidigare omgångar"
    lines = [text_of(item) for item in earlier.select("li")]
    assert lines[0].startswith("2025: Intresseanmälan stängd")
    assert lines[1].startswith("2024: ")
    closed = text.index("2025: Intresseanmälan stängd")
    assert opened < closed
    outside = main.__copy__()
    outside.select_one("details.earlier-intakes").decompose()
    assert "2025" not in text_of(outside)
    assert_admin_home_agrees_with_the_pages(client, editor_client)


def test_next_year_published_but_not_open_leads_with_when_it_opens(
    client, editor_client, seed_pages
):
    now = timezone.now()
    for intake in Intake.objects.filter(year=2025):
        intake.interest_closes_at = now - datetime.timedelta(days=1)
        intake.save()
    for program in ProgramPage.objects.all():
        Intake.objects.create(
            program=program,
            year=2026,
            interest_opens_at=now + datetime.timedelta(days=30),
            interest_closes_at=now + datetime.timedelta(days=90),
        )
    leading, statuses = page_statuses(client, PROGRAM)
    assert leading == 2026
    assert statuses == {
        2026: "Planerad",
        2025: "Intresseanmälan stängd",
        2024: "Pågår",
    }
    assert_admin_home_agrees_with_the_pages(client, editor_client)


@pytest.mark.parametrize("scenario", ["seed", "full", "next_year_dates_open"])
def test_the_admin_home_and_the_pages_agree(
    client, editor_client, seed_pages, scenario
):
    now = timezone.now()
    if scenario == "full":
        full = Intake.objects.get(
            year=2025, program__url_path__endswith="/toppolitikerprogrammet/"
        )
        full.status_override = IntakeStatus.INTEREST_CLOSED
        full.notice = "Fullbokat"
        full.save()
    if scenario == "next_year_dates_open":
        # Published with its window open, while the form still collects for
        # 2025: 2026 is planned until the form moves on, on both.
        for program in ProgramPage.objects.all():
            Intake.objects.create(
                program=program,
                year=2026,
                interest_opens_at=now - datetime.timedelta(days=1),
                interest_closes_at=now + datetime.timedelta(days=60),
            )
    assert_admin_home_agrees_with_the_pages(client, editor_client)
    if scenario == "next_year_dates_open":
        assert page_statuses(client, PROGRAM)[1][2026] == "Planerad"


def intake(year, **fields):
    return Intake(program_id=1, pk=year, year=year, **fields)


class Form:
    def __init__(self, year):
        self.intake_year = year


def test_public_status_needs_a_form_for_the_year_to_be_open():
    now = timezone.now()
    open_dates = {
        "interest_opens_at": now - datetime.timedelta(days=1),
        "interest_closes_at": now + datetime.timedelta(days=1),
    }
    assert public_status(intake(2025, **open_dates), Form(2025), now) == (
        IntakeStatus.INTEREST_OPEN
    )
    # The form has moved on: last year's open dates read as closed.
    assert public_status(intake(2025, **open_dates), Form(2026), now) == (
        IntakeStatus.INTEREST_CLOSED
    )
    # The form has not moved on yet: next year's read as planned.
    assert public_status(intake(2026, **open_dates), Form(2025), now) == (
        IntakeStatus.PLANNED
    )
    assert public_status(intake(2025, **open_dates), None, now) == (
        IntakeStatus.INTEREST_CLOSED
    )


def test_the_open_intake_leads_then_the_next_to_open():
    now = timezone.now()
    day = datetime.timedelta(days=1)
    past = intake(2024, status_override=IntakeStatus.RUNNING)
    closed = intake(2025, interest_opens_at=now - 9 * day, interest_closes_at=now - day)
    opening = intake(
        2026, interest_opens_at=now + day, interest_closes_at=now + 9 * day
    )
    shown = programme_intakes([opening, past, closed], Form(2026), now)
    assert shown.leading is opening
    assert shown.earlier == [past, closed]
    assert shown.later == []
    taking = intake(2026, interest_opens_at=now - day, interest_closes_at=now + day)
    later = intake(
        2027, interest_opens_at=now + 9 * day, interest_closes_at=now + day * 20
    )
    shown = programme_intakes([past, closed, taking, later], Form(2026), now)
    assert (shown.leading, shown.later) == (taking, [later])
    assert shown.status_of(taking) == IntakeStatus.INTEREST_OPEN
    assert programme_intakes([], Form(2026), now).leading is None


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_the_interest_form_is_not_published_while_an_intake_has_no_closing(
    editor_client, interest_page
):
    Intake.objects.filter(
        year=2025, program__url_path__endswith="/toppolitikerprogrammet-fortsattning/"
    ).update(interest_closes_at=None)
    url = edit_url(interest_page)
    data = querydict_from_html(
        editor_client.get(url).content.decode(), form_id="page-edit-form"
    )
    data["action-publish"] = "action-publish"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    error = response.context["form"].errors["intake_year"][0]
    assert "”Intresseanmälan stänger” saknas" in error
    assert "Toppolitikerprogrammet – Fortsättning 2025" in error

    del data["action-publish"]
    response = editor_client.post(url, data)
    assert response.status_code == 302, "a draft may be saved"
