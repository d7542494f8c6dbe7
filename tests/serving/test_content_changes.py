"""The one content-change event (serving.content_changes): how many, for what, and
the URLs it names."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

import pytest

from programs.models import ContactPerson, Intake, ProgramPage, Session, ThemePage
from serving.content_changes import (
    DELETED,
    MOVED,
    PUBLISHED,
    SAVED,
    UNPUBLISHED,
    content_changed,
)

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
INDEX = "/toppolitikerprogrammen/"
PROGRAM = "/toppolitikerprogrammen/toppolitikerprogrammet/"
THEME = PROGRAM + "styrning-och-ledning/"


@pytest.fixture
def changes():
    seen = []

    def record(sender, change, **kwargs):
        seen.append(change)

    content_changed.connect(record, dispatch_uid="test_content_changes")
    yield seen
    content_changed.disconnect(dispatch_uid="test_content_changes")


@pytest.fixture
def theme(seed_pages):
    return ThemePage.objects.get(url_path__endswith=THEME)


def summary(changes):
    return [(change.action, change.instance.pk, change.live) for change in changes]


def test_one_event_per_publish_naming_the_page_its_parent_and_the_api(changes, theme):
    theme.description = "<p>Ny beskrivning.</p>"
    theme.save_revision().publish()

    assert summary(changes) == [(PUBLISHED, theme.pk, True)]
    [change] = changes
    assert change.is_page and change.shown_on_pages
    program = theme.get_parent()
    assert {
        f"{SITE}{THEME}",
        f"{SITE}{PROGRAM}",
        f"{SITE}/api/v2/pages/{theme.pk}/",
        f"{SITE}/api/v2/pages/?child_of={program.pk}",
        f"{SITE}/api/v3/pages/{program.pk}/",
    } <= change.urls


def test_a_draft_save_is_no_change(changes, theme):
    theme.description = "<p>Ett utkast.</p>"
    theme.save_revision()
    intake = Intake.objects.filter(live=True).first()
    intake.save_revision()

    assert changes == []


def test_a_publish_for_later_is_a_change_when_it_goes_live(changes, theme):
    theme.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    theme.save_revision().publish()
    assert changes == [], "the live version is still the old one"

    in_two_hours = timezone.now() + datetime.timedelta(hours=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: in_two_hours)
        call_command("publish_scheduled", stdout=io.StringIO())

    assert summary(changes) == [(PUBLISHED, theme.pk, True)]


def test_unpublish_and_delete(changes, theme):
    theme.unpublish()
    assert summary(changes) == [(UNPUBLISHED, theme.pk, False)]

    changes.clear()
    theme.delete()
    assert [(c.action, c.instance.title, c.live) for c in changes] == [
        (DELETED, theme.title, False)
    ]


def test_a_move_names_the_old_and_the_new_address(changes, theme):
    other = ProgramPage.objects.get(slug="toppolitikerprogrammet-fortsattning")
    theme.slug = "styrning"
    theme.save_revision().publish()
    changes.clear()

    theme.move(other, pos="last-child")

    [change] = changes
    assert (change.action, change.instance.pk) == (MOVED, theme.pk)
    assert {
        f"{SITE}{PROGRAM}styrning/",
        f"{SITE}/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/styrning/",
        f"{SITE}{PROGRAM}",
    } <= change.urls


def test_a_snippet_save_names_every_live_page(changes, seed_pages):
    lena = ContactPerson.objects.get(name="Lena Lindgren")
    lena.job_title = "Programchef"
    lena.save()

    assert summary(changes) == [(SAVED, lena.pk, True)]
    [change] = changes
    assert change.is_snippet and change.shown_on_pages
    for path, page in seed_pages.items():
        if page.live:
            assert f"{SITE}{path}" in change.urls


def test_an_intake_changes_with_its_publish(changes, seed_pages):
    intake = Intake.objects.filter(live=True).first()
    intake.save_revision().publish()

    published = [c for c in changes if c.model is Intake]
    assert summary(published) == [(PUBLISHED, intake.pk, True)]
    # Its sessions are written again with the publish: each row a change too.
    assert {c.model for c in changes} <= {Intake, Session}


def test_what_pages_do_not_show_is_no_change(changes, django_user_model):
    django_user_model.objects.create_user("anna", "anna@example.se", "x")

    assert changes == []


def test_a_draft_page_moved_below_a_new_slug_moves_its_live_children(
    changes, seed_pages, django_capture_on_commit_callbacks
):
    index = seed_pages[INDEX]
    index.unpublish()
    changes.clear()
    index.refresh_from_db()
    index.slug = "nytt"
    with django_capture_on_commit_callbacks(execute=True):
        index.save()

    [change] = changes
    assert (change.action, change.live) == (MOVED, False)
    assert f"{SITE}/nytt/toppolitikerprogrammet/" in change.urls
