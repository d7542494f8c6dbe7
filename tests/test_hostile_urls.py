"""URLs no view can answer get a 400 or a 404, never a server error.

A NUL byte cannot be stored in PostgreSQL text, so it used to turn the page
API's search, the inbox search and page routing into 500s on PostgreSQL; a
non-numeric or overflowing id did the same to the inbox's detail views.
"""

import pytest

from tests.conftest import INTEREST_PATH
from tests.factories import make_registration

INBOX = "/admin/intresseanmalningar/"


@pytest.mark.parametrize(
    "url", ["/toppolitikerprogrammen/%00/", "/toppolitikerprogrammen/?q=%00"]
)
def test_a_nul_byte_in_a_public_url_is_a_bad_request(client, seed_pages, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Begäran kunde inte tas emot" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?search=%00",
        "/api/v2/pages/?type=programs.ProgramPage&search=a%00b",
        "/api/v2/pages/?%00=1",
        "/api/forms/1?x=%00",
        "/api/v3/pages/?order=d%00",
        "/api/v3/images/?search=%00",
    ],
)
def test_a_nul_byte_in_an_api_url_is_a_bad_request_in_its_format(
    client, seed_pages, url
):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Ogiltig begäran"


def test_a_nul_byte_in_the_inbox_search_is_a_bad_request(manager_client, seed_pages):
    response = manager_client.get("/admin/intresseanmalningar/", {"q": "a\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize("action", ["inspect", "status", "delete"])
@pytest.mark.parametrize("pk", ["abc", "1x", "١", "99999999999999999999999"])
def test_an_id_no_submission_can_have_is_not_found(
    manager_client, seed_pages, action, pk
):
    submission = make_registration(seed_pages[INTEREST_PATH], "Anna Andersson")
    assert manager_client.get(f"{INBOX}inspect/{submission.pk}/").status_code == 200

    response = manager_client.get(f"{INBOX}{action}/{pk}/")

    assert response.status_code == 404
