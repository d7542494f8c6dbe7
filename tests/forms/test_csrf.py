"""Posts to the public forms: no CSRF token, but never from another site."""

from django.test import Client

import pytest

from forms.models import InterestSubmission
from tests.conftest import INTEREST_PATH
from tests.factories import interest_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    """A client that checks CSRF as a real browser request would be checked."""
    return Client(enforce_csrf_checks=True)


def test_a_browser_post_from_the_site_itself_is_accepted(browser, programs):
    response = browser.post(
        INTEREST_PATH, interest_data(programs), HTTP_ORIGIN="http://testserver"
    )

    assert response.status_code == 303
    assert InterestSubmission.objects.count() == 1


def test_a_post_without_an_origin_is_accepted_like_the_json_api(browser, programs):
    """Non-browser clients send no Origin; the JSON API takes them too, and the
    proof of work and the rate limit apply to both."""
    response = browser.post(INTEREST_PATH, interest_data(programs))

    assert response.status_code == 303
    assert InterestSubmission.objects.count() == 1


@pytest.mark.parametrize("origin", ["https://annan-sajt.example", "null"])
def test_a_post_from_another_origin_is_refused(browser, programs, origin):
    response = browser.post(INTEREST_PATH, interest_data(programs), HTTP_ORIGIN=origin)

    assert response.status_code == 403
    assert InterestSubmission.objects.count() == 0


def test_the_admin_still_needs_its_csrf_token(browser, django_user_model):
    django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-123-x")

    response = browser.post("/admin/login/", {"username": "ed", "password": "pw-123-x"})

    assert response.status_code == 403
