"""The accessibility statement and the privacy notice: what their rules require,
as seeded pages a communicator edits, with the retention read from the forms."""

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from forms.models import ContactFormPage, InterestFormPage

pytestmark = pytest.mark.django_db

PRIVACY = "/personuppgifter/"
ACCESSIBILITY = "/tillganglighet/"


def main_of(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find("main")


def mail_links(main):
    return {a["href"] for a in main.find_all("a", href=True) if "mailto:" in a["href"]}


def test_privacy_notice_names_the_controller_and_the_data_protection_officer(
    client,
):
    main = main_of(client, PRIVACY)

    text = main.get_text(" ")
    assert "Personuppgiftsansvarig" in text
    assert "Sveriges Kommuner och Regioner (SKR) är personuppgiftsansvarig" in text
    assert "Dataskyddsombud" in text
    assert {"mailto:info@skr.se", "mailto:dataskyddsombud@skr.se"} <= mail_links(main)


def test_privacy_notice_gives_each_forms_own_retention(client, seed_pages):
    ContactFormPage.objects.update(retention_months=6)
    InterestFormPage.objects.update(retention_months=36)

    section = main_of(client, PRIVACY).find(
        "section", attrs={"aria-labelledby": "retention-heading"}
    )

    items = [li.get_text(" ", strip=True) for li in section.find_all("li")]
    assert items == [
        "Intresseanmälan för 2025: 36 månader",
        "Kontakta oss: 6 månader",
    ]


def test_a_form_that_links_elsewhere_is_not_in_this_notice(client, contact_page):
    ContactFormPage.objects.update(privacy_page=None)

    section = main_of(client, PRIVACY).find(
        "section", attrs={"aria-labelledby": "retention-heading"}
    )

    assert "Kontakta oss" not in section.get_text()


def test_a_page_no_form_links_to_shows_no_retention(client):
    assert main_of(client, ACCESSIBILITY).find(id="retention-heading") is None


def test_accessibility_statement_has_what_dos_lagen_and_diggs_model_require(
    client,
):
    main = main_of(client, ACCESSIBILITY)

    text = main.get_text(" ")
    assert "delvis förenlig" in text
    assert "Kända brister" in text
    assert "Senaste bedömningen gjordes den" in text
    assert "Redogörelsen uppdaterades senast den" in text
    complaint = main.find("a", string="kontakta Digg och påtala det")
    assert complaint["href"].startswith("https://www.digg.se/")
    # A way to reach SKR that works without JavaScript or any form.
    assert "mailto:info@skr.se" in mail_links(main)


def test_accessibility_statement_describes_the_route_without_javascript(client):
    text = main_of(client, ACCESSIBILITY).get_text(" ")

    assert "Skicka ändå för manuell granskning" in text


@pytest.mark.parametrize("path", [PRIVACY, ACCESSIBILITY])
def test_communicators_edit_the_statements(editor_client, seed_pages, path):
    page = seed_pages[path]

    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    assert response.status_code == 200
