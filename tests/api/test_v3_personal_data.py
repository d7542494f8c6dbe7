"""No submission or personal data through the v3 API, whoever asks.

Walks every path and method of /api/v3/openapi.json, as anonymous, as a
communicator's token, as a programme manager's token and as an administrator's
token, reads and writes alike, and looks for what the public sent in.
"""

import re

from django.db import transaction
from django.test import Client

from wagtail.models import Page, Site

import pytest

from programs.models import ContactPerson, Intake
from tests.factories import make_contact, make_registration

from .v3 import V3, openapi, token_client

pytestmark = pytest.mark.django_db

REGISTRANT = {
    "name": "Sigrid Hemligsdotter",
    "email": "sigrid.hemlig@exempel.se",
    "phone": "070-999 88 77",
    "organisation": "Hemligby kommun",
    "message": "Ett hemligt meddelande om min anmälan",
}
ASKER = {"name": "Torsten Doldsson", "message": "En dold fråga om programmen"}
RECIPIENT = "mottagare.hemlig@skr.se"


@pytest.fixture
def secrets(interest_page, contact_page):
    """Stored submissions and a form's recipients; their values, to look for."""
    make_registration(
        interest_page,
        REGISTRANT["name"],
        email=REGISTRANT["email"],
        phone=REGISTRANT["phone"],
        organisation=REGISTRANT["organisation"],
        message=REGISTRANT["message"],
    )
    contact = make_contact(contact_page, ASKER["name"])
    contact.form_data = {**contact.form_data, "meddelande": ASKER["message"]}
    contact.save()
    for page in (interest_page, contact_page):
        type(page).objects.filter(pk=page.pk).update(to_address=RECIPIENT)
        page.refresh_from_db()
        page.save_revision()  # a draft revision with the recipients in its content
    return [
        *REGISTRANT.values(),
        ASKER["name"],
        ASKER["message"],
        contact.email,
        RECIPIENT,
    ]


def path_values(interest_page) -> dict[str, list[str]]:
    """Values to put into each path parameter: the pages and objects that
    lie closest to the submissions."""
    pages = [
        interest_page,
        interest_page.get_parent(),
        Page.objects.get(slug="kontakt"),
    ]
    revisions = [str(page.get_latest_revision().pk) for page in pages]
    return {
        "page_id": [str(page.pk) for page in pages],
        "revision_id": revisions,
        "type": ["programs.Intake", "programs.ContactPerson"],
        "pk": [
            str(Intake.objects.order_by("pk").first().pk),
            str(ContactPerson.objects.order_by("pk").first().pk),
        ],
        "type_name": ["forms.InterestFormPage", "forms.ContactFormPage"],
        "site_id": [str(Site.objects.get().pk)],
        "image_id": ["1"],
        "document_id": ["1"],
        "redirect_id": ["1"],
    }


def expand(path: str, values: dict[str, list[str]]) -> list[str]:
    """Every URL a path template gives with the values for its parameters."""
    urls = [path]
    for name in re.findall(r"{(\w+)}", path):
        assert name in values, f"no value for path parameter {name} in {path}"
        urls = [
            url.replace(f"{{{name}}}", value) for url in urls for value in values[name]
        ]
    return urls


def write_body(path: str, interest_page) -> dict:
    """A body a write would accept, so that a write that may go through does."""
    if path == f"{V3}/pages/":
        return {
            "meta": {
                "type": "forms.InterestFormPage",
                "parent_id": interest_page.get_parent().pk,
            },
            "title": "Kopia av formuläret",
            "intake_year": 2026,
        }
    return {}


def call(client: Client, method: str, url: str, body: dict, *, drafts: bool):
    """One request whose changes are rolled back, so each write starts afresh.
    Token holders read drafts; anonymous clients may not ask for them (401)."""
    with transaction.atomic():
        if method == "get":
            query = {"version": "draft", "limit": 100} if drafts else {"limit": 100}
            response = client.get(url, query)
        else:
            response = getattr(client, method)(
                url, body, content_type="application/json"
            )
        transaction.set_rollback(True)
    return response


@pytest.fixture
def callers(editor, manager, django_user_model):
    admin = django_user_model.objects.create_superuser("chef", "chef@skr.se", "x")
    return {
        "anonymous": Client(),
        "Redaktör": token_client(editor),
        "Programansvarig": token_client(manager),
        "administratör": token_client(admin),
    }


def test_no_v3_path_serves_submissions_or_recipients_to_anyone(
    secrets, interest_page, callers
):
    schema = openapi()
    values = path_values(interest_page)
    seen_statuses = {}
    for path, operations in schema["paths"].items():
        for method in operations:
            for url in expand(path, values):
                for who, client in callers.items():
                    response = call(
                        client,
                        method,
                        url,
                        write_body(path, interest_page),
                        drafts=who != "anonymous",
                    )
                    assert response.status_code < 500, (who, method, url)
                    text = response.content.decode().lower()
                    for secret in secrets:
                        assert secret.lower() not in text, (who, method, url, secret)
                    seen_statuses[(who, method, path)] = response.status_code
    operations = sum(len(ops) for ops in schema["paths"].values())
    assert len({key[1:] for key in seen_statuses}) == operations
    # The walk did read things: it is no walk past locked doors.
    ok_reads = {key for key, status in seen_statuses.items() if status == 200}
    assert ("anonymous", "get", f"{V3}/pages/{{page_id}}/") in ok_reads
    assert ("Programansvarig", "get", f"{V3}/pages/{{page_id}}/revisions/") in ok_reads
    assert ("Redaktör", "get", f"{V3}/snippets/{{type}}/") in ok_reads
