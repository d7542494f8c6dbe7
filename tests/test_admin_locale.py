"""The admin speaks Swedish where Wagtail's own catalogue falls back to English."""

import gettext
from pathlib import Path

from django.conf import settings
from django.utils import translation

import polib
import pytest

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES"


def test_the_compiled_catalogue_matches_its_source():
    """Edit django.po, then `manage.py compilemessages -l sv`: the .mo is committed."""
    source = polib.pofile(str(CATALOGUE / "django.po"))
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = [entry for entry in source if entry.msgid and not entry.obsolete]
    assert entries
    assert {entry.msgid: compiled.gettext(entry.msgid) for entry in entries} == {
        entry.msgid: entry.msgstr for entry in entries
    }


@pytest.mark.parametrize(
    ("english", "swedish"),
    [
        ("Exploring", "Undersidor"),
        ("Drop down", "Rullgardinsmeny"),
        ("Instances", "Antal"),
        (
            "'%(page_title)s' has been moved successfully.",
            "”%(page_title)s” har flyttats.",
        ),
        ("Item %(index)s of %(total)s", "objekt %(index)s av %(total)s"),
        ("%(model_name)s submissions", "Inskickade svar: %(model_name)s"),
    ],
)
def test_the_projects_catalogue_wins_over_wagtails(english, swedish):
    with translation.override("sv"):
        assert translation.gettext(english) == swedish


@pytest.fixture
def superuser_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "a@skr.se", "x")
    client.force_login(admin)
    return client


def test_the_page_explorer_reads_in_swedish(superuser_client, seed_pages):
    index = seed_pages["/toppolitikerprogrammen/"]
    content = superuser_client.get(
        f"/admin/pages/{index.pk}/", {"ordering": "ord"}
    ).content.decode()
    children = index.get_children().count()
    assert f"Undersidor: {index.title}" in content
    assert f"1–{children} av {children} sidor" in content
    assert f"objekt 1 av {children}" in content
    # The message shown after a page is dragged to a new place.
    assert "har flyttats." in content
    for english in ("Exploring", f" of {children}", "Object 1"):
        assert english not in content


def test_the_snippets_overview_counts_in_swedish(superuser_client):
    content = superuser_client.get("/admin/snippets/").content.decode()
    assert "Antal" in content
    assert "Instans" not in content


def test_the_form_field_types_read_in_swedish(superuser_client, seed_pages):
    form = seed_pages["/kontakt/"]
    content = superuser_client.get(f"/admin/pages/{form.pk}/edit/").content.decode()
    assert "Rullgardinsmeny" in content
    assert ">Dropdown<" not in content


@pytest.mark.parametrize(
    ("english", "swedish"),
    [
        (
            "%(model_name)s '%(object)s' updated and published.",
            "%(model_name)s ”%(object)s” har sparats och publicerats.",
        ),
        ("Side panel width", "Sidopanelens bredd"),
        ("Disable custom ordering", "Stäng av egen ordning"),
        ("Edit account avatar", "Ändra kontots profilbild"),
        ("Actions", "Handlingar"),
        ("Inspecting %(object)s", "Visa %(object)s"),
    ],
)
def test_wagtails_missing_strings_read_in_swedish(english, swedish):
    with translation.override("sv"):
        assert translation.gettext(english) == swedish


def intake_edit_url(seed_pages):
    from programs.models import Intake

    intake = Intake.objects.filter(program__live=True).first()
    return intake, f"/admin/snippets/programs/intake/edit/{intake.pk}/"


def test_the_intake_editor_reads_in_swedish(superuser_client, seed_pages):
    _, url = intake_edit_url(seed_pages)
    content = superuser_client.get(url).content.decode()
    assert "Sidopanelens bredd" in content
    assert 'aria-label="Handlingar"' in content
    for english in ("Side panel width", 'aria-label="Actions"'):
        assert english not in content


def test_the_admin_home_reads_in_swedish(superuser_client):
    content = superuser_client.get("/admin/").content.decode()
    assert "Ändra kontots profilbild" in content
    assert "Edit account avatar" not in content


def test_publish_is_the_intake_editors_main_button(superuser_client, seed_pages):
    _, url = intake_edit_url(seed_pages)
    content = superuser_client.get(url).content.decode()
    # The menu's default button comes before the dropdown's toggle and the
    # items the toggle reveals.
    menu = content[content.index('class="w-dropdown-button') :]
    assert menu.index('name="action-publish"') < menu.index("data-w-dropdown-target")
    assert menu.index('name="action-publish"') < menu.index("Spara utkast")


def test_the_reorder_help_reads_in_swedish(superuser_client, seed_pages):
    index = seed_pages["/toppolitikerprogrammen/"]
    content = superuser_client.get(
        f"/admin/pages/{index.pk}/", {"ordering": "ord"}
    ).content.decode()
    assert "Flytta fokus till dra-knappen" in content
    assert "Stäng av egen ordning" in content
    assert "Focus on the drag button" not in content
    assert "Disable custom ordering" not in content


def test_a_submissions_detail_has_a_swedish_title(client, manager_client, seed_pages):
    from tests.factories import make_registration

    page = seed_pages["/toppolitikerprogrammen/intresseanmalan/"]
    submission = make_registration(page, "Anna Andersson")
    content = manager_client.get(
        f"/admin/intresseanmalningar/inspect/{submission.pk}/"
    ).content.decode()
    assert "Inspekterar" not in content
    assert "<title>Visa intresseanmälan" in content
