"""This site's content types as typed schemas for Wagtail's v3 API.

Wagtail generates a read schema for each page type from its ``api_fields``,
typing real model fields itself; what a page computes (information owners,
intakes with their derived status, themes in reading order, a form's state) it
can only type as "anything". Each such field gets its own schema here, on top of
Wagtail's generated one, so the OpenAPI document describes this site's content.
The snippets themselves are Wagtail's: their ``api_fields`` (``programs``)
give them the v3 API's ``/snippets/`` endpoints, for token holders.
"""

import datetime as dt
import sys
from datetime import date, datetime, time
from typing import Any, Literal

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse

from wagtail.api.v3.registry import registry
from wagtail.api.v3.schemas import read_generator
from wagtail.models import get_page_models
from wagtail.rich_text import expand_db_html

from ninja import Field, Schema
from pydantic import create_model

from forms.window import FormWindow
from programs.models import IntakeStatus
from programs.public_status import public_status_of
from programs.renditions import RENDITIONS, ImageData, image_data


class PageVenueSchema(Schema):
    id: int
    name: str
    street_address: str
    town: str


class PageSessionSchema(Schema):
    """One session (träff); ``end_date`` is the last of its ``days``."""

    id: int
    date: dt.date | None
    end_date: dt.date | None
    days: int
    start_time: time
    end_time: time
    end_time_is_approximate: bool
    evening_activity: bool
    venue: PageVenueSchema | None


class PageIntakeSchema(Schema):
    """One year's intake: its public status is derived from the dates unless an
    editor overrides it; sessions in date order, undated last."""

    id: int
    program_id: int = Field(description="The programme page's id.")
    year: int
    status: IntakeStatus
    status_display: str = Field(description="The status as readers see it.")
    notice: str
    interest_opens_at: datetime | None
    interest_closes_at: datetime | None
    dates_announced: str = Field(
        description="When the session dates will be known, e.g. 'i januari 2026'."
    )
    programme_fee: int | None = Field(
        description="Programme fee per participant, whole Swedish kronor (SEK)."
    )
    accommodation_cost: int | None = Field(
        description="Board and lodging for all sessions, whole kronor (SEK)."
    )
    prices_exclude_vat: bool = Field(
        description="Whether both amounts are before VAT (exkl. moms)."
    )
    places: int | None = Field(
        description="How many the intake admits (antal platser); null if not set."
    )
    start_date: date | None = Field(description="The first session's date.")
    end_date: date | None = Field(description="The last session's last day.")
    sessions: list[PageSessionSchema]

    # What the pages say (forms.interest.public_status), the live form read
    # once per request.
    @staticmethod
    def resolve_status(obj, context) -> IntakeStatus:
        return public_status_of(obj, (context or {}).get("request"))

    @staticmethod
    def resolve_status_display(obj, context) -> str:
        return str(public_status_of(obj, (context or {}).get("request")).label)

    @staticmethod
    def resolve_start_date(obj) -> date | None:
        return obj.first_date

    @staticmethod
    def resolve_end_date(obj) -> date | None:
        return obj.last_date

    @staticmethod
    def resolve_sessions(obj) -> list:
        return obj.session_list()


class PageProgramFormatSchema(Schema):
    """The practical facts programmes share (its internal name is not public)."""

    id: int
    sessions: int = Field(description="How many sessions a programme has.")
    venue: str = Field(description="Where, as in 'på …'.")
    start_time: time
    end_time: time
    end_time_is_approximate: bool
    evening_activity: bool


class RenditionSchema(Schema):
    url: str = Field(description="Stable while the image and its focal point are.")
    width: int
    height: int


# Built from RENDITIONS, so a new size is one entry there; mypy cannot see a
# class made at run time.
PhotoRenditionsSchema: Any = create_model(  # type: ignore[call-overload]
    "PhotoRenditionsSchema",
    __base__=Schema,
    __doc__="The image in the site's fixed sizes (none is enlarged).",
    **{
        name: (RenditionSchema, Field(description=f"Wagtail filter `{spec}`."))
        for name, spec in RENDITIONS.items()
    },
)


class FocalPointSchema(Schema):
    """The part of the image to keep in view (centre and size, in pixels)."""

    x: int
    y: int
    width: int
    height: int


class ImageWithRenditionsSchema(Schema):
    """An image with its alt text, size, focal point and renditions; the same
    object as in the v2 API. ``renditions`` is null if the original is missing."""

    id: int
    title: str
    alt: str = Field(description="Alt text: the description, else the title.")
    width: int
    height: int
    focal_point: FocalPointSchema | None
    renditions: PhotoRenditionsSchema | None


class InformationOwnerSchema(Schema):
    """An information owner ("Informationsansvarig"), as shown on the pages."""

    id: int
    name: str
    job_title: str
    email: str
    phone: str
    photo: ImageWithRenditionsSchema | None = None

    @staticmethod
    def resolve_photo(obj) -> ImageData | None:
        return image_data(obj.photo) if obj.photo else None


class ThemeSummarySchema(Schema):
    id: int
    title: str
    slug: str
    description: str = Field(description="HTML.")

    @staticmethod
    def resolve_description(obj) -> str:
        return expand_db_html(obj.description)


class ProgramSummarySchema(Schema):
    """A programme as the overview lists it; its own page has the rest."""

    id: int
    title: str
    slug: str
    lead: str
    duration_months: int
    duration_text: str


def attribute(name: str):
    """A resolver that reads ``name`` off the page (a property or a field)."""
    return staticmethod(lambda obj: getattr(obj, name))


def form_definition_url(page) -> str:
    return reverse("forms_api:definition", kwargs={"page_id": page.pk})


# Every computed field a page type lists in ``api_fields``, typed:
# name -> (annotation, default, resolver).
COMPUTED_FIELDS: dict[str, tuple[Any, Any, Any]] = {
    "information_owners": (
        list[InformationOwnerSchema],
        [],
        attribute("information_owners"),
    ),
    "program_format": (
        PageProgramFormatSchema | None,
        None,
        attribute("program_format"),
    ),
    "intakes": (list[PageIntakeSchema], [], attribute("intake_list")),
    "themes": (list[ThemeSummarySchema], [], attribute("themes")),
    "programs": (list[ProgramSummarySchema], [], attribute("programs")),
    # Derived from the year's intakes on the interest form (a property there).
    "opens_at": (datetime | None, None, attribute("opens_at")),
    "closes_at": (datetime | None, None, attribute("closes_at")),
    "is_open": (bool, False, attribute("is_open")),
    "state": (
        FormWindow,
        FormWindow.OPEN,
        staticmethod(lambda page: page.window_state()),
    ),
    "challenge_url": (str, "", attribute("challenge_url")),
    "submission_url": (str, "", attribute("submission_url")),
}

# Fields a front-end needs that the v2 API did not have.
EXTRA_FIELDS: dict[str, dict[str, tuple[Any, Any, Any]]] = {
    "submission_url": {
        "definition_url": (
            str,
            Field("", description="The form's definition in the forms API."),
            staticmethod(form_definition_url),
        ),
    },
}


def typed_fields(model: type[models.Model]) -> dict[str, tuple[Any, Any, Any]]:
    """The computed ``api_fields`` of ``model`` with their types and resolvers."""
    fields = {}
    for api_field in getattr(model, "api_fields", []):
        typed = COMPUTED_FIELDS.get(api_field.name)
        if typed is not None:
            fields[api_field.name] = typed
            fields.update(EXTRA_FIELDS.get(api_field.name, {}))
    return fields


def site_page_models() -> list[type[models.Model]]:
    """This project's page types (Wagtail's own base ``Page`` stays as it is)."""
    return [
        model
        for model in get_page_models()
        if model._meta.app_label in ("home", "programs", "forms")
    ]


def version(page) -> str:
    """Which content a page object holds: "live" is what the public is shown
    (the published row); "draft" is a revision's content (``?version=draft``,
    a preview, an edit saved without publishing) or a page never published."""
    # A revision's content is built, not loaded: it has no database.
    return "draft" if page._state.db is None or not page.live else "live"


PAGE_META_FIELDS: dict[str, tuple[Any, Any, Any]] = {
    "version": (
        Literal["live", "draft"],
        Field(
            "live",
            description="`draft` when this is unpublished content: a draft read "
            "with `?version=draft`, a preview, a write saved without "
            "publishing, or a page never published.",
        ),
        staticmethod(version),
    ),
    "live": (bool, Field(False, description="Whether the page is published."), None),
    "has_unpublished_changes": (
        bool,
        Field(False, description="Whether a draft newer than the live page exists."),
        None,
    ),
}


def discriminated(model: type[models.Model]) -> dict[str, tuple[Any, Any, Any]]:
    """A top-level ``type`` (the same as ``meta.type``) and the page's state in
    ``meta``. OpenAPI's discriminator can only name a property at the top of
    each member, and generated clients narrow the page union by it."""
    label = model._meta.label
    registration = registry.get(label)
    meta = registration.read_schema.model_fields["meta"].annotation
    meta_schema = read_generator.extend_schema(meta, meta.__name__, PAGE_META_FIELDS)
    return {
        "type": (
            Literal[label],
            Field(..., description="The page type, as in `meta.type`."),
            staticmethod(lambda page: label),
        ),
        "meta": (meta_schema, ..., staticmethod(lambda page: page)),
    }


def register_page_schemas() -> None:
    """Replace the generated read schema of each page type with a typed one.

    Wagtail's pages router builds its response union from the registry when it
    is imported, so this must run first: from ``HomeConfig.ready()``.
    """
    if "wagtail.api.v3.routers.pages" in sys.modules:
        raise ImproperlyConfigured(
            "home.api_v3 must register its page schemas before Wagtail's v3 "
            "pages router is imported."
        )
    for model in get_page_models():
        registration = registry.get(model._meta.label)
        fields = discriminated(model)
        if model in site_page_models():
            fields.update(typed_fields(model))
        registration.read_schema = read_generator.extend_schema(
            registration.read_schema, f"{model.__name__}Schema", fields
        )
