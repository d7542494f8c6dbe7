"""Failed e-mail and the task queue, as /metrics shows them."""

import datetime

from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from tests.conftest import INTEREST_PATH
from tests.factories import interest_data
from tests.metrics import TOKEN, scrape, value

pytestmark = pytest.mark.django_db

FAILING = "tests.forms.backends.FailingBackend"


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = TOKEN


def test_failed_deliveries_are_counted_by_kind(
    client, metrics_on, post, settings, programs, recipients
):
    before = scrape(client)
    settings.EMAIL_BACKEND = FAILING

    post(INTEREST_PATH, interest_data(programs))

    after = scrape(client)
    for kind in ("notification", "receipt"):
        assert value(after, "skr_email_delivery_failures_total", kind=kind) == (
            value(before, "skr_email_delivery_failures_total", kind=kind) + 1
        )


def test_the_task_queue_depth_and_the_oldest_tasks_age(
    client, metrics_on, settings, post, programs, recipients
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert value(scrape(client), "skr_task_queue_depth") == 0
    assert value(scrape(client), "skr_task_queue_oldest_age_seconds") == 0

    post(INTEREST_PATH, interest_data(programs))
    DBTaskResult.objects.update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    samples = scrape(client)
    assert value(samples, "skr_task_queue_depth") == 2
    assert 300 <= value(samples, "skr_task_queue_oldest_age_seconds") < 330
