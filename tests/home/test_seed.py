"""load_seed_content builds the seed tree once and never overwrites an editor's work."""

import datetime
import io
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Page, Revision

import pytest

from home.seed import load
from programs.models import ContactPerson, Intake, ProgramFormat, ProgramPage, ThemePage


def run_seed():
    out = io.StringIO()
    call_command("load_seed_content", stdout=out)
    return out.getvalue()


def tree_snapshot():
    return list(
        Page.objects.order_by("path").values_list("path", "slug", "title", "live")
    )


def test_seed_builds_the_tree_of_design_md(seed_pages):
    paths = set(seed_pages)
    assert "/toppolitikerprogrammen/" in paths
    for program in ("toppolitikerprogrammet", "toppolitikerprogrammet-fortsattning"):
        for theme in (
            "styrning-och-ledning",
            "samspel-och-kommunikation",
            "det-politiska-ledarskapet",
            "demokrati-och-omvarlden",
        ):
            assert f"/toppolitikerprogrammen/{program}/{theme}/" in paths
    assert seed_pages["/"].title


def test_programmes_carry_their_seed_duration_and_intakes(db):
    programs = {page.slug: page for page in ProgramPage.objects.all()}
    assert programs["toppolitikerprogrammet"].duration_months == 6
    assert (
        programs["toppolitikerprogrammet-fortsattning"].duration_text
        == "drygt 7 månader"
    )
    assert programs["toppolitikerprogrammet-fortsattning"].title == (
        "Toppolitikerprogrammet – Fortsättning"
    )
    for program in programs.values():
        statuses = {intake.year: intake.status for intake in program.intakes.all()}
        assert statuses == {
            2024: Intake.Status.RUNNING,
            2025: Intake.Status.INTEREST_OPEN,
        }


def test_each_theme_holds_its_own_programmes_description(db):
    seed = load()
    for seed_program in seed.programs:
        program = ProgramPage.objects.get(title=seed_program.title)
        stored = [theme.description for theme in program.themes]
        expected = [theme.description for theme in seed_program.themes]
        assert len(stored) == len(expected) == 4
        for html, text in zip(stored, expected, strict=True):
            assert text in html


def test_practical_facts_are_stored_once_and_shared(db):
    assert ProgramFormat.objects.count() == 1
    facts = ProgramFormat.objects.get()
    assert (facts.sessions, facts.start_time.hour, facts.end_time.hour) == (4, 10, 13)
    assert set(ProgramPage.objects.values_list("program_format", flat=True)) == {
        facts.pk
    }


def test_contact_person_has_no_invented_e_mail_or_phone(db):
    lena = ContactPerson.objects.get(name="Lena Lindgren")
    assert (lena.job_title, lena.email, lena.phone) == ("Projektledare", "", "")


def test_index_page_keeps_its_first_publish_date(seed_pages):
    published = seed_pages["/toppolitikerprogrammen/"].first_published_at
    assert published.date().isoformat() == "2024-05-29"


def test_running_the_seed_twice_changes_nothing(db):
    before = tree_snapshot()
    revisions = Revision.objects.count()
    output = run_seed()
    assert tree_snapshot() == before
    assert Revision.objects.count() == revisions
    assert ContactPerson.objects.count() == 1
    assert "0 skapade" in output


def test_seed_does_not_overwrite_a_page_an_editor_changed(db):
    theme = ThemePage.objects.get(
        slug="styrning-och-ledning", url_path__contains="fortsattning"
    )
    theme.description = "<p>Redaktörens egen text.</p>"
    theme.save_revision().publish()

    output = run_seed()

    theme.refresh_from_db()
    assert theme.description == "<p>Redaktörens egen text.</p>"
    assert "hoppade över" in output and "Styrning och ledning" in output


def test_seed_does_not_overwrite_an_unpublished_draft(db):
    program = ProgramPage.objects.get(slug="toppolitikerprogrammet")
    program.lead = "Utkast från redaktören."
    program.save_revision()

    output = run_seed()

    program = ProgramPage.objects.get(pk=program.pk)
    assert program.get_latest_revision_as_object().lead == "Utkast från redaktören."
    assert "hoppade över" in output


def test_seeded_index_page_shows_no_update_after_its_publish_date(seed_pages):
    index = seed_pages["/toppolitikerprogrammen/"]
    assert index.last_published_at == index.first_published_at


def test_the_site_answers_at_the_configured_public_address(seed_pages):
    """WAGTAILADMIN_BASE_URL is http://testserver in tests: absolute URLs use it."""
    site = seed_pages["/"].get_site()
    assert (site.hostname, site.port) == ("testserver", 80)
    assert seed_pages["/kontakt/"].full_url == "http://testserver/kontakt/"


def test_contact_page_carries_the_seed_form_name(client, seed_pages):
    response = client.get("/kontakt/")
    assert "Kontaktformulär SKR" in response.content.decode()


def test_every_seeded_page_has_an_information_owner(seed_pages):
    for path, page in seed_pages.items():
        names = [person.name for person in page.information_owners]
        assert names == ["Lena Lindgren"], path


@pytest.mark.parametrize(
    "when",
    [
        datetime.datetime(2024, 5, 29, 12, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC),
        datetime.datetime(2040, 1, 1, tzinfo=datetime.UTC),
    ],
)
def test_seed_intakes_read_as_the_seed_page_on_any_date(db, when):
    """2024 has started and is closed; 2025 takes interest, no dates, and closes
    well after whatever day the seed is loaded (as `make run` does)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        run_seed()
    for program in ProgramPage.objects.all():
        intakes = {intake.year: intake for intake in program.intakes.all()}
        assert set(intakes) == {2024, 2025}
        started = intakes[2024]
        assert started.status_override == Intake.Status.RUNNING
        upcoming = intakes[2025]
        assert upcoming.status_override == ""
        assert upcoming.status_at(when) == Intake.Status.INTEREST_OPEN
        assert upcoming.interest_closes_at > when + datetime.timedelta(days=30)
        assert upcoming.publishing_errors() == {}
        sessions = upcoming.session_list()
        assert len(sessions) == 4
        assert all(session.date is None for session in sessions)
        assert {session.venue.name for session in sessions} == {
            "Kursgård i Stockholmsområdet"
        }
        assert all(session.venue.street_address == "" for session in sessions)
        assert all(
            (s.start_time, s.end_time, s.end_time_is_approximate, s.evening_activity)
            == (datetime.time(10, 0), datetime.time(13, 0), True, True)
            for s in sessions
        )


SEED_PAGE_TYPES = (ProgramPage, ThemePage)


def test_seeded_programme_and_theme_pages_keep_the_seed_publish_date(
    client, seed_pages
):
    """The seed page was published on 29 May 2024, not on the day it was loaded."""
    from django.utils import timezone

    seeded = [page for page in seed_pages.values() if isinstance(page, SEED_PAGE_TYPES)]
    assert len(seeded) == 10
    for page in seeded:
        assert timezone.localdate(page.first_published_at) == datetime.date(2024, 5, 29)
        assert page.last_published_at == page.first_published_at
    html = client.get("/toppolitikerprogrammen/toppolitikerprogrammet/").content
    assert 'datetime="2024-05-29"' in html.decode()


def test_the_seed_closes_interest_a_year_after_it_is_first_loaded(db):
    today = timezone.localdate()
    for intake in Intake.objects.filter(year=2025):
        closes = timezone.localtime(intake.interest_closes_at)
        assert closes.date() == today + datetime.timedelta(days=365)
        assert closes.time() == datetime.time(0, 0)


def test_the_seed_leaves_the_closing_of_an_edited_intake_alone(db):
    intake = Intake.objects.filter(year=2025).first()
    intake.interest_closes_at = timezone.now() - datetime.timedelta(days=1)
    intake.save_revision().publish()
    closes = Intake.objects.get(pk=intake.pk).interest_closes_at
    output = run_seed()
    assert Intake.objects.get(pk=intake.pk).interest_closes_at == closes
    others = Intake.objects.filter(year=2025).exclude(pk=intake.pk)
    assert all(other.interest_closes_at > timezone.now() for other in others)
    assert "förlängd" not in output
