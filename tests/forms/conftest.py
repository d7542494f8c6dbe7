import re

import pytest

from programs.models import ProgramPage


@pytest.fixture
def programs(db):
    """The live programmes, the choices of the interest form."""
    return list(ProgramPage.objects.live().order_by("path"))


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as a browser would, running what waits for the commit (the e-mail)."""

    def post(path, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data, **extra)

    return post


REFERENCE_PATTERN = r"[2-9A-Z]{5}-[2-9A-Z]{5}"


def thanked(client, response):
    """Follow an accepted form's redirect; the thank-you page and its reference."""
    assert response.status_code == 303, response.status_code
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    match = re.search(
        rf"<strong class=\"reference\">({REFERENCE_PATTERN})</strong>", html
    )
    assert match, "the thank-you page gives a reference"
    return html, match.group(1)


@pytest.fixture
def recipients(interest_page, contact_page):
    """Give both forms a recipient, as an editor would."""
    for page in (interest_page, contact_page):
        type(page).objects.filter(pk=page.pk).update(
            to_address="programansvarig@exempel.se"
        )
    return "programansvarig@exempel.se"
