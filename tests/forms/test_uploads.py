"""The public forms take no files: a file part is refused and never stored."""

from django.core.files.uploadedfile import SimpleUploadedFile

from forms.models import InterestSubmission
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data


def test_a_file_sent_with_the_interest_form_is_refused(post, programs, tmp_path):
    data = interest_data(programs)
    data["bilaga"] = SimpleUploadedFile("cv.pdf", b"%PDF-1.4 " + b"x" * 100_000)

    response = post(INTEREST_PATH, data)

    assert response.status_code == 400
    assert "Formuläret tar inte emot filer" in response.content.decode()
    assert InterestSubmission.objects.count() == 0


def test_the_same_form_without_a_file_is_accepted(post, programs):
    response = post(INTEREST_PATH, interest_data(programs))

    assert response.status_code == 303
    assert InterestSubmission.objects.count() == 1


def test_editors_still_upload_images_in_the_admin(admin_client):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    upload = SimpleUploadedFile("bild.png", buffer.getvalue(), "image/png")

    response = admin_client.post(
        "/admin/images/multiple/add/",
        {"files[]": upload},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )

    assert response.status_code == 200
    assert response.json()["success"] is True


def test_a_bearer_token_does_not_open_a_public_form_to_files(editor, interest_page):
    """The v3 upload gate is for its create routes only (tests/api/test_v3_uploads)."""
    from tests.api.v3 import token_client

    upload = SimpleUploadedFile("cv.pdf", b"%PDF-1.4 " + b"x" * 100_000)

    response = token_client(editor).post(interest_page.url, {"bilaga": upload})

    assert response.status_code == 400
    assert "Formuläret tar inte emot filer" in response.content.decode()
    assert InterestSubmission.objects.count() == 0
