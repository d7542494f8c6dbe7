"""Preview in an external front-end: a signed token bound to one revision."""

import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core import signing
from django.test import Client, override_settings
from django.urls import reverse

from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

import pytest

from programs.headless_preview import HEADLESS_MODE, SALT, make_preview_token

from .v3 import V3

pytestmark = pytest.mark.django_db

FRONT_END = "https://front.example.org/preview"


def save_draft(page, title):
    page = Page.objects.get(pk=page.pk).specific
    page.title = title
    return page.save_revision()


def exchange(client, token):
    return client.get(f"{V3}/preview/", {"token": token})


def press_preview(client, page, mode=HEADLESS_MODE):
    """Open the page's edit view and press preview, as the admin's panel does."""
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(
        client.get(edit_url).content.decode(), form_id="page-edit-form"
    )
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert client.post(preview_url, data=data).status_code == 200
    return client.get(preview_url, {"mode": mode})


def token_in(response) -> str:
    assert response.status_code == 302, response.content[:300]
    location = response["Location"]
    assert location.startswith(f"{FRONT_END}?")
    return parse_qs(urlsplit(location).query)["token"][0]


@pytest.fixture
def programme(seed_pages):
    return seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"]


def test_without_a_front_end_wagtails_own_preview_is_unchanged(
    programme, editor_client
):
    assert settings.HEADLESS_PREVIEW_URL == ""
    assert HEADLESS_MODE not in dict(programme.preview_modes)
    response = press_preview(editor_client, programme, mode="")
    assert response.status_code == 200
    assert programme.lead in response.content.decode()


@override_settings(HEADLESS_PREVIEW_URL=FRONT_END)
def test_preview_opens_the_front_end_which_exchanges_its_token_for_the_draft(
    programme, editor_client
):
    revision = save_draft(programme, "Utkast som förhandsgranskas")
    assert programme.default_preview_mode == HEADLESS_MODE

    response = press_preview(editor_client, programme)

    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["page_id"] == [str(programme.pk)]
    assert query["content_type"] == ["programs.ProgramPage"]
    draft = exchange(Client(), token_in(response))
    assert draft.status_code == 200, draft.content
    data = draft.json()
    assert (data["id"], data["title"]) == (programme.pk, "Utkast som förhandsgranskas")
    assert data["meta"]["type"] == "programs.ProgramPage"
    assert [i["year"] for i in data["intakes"]] == [2024, 2025]
    assert "no-cache" in draft["Cache-Control"]
    assert revision.pk == Page.objects.get(pk=programme.pk).latest_revision_id
    # The live page and the anonymous API still show the published title.
    assert Client().get(f"{V3}/pages/{programme.pk}/").json()["title"] == (
        programme.title
    )


@override_settings(HEADLESS_PREVIEW_URL=FRONT_END)
def test_form_pages_preview_in_the_front_end_too(interest_page, editor_client):
    save_draft(interest_page, "Intresseanmälan i utkast")
    token = token_in(press_preview(editor_client, interest_page))
    data = exchange(Client(), token).json()
    assert data["meta"]["type"] == "forms.InterestFormPage"
    assert data["title"] == "Intresseanmälan i utkast"
    assert data["form_fields"]


def test_a_token_gives_its_own_revision_and_never_a_later_one(programme):
    first = save_draft(programme, "Utkast A")
    token = make_preview_token(programme.pk, first.pk)
    later = save_draft(programme, "Utkast B")

    assert exchange(Client(), token).json()["title"] == "Utkast A"
    assert exchange(Client(), make_preview_token(programme.pk, later.pk)).json()[
        "title"
    ] == ("Utkast B")


def test_a_token_altered_to_name_another_revision_is_refused(programme):
    first = save_draft(programme, "Utkast A")
    later = save_draft(programme, "Utkast B")
    token = make_preview_token(programme.pk, first.pk)
    payload, rest = token.split(":", 1)
    forged_payload = signing.dumps(
        {"page": programme.pk, "revision": later.pk}, salt=SALT
    ).split(":", 1)[0]
    forged = f"{forged_payload}:{rest}"
    signed_elsewhere = signing.dumps(
        {"page": programme.pk, "revision": later.pk}, salt=SALT, key="en-annan-nyckel"
    )

    for bad in (forged, signed_elsewhere, "inte-en-nyckel"):
        response = exchange(Client(), bad)
        assert response.status_code == 403, bad
        assert "Utkast B" not in response.content.decode()


def test_a_token_for_a_revision_of_another_page_finds_nothing(programme, seed_pages):
    other = seed_pages["/kontakt/"]
    revision = save_draft(other, "Kontakt i utkast")
    response = exchange(Client(), make_preview_token(programme.pk, revision.pk))
    assert response.status_code == 404


def test_a_token_expires(programme):
    revision = save_draft(programme, "Utkast A")
    max_age = settings.HEADLESS_PREVIEW_MAX_AGE
    made_at = time.time()
    with mock.patch(
        "django.core.signing.time.time", return_value=made_at - max_age - 1
    ):
        expired = make_preview_token(programme.pk, revision.pk)
    with mock.patch(
        "django.core.signing.time.time", return_value=made_at - max_age + 60
    ):
        still_fresh = make_preview_token(programme.pk, revision.pk)

    response = exchange(Client(), expired)
    assert response.status_code == 403
    assert "gått ut" in response.json()["detail"]
    assert exchange(Client(), still_fresh).status_code == 200


@override_settings(HEADLESS_PREVIEW_URL=FRONT_END)
def test_a_page_never_saved_asks_to_be_saved_before_the_front_end_preview(
    seed_pages, editor_client
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    index = seed_pages["/toppolitikerprogrammen/"]
    preview_url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=["programs", "programpage", index.pk],
    )
    data = nested_form_data(
        {
            "title": "Ett nytt program",
            "slug": "ett-nytt-program",
            "lead": "Ingress.",
            "duration_months": 3,
            "duration_text": "3 månader",
            "body": rich_text(""),
            "contact_person_links": inline_formset([]),
        }
    )
    assert editor_client.post(preview_url, data=data).status_code == 200
    response = editor_client.get(preview_url, {"mode": HEADLESS_MODE})
    assert response.status_code == 200
    assert "Spara sidan först" in response.content.decode()
