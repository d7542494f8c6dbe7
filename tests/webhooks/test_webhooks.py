"""Publish webhooks: signed JSON events, sent by the worker, retried, logged."""

import base64
import datetime
import hashlib
import hmac
import io
import json
import types
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from forms.management.commands import task_worker
from programs.models import Intake, ProgramFormat, ProgramPage, ThemePage
from tests.home import fake_cdn
from tests.home.receiver import Receiver, start
from webhooks.addresses import check_url
from webhooks.models import DeliveryStatus, Webhook, WebhookDelivery
from webhooks.signing import signature
from webhooks.tasks import MAX_ATTEMPTS, deliver_webhook

pytestmark = pytest.mark.django_db

THEME = "/toppolitikerprogrammen/toppolitikerprogrammet/styrning-och-ledning/"
ALL_EVENTS = [
    "page.published",
    "page.unpublished",
    "page.moved",
    "page.deleted",
    "snippet.saved",
]


def verify(secret, headers, body):
    """What a receiver does (the README's recipe): True if the signature holds."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode()
    expected = base64.b64encode(
        hmac.new(key, signed + body, hashlib.sha256).digest()
    ).decode()
    offered = [s.split(",", 1)[1] for s in headers["webhook-signature"].split()]
    return any(hmac.compare_digest(expected, s) for s in offered)


@pytest.fixture
def receiver(settings):
    """A receiver on 127.0.0.1, which the tests (only) may call."""
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    settings.WEBHOOKS_READ_TIMEOUT = 0.5
    settings.WEBHOOKS_CONNECT_TIMEOUT = 0.5
    the_receiver = Receiver()
    server = start(the_receiver)
    yield the_receiver
    server.shutdown()
    server.server_close()


def make_webhook(url, events=("page.published",), **fields):
    return Webhook.objects.create(
        name="Front-end", url=url, events=list(events), **fields
    )


@pytest.fixture
def theme(seed_pages):
    return ThemePage.objects.get(url_path__endswith=THEME)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as a real request's end would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def publish(page):
    page.save_revision().publish()


def test_a_published_page_is_posted_signed_to_the_receiver(receiver, theme, committed):
    webhook = make_webhook(receiver.url)

    committed(lambda: publish(theme))

    [request] = receiver.received
    assert verify(webhook.secret, request.headers, request.body)
    assert not verify("whsec_" + "A" * 32, request.headers, request.body)
    event = json.loads(request.body)
    assert event["event"] == "page.published"
    assert event["object"] == {
        "type": "programs.themepage",
        "id": theme.pk,
        "url_path": THEME,
        "urls": mock.ANY,
    }
    assert event["id"] == request.headers["webhook-id"]
    assert event["id"].startswith("msg_")
    assert datetime.datetime.fromisoformat(event["time"]) <= timezone.now()
    assert request.headers["Content-Type"] == "application/json"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.response_code == 200
    assert delivery.attempts == 1
    assert delivery.delivered_at is not None


def test_signature_matches_the_standard_webhooks_test_vector():
    """The example of the Standard Webhooks libraries, so their verifiers work."""
    assert (
        signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            b'{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_each_webhook_has_its_own_generated_secret():
    first = make_webhook("https://example.com/a")
    second = make_webhook("https://example.com/b")
    assert first.secret.startswith("whsec_")
    assert len(base64.b64decode(first.secret.removeprefix("whsec_"))) >= 16
    assert first.secret != second.secret


def test_a_500_is_retried_later_by_the_worker_and_the_log_shows_both_attempts(
    settings, receiver, theme, committed, run_worker
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    receiver.statuses = [500, 200]
    make_webhook(receiver.url)
    committed(lambda: publish(theme))
    assert receiver.received == [], "nothing is sent before the worker runs"

    run_worker()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert (delivery.attempts, delivery.response_code) == (1, 500)
    assert "HTTP 500" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()
    run_worker()
    assert len(receiver.received) == 1, "the retry waits for its time"

    make_retries_due()
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert (delivery.attempts, delivery.response_code) == (2, 200)
    assert delivery.last_error == ""
    first, second = receiver.received
    assert first.body == second.body
    assert first.headers["webhook-id"] == second.headers["webhook-id"]


@pytest.fixture
def run_worker(monkeypatch):
    """The task worker's loop inside the test's transaction: the connection it
    would close between tasks is the test's, and any wait (an outage) fails."""

    def no_waiting(seconds):
        raise AssertionError(f"the worker met an error and waits {seconds} s")

    monkeypatch.setattr(task_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(
        task_worker, "connections", types.SimpleNamespace(close_all=lambda: None)
    )
    monkeypatch.setattr(task_worker, "time", types.SimpleNamespace(sleep=no_waiting))

    def run():
        # As `task_worker --batch` runs it, but leaving the test process's
        # signal handlers (Ctrl-C, SIGTERM) alone.
        task_worker.ResilientWorker(
            queue_names=["default"],
            interval=1,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="webhook-test-worker",
            excluded_queue_names=[],
        ).run()

    return run


def make_retries_due():
    past = timezone.now() - datetime.timedelta(seconds=1)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)
    WebhookDelivery.objects.update(next_attempt_at=past)


def test_a_failing_receiver_is_given_up_after_the_last_attempt(receiver, theme):
    receiver.statuses = [503]
    webhook = make_webhook(receiver.url)
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="page.published", body="{}"
    )

    for _ in range(MAX_ATTEMPTS + 2):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        deliver_webhook.call(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert len(receiver.received) == MAX_ATTEMPTS


def test_a_hanging_receiver_times_out_and_is_logged(receiver, theme, committed):
    receiver.delay = 3
    make_webhook(receiver.url)

    committed(lambda: publish(theme))

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.response_code is None
    assert "TimeoutError" in delivery.last_error


def test_a_receiver_trickling_its_answer_is_cut_off(settings, receiver, theme):
    """Each byte comes within the read timeout; the whole exchange has a limit."""
    settings.WEBHOOKS_TOTAL_TIMEOUT = 1
    receiver.trickle = 0.2
    webhook = make_webhook(receiver.url)
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="page.published", body="{}"
    )

    deliver_webhook.call(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert "no complete answer within 1 s" in delivery.last_error


def test_inactive_and_unsubscribed_webhooks_get_nothing(receiver, theme, committed):
    make_webhook(receiver.url, active=False)
    make_webhook(receiver.url, events=["page.deleted"])

    committed(lambda: publish(theme))

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_unpublish_move_and_snippet_save_are_events_too(receiver, theme, committed):
    make_webhook(receiver.url, events=ALL_EVENTS)
    other = ProgramPage.objects.get(slug="toppolitikerprogrammet-fortsattning")
    facts = ProgramFormat.objects.first()
    # The other programme has a theme of this name: make room for this one.
    theme.slug = "styrning"
    theme.save()

    committed(lambda: theme.unpublish())
    committed(lambda: theme.move(other, pos="last-child"))
    committed(lambda: facts.save())

    events = [json.loads(r.body) for r in receiver.received]
    assert [e["event"] for e in events] == [
        "page.unpublished",
        "page.moved",
        "snippet.saved",
    ]
    moved = events[1]["object"]
    assert moved["url_path"] == (
        "/toppolitikerprogrammen/toppolitikerprogrammet-fortsattning/styrning/"
    )
    assert moved["previous_url_path"] == (
        "/toppolitikerprogrammen/toppolitikerprogrammet/styrning/"
    )
    assert events[2]["object"] == {
        "type": "programs.programformat",
        "id": facts.pk,
        "url_path": None,
        "urls": mock.ANY,
    }
    assert len({e["id"] for e in events}) == 3, "each event has its own id"


def test_deleting_a_live_page_sends_unpublished_then_deleted(
    receiver, theme, committed
):
    make_webhook(receiver.url, events=ALL_EVENTS)

    committed(lambda: theme.delete())

    events = [json.loads(r.body) for r in receiver.received]
    assert [e["event"] for e in events] == ["page.unpublished", "page.deleted"]
    assert events[1]["object"]["url_path"] == THEME


def test_a_rolled_back_publish_sends_nothing(receiver, theme):
    make_webhook(receiver.url)

    publish(theme)  # the test's transaction never commits

    assert receiver.received == []
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING


def test_a_public_address_is_accepted():
    target = check_url("http://93.184.215.14:8080/hooks?x=1")
    assert (target.address, target.port, target.path) == (
        "93.184.215.14",
        8080,
        "/hooks?x=1",
    )


def test_https_is_required_when_production_says_so(settings):
    settings.WEBHOOKS_REQUIRE_HTTPS = True
    with pytest.raises(ValidationError) as refused:
        check_url("http://93.184.215.14/hook")
    assert refused.value.messages == ["Adressen måste börja med https://."]


def test_the_address_is_checked_again_at_send_time(receiver, theme, settings):
    """DNS may point elsewhere by then: a refused target is not called."""
    webhook = make_webhook(receiver.url)
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="page.published", body="{}"
    )
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False

    deliver_webhook.call(delivery.pk)

    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert "internt nätverk" in delivery.last_error


def test_the_log_is_purged_after_thirty_days():
    webhook = make_webhook("https://example.com/hook")
    old, recent = (
        WebhookDelivery.objects.create(webhook=webhook, event="page.published", body=b)
        for b in ("{}", "{ }")
    )
    WebhookDelivery.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    WebhookDelivery.objects.filter(pk=recent.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=29)
    )
    out = io.StringIO()

    call_command("purge_webhook_deliveries", stdout=out)
    call_command("purge_webhook_deliveries", stdout=io.StringIO())

    assert list(WebhookDelivery.objects.all()) == [recent]
    assert "1 raderade" in out.getvalue()


def test_overdue_deliveries_are_queued_again_by_the_cron_command(receiver):
    webhook = make_webhook(receiver.url)
    stale = timezone.now() - datetime.timedelta(minutes=20)
    waiting = WebhookDelivery.objects.create(
        webhook=webhook, event="page.published", body="{}"
    )
    fresh = WebhookDelivery.objects.create(
        webhook=webhook, event="page.published", body="{ }"
    )
    WebhookDelivery.objects.filter(pk=waiting.pk).update(created_at=stale)
    out = io.StringIO()

    call_command("retry_webhook_deliveries", stdout=out)

    assert "köade: 1" in out.getvalue()
    assert [r.body for r in receiver.received] == [b"{}"]
    fresh.refresh_from_db()
    assert fresh.status == DeliveryStatus.PENDING


def test_publishing_a_new_slug_is_a_move_from_the_old_path(receiver, theme, committed):
    make_webhook(receiver.url, events=ALL_EVENTS)
    theme.slug = "styrning"

    committed(lambda: publish(theme))

    events = {
        json.loads(r.body)["event"]: json.loads(r.body) for r in receiver.received
    }
    assert set(events) == {"page.published", "page.moved"}
    moved = events["page.moved"]["object"]
    assert moved["previous_url_path"] == THEME
    assert moved["url_path"] == (
        "/toppolitikerprogrammen/toppolitikerprogrammet/styrning/"
    )


def test_an_intake_is_announced_when_published_not_when_drafted(receiver, committed):
    make_webhook(receiver.url, events=["snippet.saved"])
    intake = Intake.objects.filter(live=True).first()

    committed(lambda: intake.save_revision())
    assert receiver.received == [], "a draft changes nothing a reader sees"
    committed(lambda: intake.save_revision().publish())

    [request] = receiver.received
    program = intake.program
    assert json.loads(request.body)["object"] == {
        "type": "programs.intake",
        "id": intake.pk,
        "url_path": None,
        "urls": mock.ANY,
        "page": {
            "type": "programs.programpage",
            "id": program.pk,
            "title": program.title,
            "url": "http://testserver/toppolitikerprogrammen/toppolitikerprogrammet/",
        },
    }


def test_a_webhook_switched_off_stops_its_retries(receiver):
    webhook = make_webhook(receiver.url)
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="page.published", body="{}"
    )
    Webhook.objects.filter(pk=webhook.pk).update(active=False)

    deliver_webhook.call(delivery.pk)

    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "stängts av" in delivery.last_error


def test_a_new_page_scheduled_for_later_is_announced_when_it_goes_live(
    receiver, theme, committed
):
    """Wagtail sends page_published when a publish only schedules: a front-end
    told then would find no live page."""
    make_webhook(receiver.url, events=ALL_EVENTS)
    later = ThemePage(
        title="Senare",
        slug="senare",
        description="<p>Om en timme.</p>",
        live=False,
        go_live_at=timezone.now() + datetime.timedelta(hours=1),
    )
    theme.get_parent().add_child(instance=later)

    committed(lambda: later.save_revision().publish())
    assert receiver.received == []

    in_two_hours = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=in_two_hours):
        committed(lambda: call_command("publish_scheduled", stdout=io.StringIO()))

    [request] = receiver.received
    event = json.loads(request.body)
    assert (event["event"], event["object"]["id"]) == ("page.published", later.pk)


def test_a_new_intake_scheduled_for_later_is_announced_when_it_goes_live(
    receiver, theme, committed
):
    make_webhook(receiver.url, events=["snippet.saved"])
    intake = Intake(
        program=theme.get_parent().specific,
        year=2099,
        live=False,
        go_live_at=timezone.now() + datetime.timedelta(hours=1),
    )
    intake.save()

    committed(lambda: intake.save_revision().publish())
    assert receiver.received == []

    in_two_hours = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=in_two_hours):
        committed(lambda: call_command("publish_scheduled", stdout=io.StringIO()))

    [request] = receiver.received
    assert json.loads(request.body)["object"]["id"] == intake.pk


# The URLs an event names are the ones the CDN purge computes for that change.


@pytest.fixture
def purged(settings):
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": "tests.home.fake_cdn.RecordingBackend"}
    }
    fake_cdn.PURGED.clear()
    yield fake_cdn.PURGED
    fake_cdn.PURGED.clear()


def named_and_purged(receiver, purged, committed, action):
    """(URLs the events of ``action`` name, URLs the CDN was told to purge)."""
    receiver.received.clear()
    purged.clear()
    committed(action)
    named = set()
    for request in receiver.received:
        urls = json.loads(request.body)["object"]["urls"]
        assert urls == sorted(urls), "in a stable order"
        named |= set(urls)
    return named, set(purged)


def test_a_published_page_names_its_own_its_parents_and_its_api_urls(
    receiver, purged, theme, committed
):
    make_webhook(receiver.url, events=ALL_EVENTS)

    named, cdn = named_and_purged(receiver, purged, committed, lambda: publish(theme))

    assert named == cdn
    assert {
        f"http://testserver{THEME}",
        "http://testserver/toppolitikerprogrammen/toppolitikerprogrammet/",
        f"http://testserver/api/v2/pages/{theme.pk}/",
        f"http://testserver/api/v3/pages/{theme.get_parent().pk}/",
    } <= named


def test_unpublish_move_and_new_slug_name_what_the_cdn_purges(
    receiver, purged, theme, committed
):
    make_webhook(receiver.url, events=ALL_EVENTS)
    other = ProgramPage.objects.get(slug="toppolitikerprogrammet-fortsattning")

    unpublished = named_and_purged(
        receiver, purged, committed, lambda: theme.unpublish()
    )
    committed(lambda: publish(theme))
    theme.slug = "styrning"
    renamed = named_and_purged(receiver, purged, committed, lambda: publish(theme))
    moved = named_and_purged(
        receiver, purged, committed, lambda: theme.move(other, pos="last-child")
    )

    old, new = (
        "http://testserver/toppolitikerprogrammen/toppolitikerprogrammet/styrning/",
        "http://testserver/toppolitikerprogrammen/"
        "toppolitikerprogrammet-fortsattning/styrning/",
    )
    assert unpublished[0] == unpublished[1]
    # Wagtail's redirects app purges the old path of the redirect it creates
    # too (without its slash): not a URL the site serves a page at.
    assert renamed[0] == renamed[1] - {f"http://testserver{THEME}".rstrip("/")}
    assert moved[0] == moved[1] - {old.rstrip("/")}
    assert {f"http://testserver{THEME}", old} <= renamed[0]
    assert {old, new} <= moved[0]


def test_deleting_a_programme_names_its_urls_and_its_themes(
    receiver, purged, seed_pages, committed
):
    make_webhook(receiver.url, events=["page.deleted"])
    program = seed_pages["/toppolitikerprogrammen/toppolitikerprogrammet/"]

    named, _ = named_and_purged(receiver, purged, committed, program.delete)

    deleted = {json.loads(r.body)["object"]["id"] for r in receiver.received}
    assert program.pk in deleted
    assert len(deleted) == 5, "the programme and its four themes"
    assert {
        "http://testserver/toppolitikerprogrammen/toppolitikerprogrammet/",
        f"http://testserver{THEME}",
        "http://testserver/toppolitikerprogrammen/",
    } <= named


def test_a_snippet_shown_on_pages_names_every_live_page(
    receiver, purged, seed_pages, committed
):
    make_webhook(receiver.url, events=["snippet.saved"])
    facts = ProgramFormat.objects.first()

    named, cdn = named_and_purged(receiver, purged, committed, facts.save)

    assert named == cdn
    for path, page in seed_pages.items():
        if page.live:
            assert f"http://testserver{path}" in named


def test_an_intake_names_its_programme_page_and_what_the_cdn_purges(
    receiver, purged, committed
):
    make_webhook(receiver.url, events=["snippet.saved"])
    intake = Intake.objects.filter(live=True).first()

    named, cdn = named_and_purged(
        receiver, purged, committed, lambda: intake.save_revision().publish()
    )

    assert named == cdn
    page = json.loads(receiver.received[0].body)["object"]["page"]
    assert page["id"] == intake.program_id
    assert page["url"] in named
