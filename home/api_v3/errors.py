"""Wagtail's v3 exception handlers, replaced by ones that answer in Swedish.

The handlers map the same exceptions to the same statuses as Wagtail's own
(``wagtail.api.v3.errors``); what changes is the language, the problem ``type``
and that validation messages are Swedish for every error a client can cause.
Wagtail's actions raise their own permission and integrity errors, which its
API leaves to become server errors in some routes: each is mapped here.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404

from wagtail.actions.convert_alias import ConvertAliasPageError
from wagtail.actions.copy_for_translation import ParentNotTranslatedError
from wagtail.actions.copy_page import CopyPageIntegrityError
from wagtail.actions.create_alias import CreatePageAliasIntegrityError
from wagtail.actions.revert_to_page_revision import RevertToPageRevisionError
from wagtail.api.rich_text import RichTextFormatError
from wagtail.utils.forms import FormValidationError

from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

from .problems import problem_response

# Pydantic's error types, said in Swedish. ``{…}`` are filled from the error's
# context (``ctx``); a type not listed gets the general message.
PYDANTIC_MESSAGES = {
    "missing": "Värdet saknas.",
    "extra_forbidden": "Fältet är okänt.",
    "int_parsing": "Ange ett heltal.",
    "int_type": "Ange ett heltal.",
    "int_from_float": "Ange ett heltal.",
    "float_parsing": "Ange ett tal.",
    "float_type": "Ange ett tal.",
    "bool_parsing": "Ange true eller false.",
    "bool_type": "Ange true eller false.",
    "string_type": "Ange en text.",
    "list_type": "Ange en lista.",
    "dict_type": "Ange ett objekt.",
    "model_type": "Ange ett objekt.",
    "model_attributes_type": "Ange ett objekt.",
    "json_invalid": "Begärans innehåll är inte giltig JSON.",
    "json_type": "Begärans innehåll är inte giltig JSON.",
    "greater_than": "Värdet måste vara större än {gt}.",
    "greater_than_equal": "Värdet måste vara minst {ge}.",
    "less_than": "Värdet måste vara mindre än {lt}.",
    "less_than_equal": "Värdet får vara högst {le}.",
    "string_too_short": "Texten måste ha minst {min_length} tecken.",
    "string_too_long": "Texten får ha högst {max_length} tecken.",
    "too_short": "Listan måste ha minst {min_length} poster.",
    "too_long": "Listan får ha högst {max_length} poster.",
    "string_pattern_mismatch": "Texten har fel form.",
    "literal_error": "Tillåtna värden: {expected}.",
    "enum": "Tillåtna värden: {expected}.",
    "union_tag_invalid": "Okänd sidtyp: {tag}.",
    "union_tag_not_found": "Sidtypen (meta.type) saknas.",
    "date_parsing": "Ange ett datum (ÅÅÅÅ-MM-DD).",
    "date_from_datetime_parsing": "Ange ett datum (ÅÅÅÅ-MM-DD).",
    "datetime_parsing": "Ange en tidpunkt (ÅÅÅÅ-MM-DDTTT:MM).",
    "datetime_from_date_parsing": "Ange en tidpunkt (ÅÅÅÅ-MM-DDTTT:MM).",
    "time_parsing": "Ange en tid (TT:MM).",
    "uuid_parsing": "Ange ett UUID.",
    "url_parsing": "Ange en giltig webbadress.",
    "value_error": "Ogiltigt värde.",
}
GENERAL_MESSAGE = "Ogiltigt värde."


def swedish(error: dict) -> str:
    template = PYDANTIC_MESSAGES.get(error.get("type", ""), GENERAL_MESSAGE)
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return GENERAL_MESSAGE


def pydantic_errors(errors) -> list[dict]:
    """Each error as ``loc``, ``type`` and a Swedish ``msg``; never the input,
    which may be long or what the client already knows."""
    return [
        {
            "type": error.get("type", "value_error"),
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": swedish(error),
        }
        for error in errors
    ]


def form_errors(error: FormValidationError) -> list[dict]:
    """Django's form messages are Swedish already (the site's language)."""
    return [
        {"type": code or "invalid", "loc": list(path), "msg": str(message)}
        for path, coded_messages in error.loc_errors
        for message, code in coded_messages
    ]


def validation_failed(request, exc):
    if isinstance(exc, FormValidationError):
        errors = form_errors(exc)
    elif isinstance(exc, DjangoValidationError):
        errors = [{"type": "invalid", "loc": [], "msg": str(m)} for m in exc.messages]
    elif isinstance(exc, NinjaValidationError):
        errors = pydantic_errors(exc.errors)
    else:
        errors = pydantic_errors(exc.errors())
    return problem_response(422, errors=errors)


def unauthorized(detail: str = ""):
    return problem_response(401, detail, headers={"WWW-Authenticate": "Bearer"})


def permission_denied(request, exc):
    # v3 never trusts a session: without a token the answer is 401.
    if not request.user.is_authenticated:
        return unauthorized()
    return problem_response(403, own_message(exc))


LIBRARIES = ("wagtail.", "django.", "ninja.", "pydantic")


def raised_by(exc) -> str:
    """The module of the code that raised ``exc`` (its traceback's last frame)."""
    tb = exc.__traceback__
    if tb is None:
        return ""
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_globals.get("__name__", "")


def own_message(exc) -> str:
    """This site raises its errors with a message in Swedish, for the client;
    Wagtail, Django and Ninja raise theirs in English, and those are replaced by
    the general message of the status."""
    if raised_by(exc).startswith(LIBRARIES):
        return ""
    return str(exc)


def not_found(request, exc):
    return problem_response(404, own_message(exc))


def http_error(request, exc):
    if exc.status_code == 401:
        return unauthorized(own_message(exc))
    return problem_response(exc.status_code, own_message(exc))


def bad_request(request, exc):
    return problem_response(400, own_message(exc))


def integrity_error(request, exc):
    return problem_response(
        422,
        errors=[{"type": "invalid", "loc": [], "msg": INTEGRITY_MESSAGES[type(exc)]}],
    )


INTEGRITY_MESSAGES = {
    CopyPageIntegrityError: "Sidan kan inte kopieras dit: platsen tillåter "
    "inte sidtypen eller en sida där har redan samma slug.",
    CreatePageAliasIntegrityError: "Aliaset kan inte skapas där: platsen "
    "tillåter inte sidtypen eller en sida där har redan samma slug.",
    ConvertAliasPageError: "Sidan är inget alias.",
    ParentNotTranslatedError: "Sidans förälder finns inte på det språket.",
    RevertToPageRevisionError: "Versionen hör inte till sidan.",
}


OUT_OF_RANGE = "Ett tal i anropet är större eller mindre än databasen kan lagra."


def out_of_range(request, exc):
    """A number past what the database stores (an id of 10**22, say): the
    forms Wagtail validates with look such an id up before any range check,
    and SQLite (OverflowError) and PostgreSQL (DataError) refuse the query."""
    return problem_response(
        422, errors=[{"type": "out_of_range", "loc": [], "msg": OUT_OF_RANGE}]
    )


def throttled(request, exc):
    wait = max(1, round(exc.wait or 1))
    return problem_response(429, headers={"Retry-After": str(wait)})


def too_large(request, exc):
    return problem_response(413)


def register_exception_handlers(api) -> None:
    """Replace Wagtail's handlers (same exceptions, same statuses)."""
    for exception in (
        PydanticValidationError,
        NinjaValidationError,
        DjangoValidationError,
    ):
        api.add_exception_handler(exception, validation_failed)
    for exception in INTEGRITY_MESSAGES:
        api.add_exception_handler(exception, integrity_error)
    api.add_exception_handler(PermissionDenied, permission_denied)
    api.add_exception_handler(AuthenticationError, lambda r, e: unauthorized())
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(RichTextFormatError, bad_request)
    api.add_exception_handler(RequestDataTooBig, too_large)
    api.add_exception_handler(OverflowError, out_of_range)
    api.add_exception_handler(DataError, out_of_range)
