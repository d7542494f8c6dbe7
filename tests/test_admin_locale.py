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
