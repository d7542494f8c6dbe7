"""Two app servers and two task workers on one PostgreSQL and one Redis.

Instance A and instance B are each what one machine of a cluster runs: gunicorn
(production settings), ``task_worker`` and cron's ``publish_scheduled`` (here a
loop every half second). They share a PostgreSQL cluster, a Redis, an SMTP sink
and an HTTPS webhook receiver, all the test's own. Readers and senders of the
interest form (the JSON forms API, with solved verifications) use both.

1. A publish through A's v3 API is what B serves at the next request, though
   B had the old page in its cache.
2. Pages scheduled to go live during the run are published once (one log
   entry each) and announced once (one webhook delivery per event, received
   once), although both machines run ``publish_scheduled`` all the time.
3. Every 201 is a stored row and every row got its notification and receipt,
   once each.
4. Then A is killed (SIGKILL: gunicorn, its worker, its cron) mid-traffic: B
   answers every request, no acknowledged submission is lost, and what A left
   is done by B's worker: the queue, and the task A's worker held, which B's
   worker gives back to the queue once A's heartbeat is older than
   ``WORKER_HEARTBEAT_MAX_AGE`` (4 s here), with no cron job's help. Only a
   submission A committed but was killed before queueing (no answer reached its
   sender) waits for cron's ``retry_failed_deliveries``, which the test runs.
"""

import http.client
import json
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter
from itertools import count

import psycopg
import pytest

from tests.factories import answers, valid_data
from tests.home.receiver import Receiver
from tests.home.receiver import start as start_receiver
from tests.verification import solved_payload

from .conftest import Process, environment, http_get, manage, wait_for

pytestmark = pytest.mark.fault

RECIPIENT = "programansvarig@exempel.se"
THEME = "/toppolitikerprogrammen/toppolitikerprogrammet/styrning-och-ledning/"
READS = ["/", "/toppolitikerprogrammen/", THEME, "/api/v2/pages/"]
SCHEDULED = 3

SETUP = f"""
import json
from django.contrib.auth import get_user_model
from wagtail.models import APIToken, Page
from forms.models import ContactFormPage, InterestFormPage
from webhooks.models import Webhook
for model in (InterestFormPage, ContactFormPage):
    model.objects.update(to_address={RECIPIENT!r})
admin = get_user_model().objects.create_superuser("drift", "drift@skr.se", "x")
_token, plaintext = APIToken.create_token(user=admin, name="Flera servrar")
theme = Page.objects.get(url_path__endswith={THEME!r}).specific
theme.title = "Styrning och ledning i flera servrar"
theme.save_revision(user=admin)
Webhook.objects.create(name="Mottagare", url=__import__("os").environ["HOOK_URL"],
                       events=["page.published"])
print(json.dumps({{"token": plaintext, "theme": theme.pk,
                  "form": InterestFormPage.objects.get().pk}}))
"""

# Themes that go live a few seconds from now, while both machines run cron.
SCHEDULE = f"""
import datetime, json
from django.utils import timezone
from programs.models import ProgramPage, ThemePage
program = ProgramPage.objects.get(slug="toppolitikerprogrammet")
ids = []
for number in range({SCHEDULED}):
    theme = ThemePage(title=f"Schemalagt tema {{number}}",
                      slug=f"schemalagt-tema-{{number}}", description="<p>Snart.</p>",
                      live=False,
                      go_live_at=timezone.now() + datetime.timedelta(seconds=3))
    program.add_child(instance=theme)
    theme.save_revision().publish()
    ids.append(theme.pk)
print(json.dumps(ids))
"""


def post(port, path, body, headers=None, timeout=30):
    """(status, parsed body) of a JSON POST, or (None, None) without an answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    except (OSError, http.client.HTTPException, ValueError):
        return None, None
    finally:
        connection.close()


def get_status(port, path):
    try:
        return http_get(port, path, timeout=20)[0]
    except OSError as error:  # HTTPError is one, with its status
        return getattr(error, "code", None)


class Traffic:
    """Readers and senders on every port in turn until stopped; what each got."""

    def __init__(self, ports, form, prefix, readers=2, senders=2):
        self.ports, self.form, self.prefix = ports, form, prefix
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.reads = []  # (port, path, status, monotonic time)
        self.sent = []  # (port, e-mail address, status, monotonic time)
        self.numbers = count()
        self.threads = [
            threading.Thread(target=self.read, args=(index,), daemon=True)
            for index in range(readers)
        ] + [
            threading.Thread(target=self.send, args=(index,), daemon=True)
            for index in range(senders)
        ]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def read(self, offset):
        for step in count(offset):
            if self.stopping.is_set():
                return
            # Every path from every port: the ports in turn, then the next path.
            port = self.ports[step % len(self.ports)]
            path = READS[step // len(self.ports) % len(READS)]
            status = get_status(port, path)
            with self.lock:
                self.reads.append((port, path, status, time.monotonic()))
            self.stopping.wait(0.05)

    def send(self, offset):
        for step in count(offset):
            if self.stopping.is_set():
                return
            number = next(self.numbers)
            address = f"{self.prefix}{number}@exempel.se"
            body = {
                **valid_data(self.form),
                **answers(
                    self.form,
                    name=f"Flera {number}",
                    email=address,
                    altcha=solved_payload(),
                ),
            }
            port = self.ports[step % len(self.ports)]
            status, _answer = post(port, self.form["submission_url"], json.dumps(body))
            with self.lock:
                self.sent.append((port, address, status, time.monotonic()))
            self.stopping.wait(0.2)

    def acknowledged(self):
        return {address for _port, address, status, _at in self.sent if status == 201}


def rows(db_url, sql, *params):
    with psycopg.connect(db_url.replace("postgres://", "postgresql://")) as db:
        return db.execute(sql, params).fetchall()


def tasks(db_url, status):
    """The task queue's rows in ``status``: id -> the workers that claimed it."""
    found = rows(
        db_url,
        "SELECT id::text, worker_ids FROM django_tasks_database_dbtaskresult"
        " WHERE status = %s",
        status,
    )
    return dict(found)


def held_by_a(db_url):
    """The tasks A's worker is running (or held when it was killed)."""
    return [pk for pk, workers in tasks(db_url, "RUNNING").items() if workers == ["a"]]


def deliveries(db_url, prefix):
    """Each stored submission of this phase: e-mail -> (notification, receipt)."""
    found = rows(
        db_url,
        "SELECT email, notification_state, receipt_state FROM forms_interestsubmission"
        " WHERE email LIKE %s",
        f"{prefix}%",
    )
    return {email: (notification, receipt) for email, notification, receipt in found}


def all_sent(db_url, prefix):
    return all(
        states == ("sent", "sent") for states in deliveries(db_url, prefix).values()
    )


def mails_per_address(sink, prefix):
    """How many messages name each sender of the phase (receipt and notification)."""
    counted = Counter()
    for message in list(sink.messages):
        for address in set(_addresses(message, prefix)):
            counted[address] += 1
    return counted


def _addresses(message, prefix):
    start = 0
    while (start := message.find(prefix, start)) != -1:
        end = message.find("@exempel.se", start)
        yield message[start : end + len("@exempel.se")]
        start = end


@pytest.fixture
def tls_receiver(tmp_path):
    """An HTTPS webhook receiver with a certificate the workers trust."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    receiver = Receiver()
    server = start_receiver(receiver, tls=context)
    yield receiver, cert
    server.shutdown()


def test_two_instances_share_one_database_and_one_redis_and_lose_nothing(
    private_postgres,
    private_redis,
    smtp_sink,
    tls_receiver,
    start_gunicorn,
    start_worker,
    static_root,
    tmp_path,
):
    receiver, cert = tls_receiver
    db_url = private_postgres.create_database("several")
    cluster = {
        "DATABASE_URL": db_url,
        "REDIS_URL": private_redis.url,
        "EMAIL_URL": smtp_sink.url,
        "SINGLE_MACHINE": "0",
        "STATIC_ROOT": static_root,
        "FORM_RATE_LIMIT": "0",
        "API_RATE_LIMIT": "0",
        "WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "1",
        "SSL_CERT_FILE": str(cert),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "4",
        "HOOK_URL": receiver.url,
        # Short, so B's worker gives back A's task soon after A is killed.
        "WORKER_HEARTBEAT_MAX_AGE": "4",
    }
    env = environment(**cluster)
    setup = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])

    machines = {}
    for name in ("a", "b"):
        port, server = start_gunicorn(**cluster)
        worker = start_worker(env, f"worker-{name}", "--worker-id", name)
        cron = Process(
            [sys.executable, "-m", "tests.live.cron", "0.5", "publish_scheduled"],
            env,
            tmp_path / f"cron-{name}.log",
        )
        machines[name] = (port, server, worker, cron)
    port_a, port_b = machines["a"][0], machines["b"][0]
    form = json.loads(http_get(port_b, f"/api/forms/{setup['form']}")[1])

    try:
        with Traffic([port_a, port_b], form, "forst") as first:
            # 1. Published through A, seen at B's next request.
            old = http_get(port_b, THEME)[1].decode()
            assert "Styrning och ledning" in old and "flera servrar" not in old
            status, page = post(
                port_a,
                f"/api/v3/pages/{setup['theme']}/actions/publish/",
                "{}",
                {"Authorization": f"Bearer {setup['token']}"},
            )
            assert status == 200, page
            assert "Styrning och ledning i flera servrar" in (
                http_get(port_b, THEME)[1].decode()
            )

            # 2. Scheduled pages go live while both machines run cron.
            scheduled = json.loads(
                manage(env, "shell", "-c", SCHEDULE).strip().splitlines()[-1]
            )
            wait_for(
                lambda: (
                    rows(
                        db_url,
                        "SELECT count(*) FROM wagtailcore_page"
                        " WHERE live AND id = ANY(%s)",
                        scheduled,
                    )[0][0]
                    == SCHEDULED
                ),
                30,
                message="the scheduled pages to go live",
            )
            time.sleep(2)  # traffic on the published site, and cron runs again

        acknowledged = first.acknowledged()
        assert acknowledged and all(s == 201 for *_x, s, _t in first.sent), first.sent
        assert all(s == 200 for *_x, s, _t in first.reads), first.reads
        wait_for(lambda: all_sent(db_url, "forst"), 60, message="the e-mail")

        # Each scheduled page published once, announced once, received once.
        published = rows(
            db_url,
            "SELECT page_id, count(*) FROM wagtailcore_pagelogentry"
            " WHERE action = 'wagtail.publish.scheduled' AND page_id = ANY(%s)"
            " GROUP BY page_id",
            scheduled,
        )
        assert sorted(published) == sorted((pk, 1) for pk in scheduled)
        events = [
            json.loads(body)
            for (body,) in rows(
                db_url,
                "SELECT body FROM home_webhookdelivery WHERE event = 'page.published'",
            )
        ]
        announced = Counter(event["object"]["id"] for event in events)
        assert all(announced[pk] == 1 for pk in scheduled), announced
        wait_for(
            lambda: len(receiver.received) >= len(events), 30, message="the webhooks"
        )
        time.sleep(1)  # a second delivery of an event would have come by now
        received = Counter(hook.headers["webhook-id"] for hook in receiver.received)
        assert received == Counter(event["id"] for event in events)

        # 3. Every 201 stored, every row mailed: notification and receipt, once.
        assert set(deliveries(db_url, "forst")) == acknowledged
        assert mails_per_address(smtp_sink, "forst") == dict.fromkeys(acknowledged, 2)

        # 4. A goes down mid-traffic, with e-mail queued behind a slow relay.
        smtp_sink.delay = 1.0
        with Traffic([port_a, port_b], form, "andra") as second:
            wait_for(
                lambda: len(tasks(db_url, "READY")) >= 4 and held_by_a(db_url),
                30,
                message="a queue, and A's worker in the middle of a task",
            )
            killed_at = time.monotonic()
            for process in machines["a"][1:]:
                process.kill()
            left = tasks(db_url, "READY")
            held = held_by_a(db_url)
            time.sleep(4)
        smtp_sink.delay = 0.0

        after = [read for read in second.reads if read[3] > killed_at + 0.5]
        at_b = [read for read in after if read[0] == port_b]
        assert at_b and all(status == 200 for _p, _x, status, _t in at_b), at_b
        sent_to_b = [s for s in second.sent if s[0] == port_b and s[3] > killed_at]
        assert sent_to_b and all(s[2] == 201 for s in sent_to_b), sent_to_b

        # What A left in the queue, B's worker runs; what A's worker held (one
        # task, unless killed between two), B's worker gives back once A's beat
        # is stale, and runs too.
        assert len(held) <= 1, held
        wait_for(
            lambda: not tasks(db_url, "READY") and not tasks(db_url, "RUNNING"),
            60,
            message="B's worker, with A's task",
        )
        done = tasks(db_url, "SUCCESSFUL")
        assert all(done.get(pk) and done[pk][-1] == "b" for pk in left), (left, done)
        assert all(done.get(pk) == ["a", "b"] for pk in held), (held, done)

        acknowledged = second.acknowledged()
        # A killed between a submission's commit and its queueing leaves that
        # one "pending" with no task (its sender got no answer): cron's
        # retry_failed_deliveries sends it, as it would in production.
        if not all_sent(db_url, "andra"):
            manage(env, "retry_failed_deliveries", "--pending-after-minutes", "0")
            wait_for(lambda: all_sent(db_url, "andra"), 60, message="cron's retry")
        stored = deliveries(db_url, "andra")
        assert acknowledged <= set(stored), acknowledged - set(stored)
        assert all(states == ("sent", "sent") for states in stored.values()), stored
        mailed = mails_per_address(smtp_sink, "andra")
        assert all(mailed[address] >= 2 for address in stored), mailed
        # A message twice only if A's worker died between SMTP and its record.
        assert sum(mailed.values()) - 2 * len(stored) <= len(held), mailed
        assert machines["b"][1].alive and machines["b"][2].alive
    finally:
        for _port, _server, _worker, cron in machines.values():
            cron.stop()
