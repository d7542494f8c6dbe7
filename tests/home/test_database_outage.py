"""A request that meets a database outage is told to come back (503), not a 500."""

from django.db import OperationalError
from django.test import Client

import pytest

from home.api import SitePagesAPIViewSet
from home.models import HomePage


@pytest.fixture
def database_gone(monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("FATAL: the database system is starting up")

    return fail


def test_a_page_answers_503_with_retry_after(seed_pages, monkeypatch, database_gone):
    monkeypatch.setattr(HomePage, "serve", database_gone)
    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Försök igen om en stund" in response.content.decode()


def test_the_api_answers_503_as_problem_details(seed_pages, monkeypatch, database_gone):
    monkeypatch.setattr(SitePagesAPIViewSet, "listing_view", database_gone)
    response = Client(raise_request_exception=False).get("/api/v2/pages/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 503


def test_other_errors_stay_500(seed_pages, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(HomePage, "serve", broken)
    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 500
