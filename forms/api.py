"""The forms JSON API (django-ninja), mounted at ``/api/forms/``.

Another front-end reads a form's definition and submits it here. A submission goes
through the same service, form class and verification as the HTML form, so the two
can never disagree about what is valid. The API is cross-origin and so exempt from
CSRF; the proof-of-work verification and the rate limit protect it instead.

Errors are RFC 9457 problem details (``application/problem+json``).
"""

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ninja import Field, NinjaAPI, Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError

from programs.visibility import public

from . import submitting
from .api_values import ValueType, is_text, value_errors, value_type
from .forms import ALTCHA_FIELD, HONEYPOT_FIELD
from .models.pages import SubmissionFormPage
from .window import FormWindow

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "/api/forms/problems/"

# --- Problem details -------------------------------------------------------------


class Problem(Schema):
    """RFC 9457 problem details; ``errors`` maps a field to its Swedish messages."""

    type: str
    title: str
    status: int
    detail: str = ""
    errors: dict[str, list[str]] | None = None


def problem(
    status: int,
    slug: str,
    title: str | Promise,
    detail: str | Promise = "",
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, object] = {
        "type": f"{PROBLEM_BASE}{slug}" if slug else "about:blank",
        "title": str(title),
        "status": status,
        "detail": str(detail),
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def not_found() -> HttpResponse:
    return problem(
        404,
        "",
        _("Hittades inte"),
        _("Det finns inget publicerat formulär med det id:t."),
    )


# --- The API ---------------------------------------------------------------------


class FormsAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Declare error responses as ``application/problem+json``, as they are sent."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = FormsAPI(
    title="Toppolitikerprogrammen: formulär",
    version="1",
    description=(
        "Read a form's definition and submit it from another front-end.\n\n"
        "Before submitting, fetch a proof-of-work challenge from `challenge_url`, "
        "solve it (the ALTCHA widget does this) and send the base64 solution "
        "payload as `altcha` together with the fields, keyed by their `name`.\n\n"
        "Errors are RFC 9457 problem details (`application/problem+json`) with "
        "`type`, `title`, `status`, `detail` and, for invalid data, `errors`: an "
        "object mapping each field name (or `__all__`) to a list of messages in "
        "Swedish. Problem types, all under "
        f"`{PROBLEM_BASE}`: `validation-error` (400), `invalid-json` (400), "
        "`invalid-request` (400), `form-not-open` (403), `form-closed` (410), "
        "`content-too-large` (413), `unsupported-media-type` (415), "
        "`rate-limited` (429, with `Retry-After` in seconds); "
        "`about:blank` for 404 (no published form with that id)."
    ),
    docs_url=None,
    urls_namespace="forms_api",
)


@api.exception_handler(ValidationError)
def invalid_request(request, exc):
    return problem(
        400, "invalid-request", _("Ogiltig begäran"), _("Begäran kunde inte tolkas.")
    )


# Page ids are 32-bit integers on PostgreSQL; SQLite refuses more than 64 bits.
MAX_PAGE_ID = 2**31 - 1


def get_form_page(request: HttpRequest, page_id: int) -> SubmissionFormPage | None:
    """The live, public form page with this id, or ``None``, looked up kind by
    kind. An alias of a form is no form: what is sent to it would miss the
    source form's inbox."""
    if not 0 < page_id <= MAX_PAGE_ID:
        return None  # no page has it; the databases would refuse the number
    for model in SubmissionFormPage.__subclasses__():
        page = form_pages(model).filter(pk=page_id).first()
        if page is not None:
            return page
    return None


def form_pages(model):
    """The live, public forms of ``model`` that are not aliases."""
    return public(model.objects.live()).filter(alias_of__isnull=True)


class Choice(Schema):
    value: str = Field(
        description="What to send: the choice, or for a programme its page id."
    )
    label: str


class FieldDefinition(Schema):
    name: str = Field(description="The key to send the value under.")
    type: str = Field(description="Form-builder type, e.g. singleline, email, radio.")
    value_type: ValueType = Field(
        description=(
            "The JSON type to send, named as in JSON Schema: `string`, `number`, "
            "`boolean` (a single checkbox: true or false), or `array` (a list of "
            "choice values, strings). Another type is refused with a 400."
        )
    )
    multiple: bool = Field(
        description=(
            "Whether the field takes a list (`value_type` is `array`): the "
            "programme choice, checkboxes, a multiple select. Send the chosen "
            'choices\' `value`s, e.g. `["12"]`; an empty list chooses none.'
        )
    )
    label: str
    help_text: str
    required: bool
    autocomplete: str = Field(description="The HTML autocomplete token, if any.")
    max_length: int | None = None
    choices: list[Choice] | None = Field(
        None, description="For choice fields; programme choice lists live programmes."
    )


class Verification(Schema):
    name: str = Field(description="The key to send the solved payload under.")
    label: str
    help_text: str
    challenge_url: str


class FormDefinition(Schema):
    id: int
    title: str
    intro: str
    state: FormWindow
    is_open: bool
    opens_at: datetime | None
    closes_at: datetime | None
    message: str = Field(description="What to show instead of the form when closed.")
    thank_you_text: str
    privacy_url: str | None
    fields: list[FieldDefinition]
    verification: Verification
    challenge_url: str
    submission_url: str


class SubmissionCreated(Schema):
    reference: str = Field(
        description="A reference the sender can quote, e.g. K7QXM-3PA9R."
    )
    submitted_at: datetime


def field_definition(field, form_field) -> dict[str, Any]:
    choices = getattr(form_field, "choices", None)
    kind = value_type(form_field)
    return {
        "name": field.clean_name,
        "type": field.field_type,
        "value_type": kind,
        "multiple": kind == ValueType.ARRAY,
        "label": str(form_field.label or field.label),
        "help_text": str(field.help_text),
        "required": form_field.required,
        "autocomplete": getattr(field, "autocomplete", ""),
        "max_length": getattr(form_field, "max_length", None),
        "choices": None
        if choices is None
        else [
            {"value": str(value), "label": str(label)}
            for value, label in choices
            if value != ""
        ],
    }


def form_definition_data(page: SubmissionFormPage) -> dict[str, Any]:
    """The form as a front-end needs it, built from the same form class as the page."""
    form = page.get_form(page=page, user=None)
    verification = form.fields[ALTCHA_FIELD]
    state = page.window_state()
    privacy = page.privacy_page
    challenge_url = page.challenge_url
    return {
        "id": page.pk,
        "title": page.title,
        "intro": page.intro,
        "state": state,
        "is_open": state == FormWindow.OPEN,
        "opens_at": page.opens_at,
        "closes_at": page.closes_at,
        "message": page.window_message(state),
        "thank_you_text": page.thank_you_text,
        "privacy_url": privacy.url if privacy and privacy.live else None,
        "fields": [
            field_definition(field, form.fields[field.clean_name])
            for field in page.get_form_fields()
            if field.clean_name in form.fields
        ],
        "verification": {
            "name": ALTCHA_FIELD,
            "label": str(verification.label),
            "help_text": str(verification.help_text),
            "challenge_url": challenge_url,
        },
        "challenge_url": challenge_url,
        "submission_url": page.submission_url,
    }


@api.get(
    "/{int:page_id}",
    response={200: FormDefinition, 404: Problem},
    url_name="definition",
    summary="A form's definition",
)
@decorate_view(decorator_from_middleware(ConditionalGetMiddleware))
def form_definition(request: HttpRequest, response: HttpResponse, page_id: int):
    page = get_form_page(request, page_id)
    if page is None:
        return not_found()
    max_age = settings.API_CACHE_MAX_AGE
    patch_cache_control(response, public=True, max_age=max_age)
    return form_definition_data(page)


SUBMISSION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": (
                        "The form's fields keyed by their `name` from the form "
                        "definition, each a value of its `value_type` (a list of "
                        "strings where `multiple` is true), plus `altcha`: the "
                        "solved challenge payload. A value of another type, null "
                        "included, is a 400 naming the field; leave out a field "
                        "you do not answer."
                    ),
                    "properties": {"altcha": {"type": "string"}},
                    "required": ["altcha"],
                    "additionalProperties": {
                        "oneOf": [
                            {"type": "string"},
                            {"type": "number"},
                            {"type": "boolean"},
                            {"type": "array", "items": {"type": "string"}},
                        ]
                    },
                }
            }
        },
    }
}


@api.post(
    "/{int:page_id}/submissions",
    response={
        201: SubmissionCreated,
        400: Problem,
        403: Problem,
        404: Problem,
        410: Problem,
        413: Problem,
        415: Problem,
        429: Problem,
    },
    url_name="submit",
    summary="Submit a form",
    openapi_extra=SUBMISSION_BODY,
)
def submit_form(request: HttpRequest, page_id: int):
    page = get_form_page(request, page_id)
    if page is None:
        return not_found()
    data = parse_json_object(request)
    if isinstance(data, HttpResponse):
        return data
    # The type check and the submission read the form's fields once between them.
    prefetch_related_objects([page], "form_fields")
    if errors := type_errors(page, data):
        return problem(
            400,
            "validation-error",
            _("Formuläret innehåller fel"),
            _("Formuläret innehåller fel."),
            errors=errors,
        )
    try:
        result = submitting.submit(
            page, data, client_ip=submitting.client_ip(request), request=request
        )
    except submitting.SubmissionRefused as refusal:
        return refused(refusal)
    return created(result)


def parse_json_object(request: HttpRequest) -> dict[str, Any] | HttpResponse:
    if request.content_type != "application/json":
        return problem(
            415,
            "unsupported-media-type",
            _("Fel innehållstyp"),
            _("Skicka formuläret som JSON (Content-Type: application/json)."),
        )
    try:
        data = json.loads(request.body or b"null", parse_constant=refuse_constant)
    except RequestDataTooBig:
        return problem(
            413,
            "content-too-large",
            _("För mycket data"),
            _("Formuläret är för stort."),
        )
    except (ValueError, RecursionError):
        # RecursionError: a small body can nest arrays deeper than the parser goes.
        data = None
    if not isinstance(data, dict) or not all(map(is_text, data)):
        return problem(
            400,
            "invalid-json",
            _("Ogiltig JSON"),
            _("Skicka ett JSON-objekt med fälten."),
        )
    return data


def refuse_constant(name: str):
    """NaN and Infinity are not JSON (RFC 8259), though Python's parser takes them."""
    raise ValueError(f"{name} is not JSON")


SCALARS = (str, int, float, bool, type(None))


def is_scalar(value: Any) -> bool:
    if isinstance(value, str):
        return is_text(value)
    return isinstance(value, SCALARS)


def type_errors(page: SubmissionFormPage, data: dict[str, Any]) -> dict[str, list[str]]:
    """Values of a type their field does not take (``forms.api_values``), and
    anything but scalars or lists of them under other keys (the honeypot, which
    must take what a bot sends, and keys no field has).

    Checked before the form, so a refusal spends no verification.
    """
    formfields = dict(page.get_form_class().base_fields)
    formfields.pop(HONEYPOT_FIELD, None)
    errors = value_errors(formfields, data)
    for name, value in data.items():
        if name in formfields:
            continue
        if not is_scalar(value) and not (
            isinstance(value, list) and all(is_scalar(v) for v in value)
        ):
            errors[name] = ["Ogiltigt värde."]
    return errors


REFUSALS = {
    submitting.InvalidSubmission: ("validation-error", _("Formuläret innehåller fel")),
    submitting.FormNotOpenYet: ("form-not-open", _("Formuläret är inte öppet ännu")),
    submitting.FormClosed: ("form-closed", _("Formuläret är stängt")),
    submitting.RateLimited: ("rate-limited", _("För många inskickade formulär")),
}


def refused(refusal: submitting.SubmissionRefused) -> HttpResponse:
    """The service's refusal as problem details, with the status it asks for."""
    slug, title = REFUSALS.get(
        type(refusal), ("refused", _("Formuläret togs inte emot"))
    )
    errors, headers = None, {}
    if isinstance(refusal, submitting.InvalidSubmission):
        errors = {
            name: [str(error["message"]) for error in field_errors]
            for name, field_errors in refusal.errors.items()
        }
    if isinstance(refusal, submitting.RateLimited):
        headers["Retry-After"] = str(refusal.retry_after)
    return problem(
        refusal.status_code,
        slug,
        title,
        str(refusal.message),
        errors=errors,
        headers=headers,
    )


def created(result: submitting.SubmissionResult) -> JsonResponse:
    """201 with what the sender needs and nothing of what was sent. A submission
    the honeypot caught gets the same answer, so a bot cannot tell."""
    return JsonResponse(
        {"reference": result.reference, "submitted_at": result.submitted_at},
        status=201,
    )
