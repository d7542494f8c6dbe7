"""A communicator sets up a year's intake with its four sessions in the real admin."""

import re

import pytest

from programs.models import Intake, ProgramPage, Venue

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROGRAM_URL = "/toppolitikerprogrammen/toppolitikerprogrammet/"
MORE_ACTIONS = "Fler åtgärder"
DATES = ["2030-02-10", "2030-04-07", "2030-06-09", "2030-09-15"]
SEARCH_IN_MODAL = ".modal input[type=search]:visible, .modal #id_q"
# Long enough for a chooser on a loaded machine, short enough to try again.
MODAL_WAIT_MS = 10_000


def test_communicator_creates_an_intake_with_four_sessions(
    site, page, django_user_model
):
    django_user_model.objects.create_superuser(
        "redaktor", "r@exempel.se", "hemligt-123"
    )
    Venue.objects.create(
        name="Kursgården Ekudden", street_address="Ekuddsvägen 1", town="Sigtuna"
    )
    program = ProgramPage.objects.get(slug="toppolitikerprogrammet")

    page.goto(f"{site}/admin/login/")
    page.get_by_label("Användarnamn").fill("redaktor")
    page.locator("#id_password").fill("hemligt-123")
    page.get_by_role("button", name="Logga in").click()

    # The programme's edit view lists its intakes and offers a new one.
    page.goto(f"{site}/admin/pages/{program.pk}/edit/")
    page.get_by_role("link", name="Lägg till antagning").click()
    page.wait_for_url(re.compile(r"/admin/snippets/programs/intake/add/"))
    page.locator("#id_year").fill("2030")
    page.locator("#id_interest_opens_at").fill("2029-03-01 08:00")
    # Publishing an intake that takes interest needs its closing.
    page.locator("#id_interest_closes_at").fill("2029-06-01 00:00")

    for number, date in enumerate(DATES):
        page.locator("#id_sessions-ADD").click()
        page.locator(f"#id_sessions-{number}-date").fill(date)
        choose_venue(page, f"id_sessions-{number}-venue", "Kursgården Ekudden")
    # Intakes have drafts: publish, the editor's main button, so that readers
    # see the new intake.
    page.get_by_role("button", name="Publicera", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/snippets/programs/intake/$"))

    intake = Intake.objects.get(program=program, year=2030)
    sessions = intake.session_list()
    assert [s.date.isoformat() for s in sessions] == DATES
    assert {s.venue.name for s in sessions} == {"Kursgården Ekudden"}

    page.goto(f"{site}/admin/pages/{program.pk}/edit/")
    assert page.get_by_role("link", name="Redigera antagning 2030").is_visible()


def choose_venue(page, field_id, name, attempts=3):
    """Pick a venue in the chooser, clicking again if the first click was lost.

    Wagtail 8 autosaves the new intake once its form is valid (here, when a date
    is typed) and then turns the create view into the edit view in place. A
    click on "Välj kursgård" during that swap opens no modal; an editor who
    sees nothing happen clicks again, and so does this.
    """
    # Only the e2e target installs Playwright; the plain suite collects this file.
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    for _ in range(attempts):
        page.locator(f"#{field_id}-chooser button:visible").first.click()
        search = page.locator(SEARCH_IN_MODAL).first
        try:
            search.wait_for(state="visible", timeout=MODAL_WAIT_MS)
            # The chooser lists venues a page at a time: search, as an editor
            # would among many.
            search.fill(name.split()[-1], timeout=MODAL_WAIT_MS)
            page.get_by_role("link", name=name).click(timeout=MODAL_WAIT_MS)
            page.wait_for_selector(".modal", state="hidden", timeout=MODAL_WAIT_MS)
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            continue
        if page.locator(f"#{field_id}").input_value():
            return
    raise AssertionError(f"the venue chooser for {field_id} never took {name!r}")
