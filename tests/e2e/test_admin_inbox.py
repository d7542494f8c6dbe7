"""A programme manager works through the inbox in a real browser: filters it,
changes a status, exports; and the lists read at 1280 and 1024 px."""

import re

import pytest

from forms.models import (
    ContactFormPage,
    InterestFormPage,
    InterestSubmission,
    Verification,
)
from programs.models import ProgramPage
from tests.e2e.admin_checks import broken_text, log_in, look_at
from tests.factories import MANAGERS, make_contact, make_member, make_registration
from tests.forms.excel_csv import excel_dicts

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Long, hyphenated names and addresses: what used to break letter by letter.
PEOPLE = [
    (
        "Anna-Karin Lindqvist-Johansson",
        "anna-karin.lindqvist-johansson@sodertalje.se",
        "Södertälje kommun",
    ),
    (
        "Maximiliana Fredriksdotter Östlund",
        "m.fredriksdotter@regionvasterbotten.se",
        "Region Västerbotten",
    ),
    ("Bo Berg", "bo@exempel.se", "Region Västra Götaland"),
]


UNVERIFIED = "Utan Verifiering"


@pytest.fixture
def inbox(django_user_model):
    make_member(django_user_model, "lena", MANAGERS, password="hemligt-123")
    form = InterestFormPage.objects.get()
    programs = list(ProgramPage.objects.order_by("path"))
    for number, (name, email, organisation) in enumerate(PEOPLE):
        make_registration(
            form,
            name,
            programs[: number % 2 + 1],
            email=email,
            organisation=organisation,
            days_ago=number,
        )
        make_contact(ContactFormPage.objects.get(), name, days_ago=number)
    make_registration(
        form, UNVERIFIED, programs[:1], verification=Verification.UNVERIFIED
    )
    return form


@pytest.mark.parametrize("width", [1280, 1024])
def test_both_inboxes_read_whole_at_laptop_widths(site, page, inbox, width):
    log_in(page, site, "lena")
    page.set_viewport_size({"width": width, "height": 800})
    for path in ("intresseanmalningar", "kontaktforfragningar"):
        page.goto(f"{site}/admin/{path}/")
        page.screenshot(
            path=f"tests/e2e/screenshots/inbox-{path}-{width}.png", full_page=True
        )
        assert broken_text(page) == [], f"{path} at {width} px"


def test_manager_filters_changes_a_status_and_exports(site, page, inbox):
    log_in(page, site, "lena")
    page.goto(f"{site}/admin/intresseanmalningar/")
    look_at(page, "inbox")

    # Filter: status "Ny", then the saved filter for what is new since last time.
    page.locator("summary", has_text="Status").click()
    page.get_by_role("link", name="Ny", exact=True).click()
    page.wait_for_url(re.compile(r"status__exact=ny"))
    # The unverified one waits apart, outside the inbox's list.
    new = (
        InterestSubmission.objects.filter(status="ny")
        .exclude(verification=Verification.UNVERIFIED)
        .count()
    )
    assert page.locator(".inbox-table tbody tr").count() == new
    look_at(page, "inbox-filtered")

    # Change the status of one registration, selected in the list.
    bo = InterestSubmission.objects.get(name="Bo Berg")
    page.get_by_label(re.compile("^Markera Bo Berg")).check()
    page.get_by_label("Ny status").select_option(label="Kontaktad")
    page.get_by_role("button", name="Ändra status").click()
    page.wait_for_selector("text=har nu status ”Kontaktad”")
    bo.refresh_from_db()
    assert bo.status == "kontaktad"
    # Back on the same filtered list, Bo is no longer "Ny".
    assert page.locator(".inbox-table tbody tr").count() == new - 1
    look_at(page, "inbox-status-changed")

    # Export two selected rows.
    names = ["Anna-Karin Lindqvist-Johansson", "Maximiliana Fredriksdotter Östlund"]
    for name in names:
        page.get_by_label(re.compile(f"^Markera {name}")).check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Exportera markerade (CSV)").click()
    assert download.value.suggested_filename.endswith("-2-rader.csv")  # whole
    with open(download.value.path(), "rb") as file:
        rows = excel_dicts(file.read())
    assert sorted(row["Namn"] for row in rows) == names

    # A registration sent without verification waits apart; the manager reads
    # it and accepts it into the inbox.
    page.goto(f"{site}/admin/intresseanmalningar/?verifiering=ej-verifierad")
    look_at(page, "inbox-unverified")
    page.get_by_role("link", name=UNVERIFIED).click()
    page.wait_for_url(re.compile(r"/inspect/\d+/"))
    look_at(page, "inbox-unverified-detail")
    page.get_by_role("button", name="Godkänn till inkorgen").click()
    page.wait_for_load_state()
    accepted = InterestSubmission.objects.get(name=UNVERIFIED)
    assert accepted.verification == Verification.ACCEPTED
    page.goto(f"{site}/admin/intresseanmalningar/")
    assert page.get_by_role("link", name=UNVERIFIED).count() == 1

    # The name opens the detail view; delete is at its foot, and asks first.
    page.get_by_role("link", name=names[0]).click()
    page.wait_for_url(re.compile(r"/inspect/\d+/"))
    look_at(page, "inbox-detail")
    page.get_by_role("link", name="Radera").click()
    page.wait_for_url(re.compile(r"/delete/\d+/"))
    look_at(page, "inbox-delete-confirmation")
    assert InterestSubmission.objects.filter(name=names[0]).exists()
