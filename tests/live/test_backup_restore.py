"""The README's backup runbook, run: ``pg_dump`` a site, ``pg_restore`` it, serve it.

A database of the test's own (a copy of the migrated, seeded one) gets
registrations in every status, contact messages, e-mail in every delivery state
and a webhook with its log. It is dumped with ``pg_dump --format=custom`` and
restored with ``pg_restore`` into a new, empty database, as the runbook says;
gunicorn then serves the restored site. Its pages answer, and what the inbox
counts (per form, per status, per delivery state) and the page tree are the
same as before, row for row.
"""

import json
import subprocess

import pytest

from .conftest import environment, http_get, manage

pytestmark = pytest.mark.fault

# Every delivery state and a failed delivery's error, as a running site has them.
VARIETY = """
from forms.models import ContactSubmission, DeliveryState, InterestSubmission
from webhooks.models import Webhook, WebhookDelivery
rows = list(InterestSubmission.objects.order_by("pk"))
for row, state in zip(rows, [DeliveryState.PENDING, DeliveryState.FAILED,
                            DeliveryState.SKIPPED, DeliveryState.FAILED]):
    row.notification_state = state
    if state == DeliveryState.FAILED:
        row.delivery_error = "notification: SMTPServerDisconnected"
    row.save()
contact = ContactSubmission.objects.order_by("pk").first()
contact.receipt_state = DeliveryState.FAILED
contact.save()
hook = Webhook.objects.create(name="Bygg", url="https://bygg.exempel.se/",
                              events=["page.published"])
WebhookDelivery.objects.create(webhook=hook, event="page.published", body="{}")
"""

# What must survive the restore, as JSON on the last line.
COUNTS = """
import hashlib, json
from django.db.models import Count
from wagtail.models import Page, PageLogEntry, Revision
from forms.models import ContactSubmission, InterestSubmission
from webhooks.models import WebhookDelivery

def grouped(model, *fields):
    rows = model.objects.values(*fields).annotate(n=Count("id")).order_by(*fields)
    return [list(row.values()) for row in rows]

def digest(model, *fields):
    rows = model.objects.order_by("pk").values_list("pk", *fields)
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()

registration = ("page__title", "status", "notification_state", "receipt_state")
contact = ("page__title", "notification_state", "receipt_state")
print(json.dumps({
    "registrations": grouped(InterestSubmission, *registration),
    "contacts": grouped(ContactSubmission, *contact),
    "programme_choices": InterestSubmission.programs.through.objects.count(),
    "rows": [
        digest(InterestSubmission, "reference", "email", "form_data", "submit_time"),
        digest(ContactSubmission, "reference", "email", "form_data", "submit_time"),
    ],
    "pages": grouped(Page, "content_type__model", "live"),
    "revisions": Revision.objects.count(),
    "log_entries": PageLogEntry.objects.count(),
    "webhook_deliveries": grouped(WebhookDelivery, "event", "status"),
    "urls": sorted(page.url for page in Page.objects.live().public().specific()
                   if page.url and page.depth > 1),
}, default=str))
"""


def counts(env):
    return json.loads(manage(env, "shell", "-c", COUNTS).strip().splitlines()[-1])


def test_a_dump_restored_into_a_new_database_serves_the_same_site(
    private_postgres, start_gunicorn, static_root, tmp_path
):
    source = environment(DATABASE_URL=private_postgres.create_database("backup_source"))
    # A development command (devtools), which production does not install.
    generated = environment("dev", DATABASE_URL=source["DATABASE_URL"])
    manage(generated, "generate_submissions", "40", "--contacts", "6", "--yes")
    manage(source, "shell", "-c", VARIETY)
    before = counts(source)
    assert len(before["registrations"]) >= 4, before["registrations"]
    assert before["contacts"] and before["urls"]

    # The runbook's two commands (README, "Backup and restore").
    dump = tmp_path / "skr.dump"
    bindir = private_postgres.bindir
    subprocess.run(
        [bindir / "pg_dump", "--format=custom", "--file", dump, source["DATABASE_URL"]],
        check=True,
        timeout=120,
    )
    restored_url = private_postgres.create_database("restored", template="template0")
    subprocess.run(
        [bindir / "pg_restore", "--no-owner", "--exit-on-error"]
        + ["--dbname", restored_url, dump],
        check=True,
        timeout=120,
    )

    restored = environment(DATABASE_URL=restored_url)
    manage(restored, "migrate", "--check")  # nothing left to apply
    assert counts(restored) == before

    port, server = start_gunicorn(
        DATABASE_URL=restored_url, STATIC_ROOT=static_root, PAGE_CACHE_SECONDS="0"
    )
    for url in before["urls"]:
        path = url.removeprefix("http://localhost").removeprefix("http://127.0.0.1")
        status, _body = http_get(port, path)
        assert status == 200, path
    status, body = http_get(port, "/api/v2/pages/?limit=100")
    assert (
        json.loads(body)["meta"]["total_count"]
        == sum(count for _model, live, count in before["pages"] if live) - 1
    )  # the tree's root is not a page anyone reads
    assert server.alive
