"""The server-side rules for a form submission, shared by the HTML page and the API.

One entry point, :func:`submit`, applies them in order: the open window, the
per-client rate limit, the form's own validation (which includes ALTCHA
verification), the honeypot and finally storing the submission (:func:`store`).
A refusal is an exception carrying a Swedish message and the HTTP status an API
should answer with.
"""

import datetime
import hashlib
import math
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The client's address: REMOTE_ADDR, or X-Forwarded-For only from a peer in
# TRUSTED_PROXIES (ALTCHA_TRUSTED_PROXIES), the same rule as the challenge limit.
from altcha_django.ratelimit import client_ip

from serving.log_format import current_request_id

from .forms import ALTCHA_FIELD, HONEYPOT_FIELD
from .models.fields import PROGRAM_CHOICE
from .models.submissions import DeliveryState, Verification, new_reference
from .tasks import schedule_delivery
from .verification_store import spend
from .window import FormWindow

if TYPE_CHECKING:
    from .models.pages import SubmissionFormPage
    from .models.submissions import BaseSubmission

RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
CHALLENGES_PER_SUBMISSION = 6
RATE_LIMITED_MESSAGE = _(
    "Du har skickat många formulär på kort tid. Vänta en stund och försök igen."
)
# The second step of a submission without verification: its token comes with
# the verification error and names the form and the client it was given to.
REVIEW_FIELD = "manual_review"
REVIEW_SALT = "forms.manual-review"
REVIEW_MAX_AGE_SECONDS = 2 * 3600
REVIEW_EXPIRED_MESSAGE = _(
    "Det gick inte att skicka formuläret för manuell granskning. "
    "Skicka formuläret igen."
)
REVIEW_USED_MESSAGE = _(
    "Formuläret är redan skickat för manuell granskning. "
    "Du behöver inte skicka det igen."
)


class SubmissionRefused(Exception):
    """A submission that was not stored; ``message`` is for the person sending it."""

    status_code = 400

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class FormNotOpenYet(SubmissionRefused):
    """The form's opening time has not come: answer 403."""

    status_code = 403


class FormClosed(SubmissionRefused):
    """The form's closing time has passed: answer 410."""

    status_code = 410


class RateLimited(SubmissionRefused):
    """Too many submissions from this client: answer 429 with ``Retry-After``."""

    status_code = 429

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


class InvalidSubmission(SubmissionRefused):
    """The form did not validate (verification included): answer 400.

    ``form`` is the bound form; ``errors`` maps field names to lists of
    ``{"message", "code"}``, with ``"__all__"`` for errors of the whole form.
    """

    status_code = 400

    def __init__(self, form):
        super().__init__(_("Formuläret innehåller fel."))
        self.form = form

    @property
    def errors(self):
        return self.form.errors.get_json_data()


class ReviewAlreadySent(InvalidSubmission):
    """The second step's token was used before: what it sent is stored already.

    Answered like an invalid form (the page again, with the message), but
    without a new offer to send it: a double click or a reload must not send
    it twice.
    """


@dataclass(frozen=True)
class SubmissionResult:
    """What the sender is told: a reference to quote and when it was received.

    ``submission`` is the stored row, or ``None`` when the honeypot caught a bot:
    the bot is answered exactly as a person would be, with a reference that
    looks like any other, so it cannot learn that it was caught.
    """

    reference: str
    submitted_at: datetime.datetime
    submission: object | None = None


def submit(
    page: "SubmissionFormPage",
    data: Mapping[str, Any],
    *,
    client_ip: str,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> SubmissionResult:
    """Apply every rule to ``data`` sent to form ``page`` and store it if allowed.

    ``page`` is a specific ``SubmissionFormPage`` (interest or contact form),
    ``data`` a ``QueryDict`` or a plain dict of field name to value (lists for
    checkboxes and the programme choice, the ALTCHA payload under ``"altcha"``),
    ``client_ip`` the address the rate limit counts against (see
    :func:`client_ip`), ``request`` optional (passed on to verification).

    Returns a :class:`SubmissionResult`. Raises :class:`FormNotOpenYet` (403),
    :class:`FormClosed` (410), :class:`RateLimited` (429, ``retry_after`` seconds)
    or :class:`InvalidSubmission` (400, ``errors`` per field); all derive from
    :class:`SubmissionRefused`, whose ``status_code`` and ``message`` an API can
    answer with directly. Nothing is stored unless it returns a submission.
    """
    check_window(page, now=now)
    check_rate_limit(client_ip)
    form = page.get_form(data, page=page, request=request)
    if not form.is_valid():
        raise InvalidSubmission(form)
    if caught_by_honeypot(data):
        return SubmissionResult(reference=new_reference(), submitted_at=timezone.now())
    submission = page.process_form_submission(form)
    return SubmissionResult(
        reference=submission.reference,
        submitted_at=submission.submit_time,
        submission=submission,
    )


def submit_for_review(
    page: "SubmissionFormPage",
    data: Mapping[str, Any],
    *,
    client_ip: str,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> SubmissionResult:
    """The second step for someone who cannot complete the verification.

    The same rules as :func:`submit` (window, rate limit, fields, honeypot)
    except the proof of work, and in its place: a token from the first step
    (:func:`review_token`) for this form and this client, and a second, much
    narrower rate limit (``FORM_REVIEW_RATE_LIMIT``). What passes is stored as
    unverified: apart from the inbox, and with no receipt. A token sends one
    submission: it is spent in the transaction that stores it, so of two
    requests with one token (on any workers, Redis up or not) one is stored
    and the other raises :class:`ReviewAlreadySent`.
    """
    check_window(page, now=now)
    check_rate_limit(client_ip)
    form = page.get_form(data, page=page, request=request)
    form.fields.pop(ALTCHA_FIELD)
    nonce = review_nonce(data.get(REVIEW_FIELD), page, client_ip)
    if nonce is None:
        raise InvalidSubmission(form_with_message(form, REVIEW_EXPIRED_MESSAGE))
    check_rate_limit(
        client_ip, rate=settings.FORM_REVIEW_RATE_LIMIT, namespace="forms:review-rate"
    )
    if not form.is_valid():
        raise InvalidSubmission(form)
    with transaction.atomic():
        if not spend_review_token(nonce):
            raise ReviewAlreadySent(form_with_message(form, REVIEW_USED_MESSAGE))
        if caught_by_honeypot(data):
            return SubmissionResult(
                reference=new_reference(), submitted_at=timezone.now()
            )
        submission = store(page, form, verification=Verification.UNVERIFIED)
    return SubmissionResult(
        reference=submission.reference,
        submitted_at=submission.submit_time,
        submission=submission,
    )


def review_token(page: "SubmissionFormPage", ip: str) -> str:
    """A signed, expiring token for the second step, for this form and client.

    A bot must make the first request (which counts against the rate limit)
    before each unverified one, from the address that will send it. The nonce
    is what is spent: the signature's timestamp counts whole seconds, so
    without it two tokens given to one client in the same second would be one.
    """
    return signing.dumps(
        {"page": page.pk, "client": client_digest(ip), "nonce": secrets.token_hex(16)},
        salt=REVIEW_SALT,
    )


def review_nonce(token: Any, page: "SubmissionFormPage", ip: str) -> str | None:
    """The nonce of a valid, unexpired token for this form and client, else
    ``None``. Whether it is spent is :func:`spend_review_token`'s business."""
    if not isinstance(token, str) or len(token) > 500:
        return None
    try:
        value = signing.loads(token, salt=REVIEW_SALT, max_age=REVIEW_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("nonce"), str):
        return None
    if (value.get("page"), value.get("client")) != (page.pk, client_digest(ip)):
        return None
    return value["nonce"]


def spend_review_token(nonce: str) -> bool:
    """Claim the token in the database for as long as it could be used:
    ``False`` if it was claimed before. Kept with the spent verifications,
    which ``purge_submissions`` deletes once expired."""
    expires_at = timezone.now() + datetime.timedelta(seconds=REVIEW_MAX_AGE_SECONDS)
    return spend(f"review:{nonce}", expires_at)


def client_digest(ip: str) -> str:
    """The client's address, hashed: neither tokens nor cache keys carry it."""
    return hashlib.sha256(str(ip).encode()).hexdigest()[:32]


def verification_failed(form: forms.Form) -> bool:
    """Whether the verification is among the form's errors (the second step's cue)."""
    return ALTCHA_FIELD in form.errors


def caught_by_honeypot(data: Mapping[str, Any]) -> bool:
    """Whether the field people never see was filled in: any value at all counts,
    ``0`` and ``false`` from JSON included."""
    return data.get(HONEYPOT_FIELD) not in (None, "", [])


def store(
    page: "SubmissionFormPage",
    form: forms.Form,
    *,
    verification: str = Verification.VERIFIED,
    columns: Mapping[str, Any] | None = None,
) -> "BaseSubmission":
    """Store a valid submission to ``page``, then, once committed, queue its e-mail.

    The e-mail never runs inside the transaction: a submission is on disk before
    anything can fail in delivery. ``columns`` are set besides the answers (a
    registration entered by hand: where it came from, and its receipt).
    """
    fields = getattr(form, "builder_fields", None) or list(page.get_form_fields())
    submission_class = page.get_submission_class()
    with transaction.atomic():
        submission = submission_class.objects.create(
            page=page,
            form_title=page.title,
            form_data=answers_as_json(fields, form),
            **purpose_columns(submission_class, fields, form),
            **page.submission_defaults(),
            verification=verification,
            **{**receipt_state(verification), **(columns or {})},
        )
        submission.relate(chosen_programs(fields, form))
        # robust: whatever queueing raises, the stored submission is answered as
        # a success; a 500 here would make the person send it again. The cron
        # command sends what stayed pending.
        # The request's id, as it is now: a commit may run the callback later.
        request_id = current_request_id.get()
        transaction.on_commit(
            lambda: schedule_delivery(submission, request_id), robust=True
        )
    return submission


def receipt_state(verification: str) -> dict[str, str]:
    """An unverified submission gets no receipt: it is skipped from the start."""
    if verification == Verification.VERIFIED:
        return {}
    return {"receipt_state": DeliveryState.SKIPPED}


def answers_as_json(fields: Iterable, form: forms.Form) -> dict[str, Any]:
    """The editors' fields as JSON; programmes by their titles."""
    data = {}
    for field in fields:
        if field.clean_name not in form.cleaned_data:
            continue
        value = form.cleaned_data[field.clean_name]
        if field.field_type == PROGRAM_CHOICE:
            value = [program.title for program in value]
        data[field.clean_name] = value
    return data


def purpose_columns(
    submission_class: type["BaseSubmission"], fields: Iterable, form: forms.Form
) -> dict[str, str]:
    """The searchable columns, each filled from the first field of its purpose."""
    columns = {}
    for field in fields:
        column = submission_class.column_for(field.autocomplete)
        if column is None or column.name in columns:
            continue
        value = form.cleaned_data.get(field.clean_name)
        if isinstance(value, list | tuple):
            value = ", ".join(str(item) for item in value)
        columns[column.name] = str(value or "")[: column.max_length]
    return columns


def chosen_programs(fields: Iterable, form: forms.Form) -> set:
    """Every programme chosen in any programme-choice field."""
    programs: set = set()
    for field in fields:
        if field.field_type == PROGRAM_CHOICE:
            programs.update(form.cleaned_data.get(field.clean_name) or [])
    return programs


def check_window(
    page: "SubmissionFormPage", *, now: datetime.datetime | None = None
) -> None:
    """Refuse a submission outside the page's opening and closing times."""
    state = page.window_state(now)
    if state == FormWindow.NOT_YET_OPEN:
        raise FormNotOpenYet(
            page.window_message(state) or _("Formuläret är inte öppet ännu.")
        )
    if state == FormWindow.CLOSED:
        raise FormClosed(page.window_message(state) or _("Formuläret är stängt."))


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """``"10/m"`` → ``(10, 60)``; ``"0"``, empty or a zero count → ``None`` (off)."""
    text = str(rate or "").strip().lower()
    count, _slash, period = text.partition("/")
    if not count or count == "0":
        return None
    try:
        limit = int(count)
        seconds = RATE_PERIODS[period[:1] or "m"]
    except (KeyError, ValueError) as error:
        raise ValueError(
            f"FORM_RATE_LIMIT must look like '10/m', not {rate!r}"
        ) from error
    return (limit, seconds) if limit > 0 else None


def check_rate_limit(
    ip: str, *, rate: str | None = None, namespace: str = "forms:rate"
) -> None:
    """Count this attempt against the client's fixed window in the shared cache.

    Every attempt counts, valid or not, so guessing at verification costs the same
    as submitting. The cache is Redis in production, so the count holds across
    workers and machines.
    """
    parsed = parse_rate(settings.FORM_RATE_LIMIT if rate is None else rate)
    if parsed is None:
        return
    limit, period = parsed
    count, retry_after = count_hit(namespace, ip, period)
    if count > limit:
        raise RateLimited(RATE_LIMITED_MESSAGE, retry_after=retry_after)


def challenge_allowed(request: HttpRequest) -> bool:
    """Gate for the ALTCHA challenge endpoint (``ALTCHA_CHALLENGE_ENDPOINT_RATELIMIT``).

    A person may fetch a few challenges per submission they are allowed (a reload,
    an expired one), so minting challenges cannot be used to load the server.
    """
    parsed = parse_rate(settings.FORM_RATE_LIMIT)
    if parsed is None:
        return True
    limit, period = parsed
    count, _retry_after = count_hit("forms:challenge-rate", client_ip(request), period)
    return count <= limit * CHALLENGES_PER_SUBMISSION


def count_hit(namespace: str, ip: str, period: int) -> tuple[int, int]:
    """Add one to ``ip``'s count in the current window: (count, seconds left)."""
    now = time.time()
    window = int(now // period)
    key = f"{namespace}:{period}:{window}:{client_digest(ip)}"
    cache.add(key, 0, timeout=period + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        # The key expired between add and incr: this is the window's first hit.
        cache.set(key, 1, timeout=period + 5)
        count = 1
    return count, max(1, math.ceil((window + 1) * period - now))


def form_with_message(form: forms.Form, message: str | Promise) -> forms.Form:
    """``form`` showing only ``message`` as its error, without validating it.

    Used for a refusal that comes before validation (the rate limit): the person
    keeps what they typed, and the verification payload is not spent.
    """
    form._errors = ErrorDict()  # type: ignore[attr-defined]  # Django's own cache
    form.cleaned_data = {}
    form.add_error(None, str(message))
    return form
