"""The v3 API at /api/v3/: this site's types in the schema, who reads what."""

import json

from django.contrib.auth.models import Group
from django.test import Client

from wagtail.models import APIToken, Page, PageViewRestriction

import pytest

from forms.models import InterestSubmission
from home.models import ContentPage
from programs.models import ProgramPage, ThemePage
from tests.factories import EDITORS, make_registration

from .v3 import V3, openapi, token_client

pytestmark = pytest.mark.django_db

PAGE_TYPES = {
    "home.HomePage",
    "home.ContentPage",
    "programs.ProgramIndexPage",
    "programs.ProgramPage",
    "programs.ThemePage",
    "forms.InterestFormPage",
    "forms.ContactFormPage",
}
SNIPPETS = {
    "programs.Intake",
    "programs.Venue",
    "programs.ProgramFormat",
    "programs.ContactPerson",
}


def ref_name(prop: dict) -> str:
    """The component a property refers to, through arrays and nullables."""
    for candidate in (prop, prop.get("items", {}), *prop.get("anyOf", [])):
        if "$ref" in candidate:
            return candidate["$ref"].rsplit("/", 1)[-1]
        if "$ref" in candidate.get("items", {}):
            return candidate["items"]["$ref"].rsplit("/", 1)[-1]
    for candidate in prop.get("allOf", []):
        if "$ref" in candidate:
            return candidate["$ref"].rsplit("/", 1)[-1]
    return ""


def is_typed(prop: dict) -> bool:
    """Whether a JSON schema property says what it holds (not "anything")."""
    if "anyOf" in prop:
        return all(is_typed(option) for option in prop["anyOf"])
    return any(key in prop for key in ("type", "$ref", "allOf", "enum", "const"))


def page_detail(client, page, **params):
    response = client.get(f"{V3}/pages/{page.pk}/", params)
    assert response.status_code == 200, response.content
    return response.json()


# --- The schema ----------------------------------------------------------------


def test_schema_names_every_page_type_and_snippet_of_the_site():
    schema = openapi()
    components = schema["components"]["schemas"]
    page_types = {
        components[name]["properties"]["meta"]["$ref"].rsplit("/", 1)[-1]
        for name in components
        if name.endswith("PageSchema") and "meta" in components[name]["properties"]
    }
    labels = {
        components[meta]["properties"]["type"].get("const")
        for meta in page_types
        if "type" in components[meta]["properties"]
    }
    assert labels >= PAGE_TYPES
    type_parameter = next(
        parameter
        for parameter in schema["paths"][f"{V3}/snippets/{{type}}/"]["get"][
            "parameters"
        ]
        if parameter["name"] == "type"
    )
    assert set(type_parameter["schema"]["enum"]) == SNIPPETS


def test_programme_schema_types_themes_intakes_sessions_and_owners():
    components = openapi()["components"]["schemas"]
    programme = components["ProgramPageSchema"]["properties"]
    assert {"lead", "goal", "audience", "duration_months", "duration_text"} <= set(
        programme
    )
    assert programme["duration_months"]["type"] == "integer"
    assert ref_name(programme["themes"]) == "ThemeSummarySchema"
    assert ref_name(programme["intakes"]) == "PageIntakeSchema"
    assert ref_name(programme["information_owners"]) == "InformationOwnerSchema"
    assert ref_name(programme["program_format"]) == "PageProgramFormatSchema"
    intake = components["PageIntakeSchema"]["properties"]
    assert ref_name(intake["status"]) == "IntakeStatus"
    assert set(components["IntakeStatus"]["enum"]) == {
        "planned",
        "interest_open",
        "interest_closed",
        "running",
        "finished",
    }
    assert ref_name(intake["sessions"]) == "PageSessionSchema"
    assert ref_name(components["PageSessionSchema"]["properties"]["venue"]) == (
        "PageVenueSchema"
    )


def test_form_page_schema_has_field_definitions_and_state_but_no_recipients():
    components = openapi()["components"]["schemas"]
    for name in ("InterestFormPageSchema", "ContactFormPageSchema"):
        form = components[name]["properties"]
        assert ref_name(form["form_fields"]).endswith("FormFieldSchema")
        assert ref_name(form["state"]) == "FormWindow"
        assert form["is_open"]["type"] == "boolean"
        assert {"opens_at", "closes_at", "submission_url", "challenge_url"} <= set(form)
        assert "to_address" not in form
        assert "from_address" not in form
    assert set(components["FormWindow"]["enum"]) == {"open", "not_yet_open", "closed"}


def test_no_field_of_a_page_type_of_the_site_is_left_untyped():
    components = openapi()["components"]["schemas"]
    for label in PAGE_TYPES:
        name = f"{label.split('.')[1]}Schema"
        for field, prop in components[name]["properties"].items():
            assert is_typed(prop), f"{name}.{field} is untyped: {prop}"


@pytest.mark.parametrize("path", [f"{V3}/openapi.json", "/api/forms/openapi.json"])
def test_openapi_documents_repeat_no_key(path):
    """Swagger UI and YAML-based tools refuse a document with a key twice
    (e.g. a status as 403 and as "403"); Python's json module would hide it."""

    def unique(pairs):
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), f"repeated keys in {path}: {keys}"
        return dict(pairs)

    response = Client().get(path)
    assert response.status_code == 200
    json.loads(response.content, object_pairs_hook=unique)


def test_docs_page_serves_swagger_from_this_site_only():
    response = Client().get(f"{V3}/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "//unpkg" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "http" not in policy


# --- Anonymous readers -----------------------------------------------------------


def test_anonymous_list_is_exactly_the_live_public_pages(seed_pages):
    home = seed_pages["/"]
    draft = home.add_child(
        instance=ContentPage(title="Utkast", slug="utkast", body="<p>x</p>", live=False)
    )
    secret = home.add_child(
        instance=ContentPage(title="Låst", slug="last", body="<p>x</p>")
    )
    PageViewRestriction.objects.create(
        page=secret, restriction_type="password", password="hemligt"
    )
    response = Client().get(f"{V3}/pages/", {"limit": 100})
    assert response.status_code == 200
    listed = {item["id"] for item in response.json()["items"]}
    public = set(
        Page.objects.live().public().filter(depth__gte=2).values_list("pk", flat=True)
    )
    assert listed == public
    for page in (draft, secret):
        assert Client().get(f"{V3}/pages/{page.pk}/").status_code == 404


def test_programme_comes_with_themes_in_reading_order_and_intakes_with_sessions(
    seed_pages,
):
    programme = seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"]
    first_theme = ThemePage.objects.child_of(programme).order_by("path").first()
    first_theme.get_parent()  # the tree order is the reading order
    last = ThemePage.objects.child_of(programme).order_by("path").last()
    last.move(first_theme, pos="left")  # the last theme is now read first

    data = page_detail(Client(), programme)

    in_tree_order = [
        theme.title for theme in ThemePage.objects.child_of(programme).order_by("path")
    ]
    assert [theme["title"] for theme in data["themes"]] == in_tree_order
    assert data["themes"][0]["title"] == last.title
    assert [(i["year"], i["status"]) for i in data["intakes"]] == [
        (2024, "running"),
        (2025, "interest_open"),
    ]
    upcoming = data["intakes"][1]
    assert len(upcoming["sessions"]) == 4
    assert upcoming["sessions"][0]["venue"]["name"]
    assert upcoming["sessions"][0]["start_time"] == "10:00:00"
    assert data["program_format"]["sessions"] == 4
    assert [owner["name"] for owner in data["information_owners"]] == ["Lena Lindgren"]


def test_form_page_reads_with_its_fields_and_state(interest_page):
    data = page_detail(Client(), interest_page)
    assert data["meta"]["type"] == "forms.InterestFormPage"
    assert data["state"] == "open" and data["is_open"] is True
    assert {field["clean_name"] for field in data["form_fields"]} == {
        field.clean_name for field in interest_page.get_form_fields()
    }
    assert data["submission_url"] == f"/api/forms/{interest_page.pk}/submissions"
    assert data["definition_url"] == f"/api/forms/{interest_page.pk}"


# --- Drafts ----------------------------------------------------------------------


def draft_title(page, title):
    """Save a new title as a draft: the live page keeps its title."""
    page = Page.objects.get(pk=page.pk).specific
    page.title = title
    page.save_revision()


def unauthorized(response) -> dict:
    """A 401 in Swedish that says how to authenticate, and no page in it."""
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"
    problem = response.json()
    assert problem["type"] == "/api/v3/problems/unauthorized"
    assert "API-nyckel" in problem["title"]
    assert "meta" not in problem
    return problem


def test_a_draft_is_read_with_a_token_and_never_without(seed_pages, editor):
    programme = seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"]
    draft_title(programme, "Utkastets rubrik")

    anonymous = Client().get(f"{V3}/pages/{programme.pk}/", {"version": "draft"})
    with_token = page_detail(token_client(editor), programme, version="draft")
    live_with_token = page_detail(token_client(editor), programme)

    assert "Utkast" in unauthorized(anonymous)["detail"]
    assert with_token["title"] == "Utkastets rubrik"
    assert with_token["meta"]["version"] == "draft"
    assert live_with_token["title"] == programme.title
    assert live_with_token["meta"]["version"] == "live"


def test_a_session_cookie_or_a_wrong_token_reads_no_draft(seed_pages, editor_client):
    programme = seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"]
    draft_title(programme, "Utkastets rubrik")
    wrong = Client(HTTP_AUTHORIZATION="Bearer wagtail_inte-en-riktig-nyckel")
    url = f"{V3}/pages/{programme.pk}/"

    unauthorized(editor_client.get(url, {"version": "draft"}))
    unauthorized(wrong.get(url, {"version": "draft"}))
    # A wrong token is not quietly read as anonymous either.
    unauthorized(wrong.get(url))


def test_a_revoked_token_reads_no_draft(seed_pages, editor):
    programme = seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"]
    draft_title(programme, "Utkastets rubrik")
    client = token_client(editor)
    APIToken.objects.get(user=editor).revoke()

    unauthorized(client.get(f"{V3}/pages/{programme.pk}/", {"version": "draft"}))


def test_an_unpublished_page_is_found_with_a_token_only(seed_pages, editor):
    home = seed_pages["/"]
    draft = home.add_child(
        instance=ContentPage(title="Utkast", slug="utkast", body="<p>x</p>", live=False)
    )
    draft.save_revision()

    assert Client().get(f"{V3}/pages/{draft.pk}/").status_code == 404
    data = page_detail(token_client(editor), draft, version="draft")
    assert data["title"] == "Utkast"


# --- Writes ------------------------------------------------------------------------


def test_writes_follow_the_admin_permissions_of_the_tokens_user(
    seed_pages, editor, manager
):
    programme = seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"]
    url = f"{V3}/pages/{programme.pk}/"
    body = {"title": "Ny rubrik via API:t"}

    anonymous = Client().patch(url, body, content_type="application/json")
    as_manager = token_client(manager).patch(url, body, content_type="application/json")
    as_editor = token_client(editor).patch(url, body, content_type="application/json")

    assert anonymous.status_code == 401
    assert as_manager.status_code == 403
    assert as_editor.status_code == 200, as_editor.content
    programme.refresh_from_db()
    assert programme.get_latest_revision_as_object().title == "Ny rubrik via API:t"
    assert programme.title != "Ny rubrik via API:t"  # a draft, not published


def test_a_communicator_cannot_delete_a_form_page_and_its_submissions(
    interest_page, editor
):
    registration = make_registration(interest_page, "Sigrid Hemlig")
    client = token_client(editor)

    for url in (
        f"{V3}/pages/{interest_page.pk}/",
        f"{V3}/pages/{interest_page.pk}/actions/delete/",
    ):
        assert client.delete(url).status_code == 403

    assert Page.objects.filter(pk=interest_page.pk).exists()
    assert InterestSubmission.objects.filter(pk=registration.pk).exists()


def test_a_communicator_cannot_delete_the_programme_index_above_the_form(
    interest_page, editor
):
    make_registration(interest_page, "Sigrid Hemlig")
    index = interest_page.get_parent()
    response = token_client(editor).delete(f"{V3}/pages/{index.pk}/")
    assert response.status_code == 403
    assert ProgramPage.objects.child_of(index).exists()
    assert InterestSubmission.objects.count() == 1


# --- Tokens in the admin -----------------------------------------------------------


def test_a_communicator_creates_and_revokes_a_token_in_the_admin(editor, editor_client):
    index = editor_client.get("/admin/api-tokens/")
    assert index.status_code == 200
    assert "API-nycklar" in editor_client.get("/admin/").content.decode()

    created = editor_client.post(
        "/admin/api-tokens/new/", {"name": "Front-end", "user": editor.pk}
    )
    assert created.status_code == 200
    token = APIToken.objects.get(user=editor, name="Front-end")
    plaintext = next(
        word.strip('"<>')
        for word in created.content.decode().split()
        if "wagtail_" in word and len(word) > 30
    )
    assert token.prefix in plaintext

    editor_client.post(f"/admin/api-tokens/delete/{token.pk}/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_communicators_group_holds_the_token_permissions():
    codenames = set(
        Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True)
    )
    assert {"add_apitoken", "change_apitoken", "delete_apitoken"} <= codenames


def test_a_programme_manager_gets_no_token_views(manager_client):
    response = manager_client.get("/admin/api-tokens/")
    assert response.status_code in (302, 403)


def test_preview_token_command_prints_a_token_for_the_latest_revision(seed_pages):
    import io

    from django.core.management import call_command

    from programs.headless_preview import read_preview_token

    programme = seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"]
    out = io.StringIO()
    call_command("preview_token", str(programme.pk), stdout=out)
    target = read_preview_token(out.getvalue().strip())
    assert (target.page_id, target.revision_id) == (
        programme.pk,
        Page.objects.get(pk=programme.pk).latest_revision_id,
    )


@pytest.mark.parametrize(
    "path",
    [
        "/pages/14000122311929837568/",
        "/pages/5/revisions/99999999999999999999/",
        "/snippets/programs.Intake/x1/",
        "/snippets/programs.ContactPerson/%C3%B6/revisions/",
    ],
)
def test_ids_no_object_can_have_are_not_found_not_a_server_error(path, editor):
    """Found by Schemathesis: such ids made Wagtail's v3 views fail (500)."""
    for client in (Client(), token_client(editor)):
        for method in ("get", "patch", "delete"):
            response = getattr(client, method)(
                f"{V3}{path}", {}, content_type="application/json"
            )
            assert response.status_code == 404, (method, path)
            assert response["Content-Type"] == "application/problem+json"
