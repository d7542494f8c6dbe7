"""Helpers for the v3 API tests: tokens and the OpenAPI document."""

from django.test import Client

from wagtail.models import APIToken

V3 = "/api/v3"


def token_client(user, name="test") -> Client:
    """A client that sends a fresh API token of ``user`` and no session."""
    _token, plaintext = APIToken.create_token(user=user, name=name)
    return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def openapi(client=None) -> dict:
    response = (client or Client()).get(f"{V3}/openapi.json")
    assert response.status_code == 200, response.content
    return response.json()
