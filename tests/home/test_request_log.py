"""One JSON log line per request, under a request id that follows the request
into its error page and into the e-mail the worker sends for it."""

import json
import re

import pytest

from home.models import HomePage

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")


def request_lines(lines):
    return [line for line in lines if line["logger"] == "skr.request"]


def test_each_request_is_one_json_line_without_its_query_string(
    client, seed_pages, json_log
):
    response = client.get("/kontakt/?email=anna%40exempel.se&namn=Anna")

    [line] = request_lines(json_log())
    assert line["method"] == "GET"
    assert line["path"] == "/kontakt/"
    assert line["status"] == 200
    assert line["route"] == "wagtail_serve"
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "INFO"
    assert "anna" not in json.dumps(line).lower()


def test_a_request_id_is_made_for_each_request(client, seed_pages):
    first = client.get("/robots.txt")["X-Request-ID"]
    second = client.get("/robots.txt")["X-Request-ID"]

    assert GENERATED.fullmatch(first)
    assert GENERATED.fullmatch(second)
    assert first != second


def test_a_trusted_proxys_request_id_is_kept(client, settings, seed_pages):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    response = client.get("/robots.txt", HTTP_X_REQUEST_ID="lb-4f2a9c.1")

    assert response["X-Request-ID"] == "lb-4f2a9c.1"


@pytest.mark.parametrize(
    "given",
    ["", "with space", "x" * 65, 'quote"d', "line\nbreak"],
)
def test_a_malformed_request_id_is_replaced(client, settings, seed_pages, given):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    response = client.get("/robots.txt", HTTP_X_REQUEST_ID=given)

    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_anyone_elses_request_id_is_not_believed(client, settings, seed_pages):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]

    response = client.get("/robots.txt", HTTP_X_REQUEST_ID="chosen-by-the-client")

    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_the_server_error_page_gives_the_request_id_as_felkod(
    client, seed_pages, monkeypatch, json_log
):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(HomePage, "serve", broken)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    code = response["X-Request-ID"]
    assert f"Felkod: <code>{code}</code>" in response.content.decode()
    lines = json_log()
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["request_id"] == code
    assert "RuntimeError: a bug" in error["exception"]
    assert request_lines(lines)[0]["status"] == 500


def test_the_csrf_failure_page_gives_the_felkod_too(client):
    client.handler.enforce_csrf_checks = True

    response = client.post("/admin/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert f"Felkod: <code>{response['X-Request-ID']}</code>" in (
        response.content.decode()
    )
