"""Contract tests: Schemathesis against the two OpenAPI documents.

For a bounded, reproducible number of generated requests per operation
(``derandomize``), each answer must be no server error and must match what the
document itself promises for it: the declared content type and the declared
schema of its body. The v3 API is called anonymously and with a communicator's
token, so the token's reads and writes (drafts, revisions, page actions) are
exercised too; each test's changes are rolled back.
"""

from django.core.wsgi import get_wsgi_application

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from wagtail.models import APIToken

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
BOUNDED = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)



def load(path: str):
    """The document as the site serves it (read when the tests are collected:
    Schemathesis's lazy fixture loader does not run under pytest 9)."""
    return schemathesis.openapi.from_wsgi(path, get_wsgi_application())


forms_api = load("/api/forms/openapi.json")
v3_api = load("/api/v3/openapi.json")


@pytest.fixture
def editor_token(editor):
    return APIToken.create_token(user=editor, name="schemathesis")[1]


@forms_api.parametrize()
@BOUNDED
def test_forms_api_keeps_its_contract(case):
    case.call_and_validate(checks=CHECKS)


@v3_api.parametrize()
@BOUNDED
def test_v3_api_keeps_its_contract_for_anonymous_clients(case):
    case.call_and_validate(checks=CHECKS)


@v3_api.parametrize()
@BOUNDED
def test_v3_api_keeps_its_contract_for_a_communicators_token(case, editor_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {editor_token}"}, checks=CHECKS
    )
