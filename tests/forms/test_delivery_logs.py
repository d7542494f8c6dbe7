"""The e-mail worker's log lines name the request, never the person."""

import json

import pytest

from tests.conftest import INTEREST_PATH
from tests.factories import interest_data

pytestmark = pytest.mark.django_db

FAILING = "tests.forms.backends.FailingBackend"


def test_no_email_address_is_logged_during_a_submission(
    post, programs, recipients, mailoutbox, json_log
):
    response = post(INTEREST_PATH, interest_data(programs))

    assert response.status_code == 303
    assert len(mailoutbox) == 2
    lines = json_log()
    assert lines, "the submission was logged"
    for line in lines:
        text = json.dumps(line)
        assert "@" not in text, text
        assert "Anna" not in text, text
    # The worker's lines about the two messages name the request that stored it.
    sent = [line for line in lines if line["message"].startswith("Sent ")]
    assert len(sent) == 2
    assert {line["request_id"] for line in sent} == {response["X-Request-ID"]}


def test_a_failed_send_is_logged_without_the_address(
    post, settings, programs, recipients, json_log
):
    settings.EMAIL_BACKEND = FAILING

    response = post(INTEREST_PATH, interest_data(programs))

    failed = [line for line in json_log() if "failed" in line["message"]]
    assert len(failed) == 2
    for line in failed:
        assert "@" not in json.dumps(line)
        assert line["request_id"] == response["X-Request-ID"]
        assert line["level"] == "WARNING"
