"""Image and document uploads through the v3 API with a bearer token.

The site refuses files everywhere outside the admin (serving/uploads.py); a v3
token whose user may add images or documents is the one exception. Anyone else
gets a problem answer and no file is read.
"""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage

from tests.factories import EDITORS, MANAGERS, make_member

from .v3 import V3, token_client

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(size=(40, 30)) -> SimpleUploadedFile:
    buffer = BytesIO()
    PILImage.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile("bild.png", buffer.getvalue(), "image/png")


def pdf(size=200) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n" + b"x" * size + b"\n%%EOF\n"
    return SimpleUploadedFile("program.pdf", body, "application/pdf")


def nothing_stored():
    return (
        get_image_model().objects.count() == 0
        and get_document_model().objects.count() == 0
    )


def test_a_communicators_token_uploads_an_image(editor, settings):
    response = token_client(editor).post(
        f"{V3}/images/", {"file": png(), "title": "Lena Lindgren"}
    )

    assert response.status_code == 201, response.content
    data = response.json()
    image = get_image_model().objects.get(pk=data["id"])
    assert (data["title"], data["width"], data["height"]) == ("Lena Lindgren", 40, 30)
    assert image.uploaded_by_user == editor
    assert (settings.MEDIA_ROOT / image.file.name).is_file()


def test_a_communicators_token_uploads_a_document(editor, settings):
    response = token_client(editor).post(
        f"{V3}/documents/", {"file": pdf(), "title": "Programblad"}
    )

    assert response.status_code == 201, response.content
    document = get_document_model().objects.get(pk=response.json()["id"])
    assert document.title == "Programblad"
    assert (settings.MEDIA_ROOT / document.file.name).read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_an_anonymous_upload_is_a_401_problem(endpoint):
    response = Client().post(f"{V3}/{endpoint}/", {"file": png(), "title": "Bild"})

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert nothing_stored()


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_a_session_without_a_token_uploads_nothing(endpoint, editor_client):
    response = editor_client.post(f"{V3}/{endpoint}/", {"file": png(), "title": "Bild"})

    assert response.status_code == 401
    assert nothing_stored()


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_a_token_without_add_permission_is_a_403_problem(endpoint, django_user_model):
    manager = make_member(django_user_model, "pa-token", MANAGERS)

    response = token_client(manager).post(
        f"{V3}/{endpoint}/", {"file": png(), "title": "Bild"}
    )

    assert response.status_code == 403, response.content
    assert response["Content-Type"] == PROBLEM
    assert nothing_stored()


def test_a_file_that_is_not_an_image_is_refused_in_swedish(editor):
    response = token_client(editor).post(
        f"{V3}/images/", {"file": pdf(), "title": "Ingen bild"}
    )

    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    [error] = response.json()["errors"]
    assert error["loc"] == ["file"]
    assert error["msg"].startswith("Ladda upp en giltig bild.")
    assert nothing_stored()


def test_an_image_just_over_the_limit_gets_the_forms_swedish_message(editor, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2_000
    padded = png(size=(400, 400)).read() + b"\0" * 3_000
    big = SimpleUploadedFile("stor.png", padded, "image/png")

    response = token_client(editor).post(f"{V3}/images/", {"file": big, "title": "S"})

    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    [error] = response.json()["errors"]
    assert error["msg"].startswith("Filen är för stor (")
    assert nothing_stored()


def test_a_body_far_over_the_limit_is_a_413_before_it_is_read(editor, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1_000

    response = token_client(editor).post(
        f"{V3}/documents/", {"file": pdf(size=500_000), "title": "Stor"}
    )

    assert response.status_code == 413, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"].startswith("Filen är för stor")
    assert nothing_stored()


def test_an_inactive_users_token_uploads_nothing(django_user_model):
    user = make_member(django_user_model, "tidigare", EDITORS)
    client = token_client(user)
    user.is_active = False
    user.save()

    response = client.post(f"{V3}/images/", {"file": png(), "title": "Bild"})

    assert response.status_code == 401
    assert nothing_stored()
