"""Contract tests: Schemathesis against the two OpenAPI documents.

For a bounded, reproducible number of generated requests per operation
(``derandomize``: the same requests on every run), each answer must be no
server error and must match what the document itself promises for it: the
declared content type and the declared schema of its body. The v3 API is called
anonymously and with a communicator's token, so the token's reads and writes
(drafts, revisions, page and snippet actions) are exercised too; each test's
changes are rolled back.

Every failing operation is reported with Schemathesis's reproduction, not only
the first.
"""

import os

from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from wagtail.models import APIToken

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
# CI's count; `make fuzz` runs many more (CONTRACT_EXAMPLES=500).
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "25"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
# Uploads (images and documents) take multipart bodies, which Schemathesis's
# WSGI transport can only send with Flask installed; the site has no Flask.
MULTIPART = "multipart/form-data"


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI app closes the database connection after each request, which
    on PostgreSQL is the test's own transaction; Django's test client keeps it
    the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def load(path: str):
    return schemathesis.openapi.from_wsgi(path, get_wsgi_application())


def operations(schema):
    for result in schema.get_all_operations():
        operation = result.ok()
        body_types = {body.media_type for body in operation.body}
        if MULTIPART in body_types:
            continue
        yield operation


def contract_failures(
    path: str, minimum: int, headers: dict | None = None
) -> list[str]:
    """Run Schemathesis on every operation of the document; what broke."""
    failures = []
    checked = 0
    cases = 0
    for operation in operations(load(path)):

        @given(case=operation.as_strategy())
        @BOUNDED
        def exercise(case):
            # Schemathesis's WSGI transport does not undo gzip, which public
            # reads get when a client accepts it: ask for the body as it is.
            nonlocal cases
            cases += 1
            sent = {"Accept-Encoding": "identity", **(headers or {})}
            case.call_and_validate(headers=sent, checks=CHECKS)

        try:
            exercise()
        except Unsatisfiable:
            # Nothing valid can be generated (e.g. a type filter of no types):
            # no request, so nothing to break.
            continue
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (reported)
            failures.append(f"{operation.label}: {error}")
        checked += 1
    assert checked >= minimum, f"only {checked} operations exercised in {path}"
    # The closing count a run reports (pytest -s): cases sent, operations, failures.
    print(f"\n{path}: {cases} cases, {checked} operations, {len(failures)} failing")  # noqa: T201
    return failures


def test_forms_api_keeps_its_contract():
    failures = contract_failures("/api/forms/openapi.json", minimum=2)
    assert not failures, "\n\n".join(failures)


def test_v3_api_keeps_its_contract_for_anonymous_clients():
    failures = contract_failures("/api/v3/openapi.json", minimum=30)
    assert not failures, "\n\n".join(failures)


def test_v3_api_keeps_its_contract_for_a_communicators_token(editor):
    _token, plaintext = APIToken.create_token(user=editor, name="schemathesis")
    failures = contract_failures(
        "/api/v3/openapi.json",
        minimum=30,
        headers={"Authorization": f"Bearer {plaintext}"},
    )
    assert not failures, "\n\n".join(failures)
