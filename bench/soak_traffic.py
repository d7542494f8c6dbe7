"""The soak test's clients: page and API reads and interest submissions.

Submissions are what a real visitor sends: a challenge fetched from the server's
``/altcha/challenge/``, solved by proof of work (in a small process pool, so the
client threads keep their pace), then either the HTML form (GET the page, POST
urlencoded with the browser's Origin header; the form takes no CSRF token) or
the JSON API. Each carries a unique e-mail
address, so reconciliation can find exactly its row and its two messages.
"""

import contextlib
import datetime
import html
import http.client
import http.cookies
import itertools
import json
import multiprocessing
import queue
import random
import re
import signal
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from altcha import Challenge, Payload, solve_challenge

LOOPBACK = "127.0.0.1"
TIMEOUT = 15  # seconds; a request that takes longer counts as unanswered
PAGE, API, CHALLENGE = "page", "api", "challenge"
HTML_SUBMIT, API_SUBMIT = "html-submit", "api-submit"
# A spent verification sent again with new data: it must be refused.
REPLAY = "replay"
KINDS = (PAGE, API, CHALLENGE, HTML_SUBMIT, API_SUBMIT, REPLAY)
READS = (PAGE, API, CHALLENGE)
SUBMITS = (HTML_SUBMIT, API_SUBMIT)
EMAIL_DOMAIN = "example.se"


@dataclass
class Result:
    kind: str
    phase: str  # the phase the request was sent in
    sent_at: float  # seconds into the run
    ms: float
    status: int | None  # None: no answer (refused, reset, timed out)
    ok: bool  # a read answered 200, a submission acknowledged
    note: str = ""
    email: str = ""  # submissions only


@dataclass
class Answer:
    status: int | None
    headers: http.client.HTTPMessage | None
    body: bytes
    ms: float
    error: str = ""


def send(port, method, path, body=None, headers=None):
    """One request on a fresh connection, so a keep-alive connection the server
    closed while idle is never mistaken for a failure of the server."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return Answer(response.status, response.headers, data, elapsed(started))
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, None, b"", elapsed(started), type(error).__name__)
    finally:
        conn.close()


def elapsed(started):
    return (time.perf_counter() - started) * 1000


# --- What the site offers ----------------------------------------------------------


@dataclass
class Site:
    """The URLs and the interest form, discovered through the read API."""

    port: int
    pages: list
    api: list
    form_id: int
    form_path: str
    definition: dict

    @classmethod
    def discover(cls, port):
        programmes = get_json(port, "/api/v2/pages/?type=programs.ProgramPage")
        themes = get_json(port, "/api/v2/pages/?type=programs.ThemePage")
        forms = get_json(port, "/api/v2/pages/?type=forms.InterestFormPage")
        form = forms["items"][0]
        definition = get_json(port, f"/api/forms/{form['id']}")
        if definition["state"] != "open":
            raise RuntimeError(f"the interest form is {definition['state']}")
        pages = ["/", "/toppolitikerprogrammen/", "/kontakt/"]
        pages += [html_path(item) for item in programmes["items"] + themes["items"]]
        api = [
            "/api/v2/pages/?type=programs.ProgramPage&fields=*",
            f"/api/forms/{form['id']}",
            f"/api/v2/pages/{programmes['items'][0]['id']}/",
        ]
        return cls(port, pages, api, form["id"], html_path(form), definition)

    def answers(self, n, email):
        """Values for every field of the form, built from its definition."""
        return {f["name"]: field_value(f, n, email) for f in self.definition["fields"]}


def get_json(port, path):
    answer = send(port, "GET", path)
    if answer.status != 200:
        raise RuntimeError(f"GET {path} answered {answer.status or answer.error}")
    return json.loads(answer.body)


def html_path(item):
    return urlsplit(item["meta"]["html_url"]).path


def field_value(field, n, email):
    kind, purpose = field["type"], field.get("autocomplete") or ""
    choices = [choice["value"] for choice in field.get("choices") or []]
    if kind == "email" or purpose == "email":
        value = email
    elif kind in ("checkboxes", "multiselect", "program_choice"):
        return choices[:1]
    elif kind in ("radio", "dropdown"):
        return choices[0] if choices else ""
    elif kind == "checkbox":
        return True
    elif kind == "number":
        value = "1"
    elif kind == "date":
        value = datetime.date.today().isoformat()
    elif kind == "url":
        value = "https://example.se/"
    elif kind == "multiline":
        value = f"Soaktest nummer {n}."
    else:
        value = {
            "name": f"Soak Testsson {n}",
            "tel": "070-123 45 67",
            "organization": "Soakkommun",
        }.get(purpose, f"Soak {n}")
    return value[: field.get("max_length") or None]


# --- Recording -----------------------------------------------------------------


class Requests:
    """Sends requests and records each with the phase it was sent in."""

    def __init__(self, port, timeline, record):
        self.port = port
        self.timeline = timeline
        self.record = record

    def __call__(self, kind, method, path, ok, body=None, headers=None, email=""):
        """``ok(answer)`` says whether the answer is a success for this kind;
        for a failure the note says why (no answer, or the refusal's text)."""
        phase, sent_at = self.timeline.phase, self.timeline.now()
        answer = send(self.port, method, path, body, headers)
        success = answer.status is not None and ok(answer)
        note = answer.error or ("" if success else refusal_note(path, answer))
        self.record(
            Result(kind, phase, sent_at, answer.ms, answer.status, success, note, email)
        )
        return answer, success

    def read(self, kind, path):
        answer, _ok = self(kind, "GET", path, lambda a: a.status == 200)
        return answer


def refusal_note(path, answer):
    """Why an answer is not a success: the form's errors, the problem's, or
    at least which URL it was."""
    if answer.status == 200:
        return html_note(answer.body) or path
    if 400 <= answer.status < 500:
        return problem_note(answer.body) or path
    return path


# --- Verification ------------------------------------------------------------------


def solve(challenge_data):
    """Runs in a pool process: the solved payload, base64, or None."""
    challenge = Challenge.from_dict(challenge_data)
    solution = solve_challenge(challenge, timeout=60)
    return Payload(challenge, solution).to_base64() if solution else None


class Verifications:
    """A stock of solved payloads for challenges fetched from the server.

    Fetching a challenge is a request like any other and is recorded as a read.
    """

    def __init__(self, requests, processes, stopping, stock=16):
        self.requests = requests
        self.stopping = stopping
        self.ready = queue.Queue(maxsize=stock)
        # spawn, not fork: the harness has threads (SMTP sink, clients). The
        # solvers ignore Ctrl-C: the harness stops them as part of its cleanup.
        self.pool = multiprocessing.get_context("spawn").Pool(
            processes,
            initializer=signal.signal,
            initargs=(signal.SIGINT, signal.SIG_IGN),
        )
        self.threads = [
            threading.Thread(target=self.produce, name=f"solver-{i}", daemon=True)
            for i in range(processes)
        ]

    def start(self):
        for thread in self.threads:
            thread.start()

    def produce(self):
        while not self.stopping.is_set():
            answer = self.requests.read(CHALLENGE, "/altcha/challenge/")
            if answer.status != 200:
                self.stopping.wait(0.5)
                continue
            try:
                job = self.pool.apply_async(solve, (json.loads(answer.body),))
                payload = job.get(timeout=90)
            except (AttributeError, ValueError, multiprocessing.TimeoutError):
                continue  # the pool was closed under us, or the solve hung
            while payload and not self.stopping.is_set():
                try:
                    self.ready.put(payload, timeout=0.5)
                    break
                except queue.Full:
                    continue

    def take(self):
        try:
            return self.ready.get_nowait()
        except queue.Empty:
            return None

    def give_back(self, payload):
        """An unsent payload is still good (it is spent only when verified)."""
        with contextlib.suppress(queue.Full):
            self.ready.put_nowait(payload)

    def close(self):
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


# --- Submitting ----------------------------------------------------------------------


ERROR_SUMMARY = re.compile(rb'<div class="error-summary".*?</div>', re.S)
TAGS = re.compile(r"<[^>]+>")


def submit_json(requests, site, kind, n, email, payload):
    """POST the form as JSON; 201 is an acknowledgement."""
    body = json.dumps({**site.answers(n, email), "altcha": payload})
    _answer, ok = requests(
        kind,
        "POST",
        f"/api/forms/{site.form_id}/submissions",
        ok=lambda a: a.status == 201,
        body=body.encode(),
        headers={"Content-Type": "application/json"},
        email=email,
    )
    return ok


def submit_html(requests, site, n, email, payload):
    """GET the form page (a page read), POST the fields urlencoded from the same
    origin as a browser does, follow the redirect to the thank-you page (a page
    read). False if the form page could not be read, so nothing was submitted."""
    form = requests.read(PAGE, site.form_path)
    if form.status != 200:
        return False
    fields = {
        name: "on" if value is True else value
        for name, value in site.answers(n, email).items()
    }
    fields.update(altcha=payload)
    answer, ok = requests(
        HTML_SUBMIT,
        "POST",
        site.form_path,
        # Acknowledged: a 303 to the thank-you page, or (before the redirect
        # existed) the thank-you page itself.
        ok=lambda a: a.status == 303 or (a.status == 200 and b"form-thanks" in a.body),
        body=urlencode(fields, doseq=True).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://{LOOPBACK}:{requests.port}",
        },
        email=email,
    )
    if ok and answer.status == 303:
        location = urlsplit(answer.headers.get("Location", ""))
        thanks = location.path + (f"?{location.query}" if location.query else "")
        requests.read(PAGE, thanks or site.form_path)
    return True


# --- Clients -------------------------------------------------------------------------


class Client(threading.Thread):
    """One visitor-like loop: mostly reads, a submission whenever a solved
    verification is in stock and the dice say so; a short pause in between.

    Submissions alternate between the HTML form and the JSON API. Payloads of
    acknowledged API submissions are kept in ``spent`` for the replay probes.
    """

    numbers = itertools.count(1)  # submission numbers, shared by all clients

    def __init__(self, index, site, requests, verifications, stopping, mix, spent):
        super().__init__(name=f"client-{index}", daemon=True)
        self.site = site
        self.requests = requests
        self.verifications = verifications
        self.stopping = stopping
        self.mix = mix
        self.spent = spent
        self.random = random.Random(index)

    def run(self):
        while not self.stopping.is_set():
            self.step()
            self.stopping.wait(self.mix["think"])

    def step(self):
        roll = self.random.random()
        if roll < self.mix["submit"]:
            payload = self.verifications.take()
            if payload:
                self.submit(payload)
                return
        if roll < self.mix["submit"] + self.mix["api"]:
            self.requests.read(API, self.random.choice(self.site.api))
        else:
            self.requests.read(PAGE, self.random.choice(self.site.pages))

    def submit(self, payload):
        n = next(self.numbers)
        email = f"soak-{n:05d}@{EMAIL_DOMAIN}"
        if n % 2 == 0:
            if not submit_html(self.requests, self.site, n, email, payload):
                self.verifications.give_back(payload)
        elif submit_json(self.requests, self.site, API_SUBMIT, n, email, payload):
            self.spent.append((self.requests.timeline.now(), payload))


class ReplayProbes:
    """Send a verification spent before Redis was killed again, with new data:
    once while Redis is down, once after it came back empty. Both must be
    refused, so a spent verification has to be remembered outside Redis.

    ``tick()`` is called about twice a second by the harness.
    """

    def __init__(self, requests, site, spent, redis_fault):
        self.requests = requests
        self.site = site
        self.spent = spent
        self.fault = redis_fault
        self.outcomes = {}  # label -> "refused (400)" / "ACCEPTED (201)" / why not

    def tick(self):
        now, fault = self.requests.timeline.now(), self.fault
        if fault.injected_at is None:
            return
        if fault.recovered_at is None and now > fault.injected_at + 1:
            self.probe("while Redis was down")
        elif fault.recovered_at is not None and now > fault.recovered_at + 1:
            self.probe("after Redis came back empty")

    def probe(self, label):
        if label in self.outcomes:
            return
        earlier = [payload for at, payload in self.spent if at < self.fault.injected_at]
        if not earlier:
            self.outcomes[label] = "not probed (no API submission before the kill)"
            return
        n = len(self.outcomes) + 1
        email = f"soak-replay-{n}@{EMAIL_DOMAIN}"
        accepted = submit_json(self.requests, self.site, REPLAY, n, email, earlier[-1])
        self.outcomes[label] = "ACCEPTED" if accepted else "refused"


def problem_note(body):
    try:
        problem = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(problem, dict):
        return ""
    return str(problem.get("errors") or problem.get("detail") or "")[:160]


def html_note(body):
    """The form's error summary as text, to say why a submission was refused."""
    summary = ERROR_SUMMARY.search(body)
    if not summary:
        return ""
    text = html.unescape(TAGS.sub(" ", summary.group(0).decode(errors="replace")))
    return " ".join(text.split())[:160]
