"""The sizes an image is served in, the same for the public pages and the APIs.

A fixed set, so each image has at most these renditions: each is made once
(Wagtail stores it, keyed by filter and focal point) and then served from the
same URL to every client until the image or its focal point changes. A client
picks by name; it cannot ask for sizes of its own, so no one can make the
server generate files at will.
"""

import logging
from typing import TypedDict

from django.db.models import Prefetch, prefetch_related_objects

from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

logger = logging.getLogger(__name__)

# name -> Wagtail filter spec. ``fill`` crops around the focal point; no
# operation here enlarges a smaller original. WebP for every size, and the
# thumbnail also as JPEG for clients that show no WebP (e-mail, older readers).
RENDITIONS = {
    "square_240": "fill-240x240|format-webp",
    "square_240_jpeg": "fill-240x240|format-jpeg",
    "width_480": "width-480|format-webp",
    "width_960": "width-960|format-webp",
}


class RenditionData(TypedDict):
    url: str
    width: int
    height: int


class FocalPointData(TypedDict):
    x: int
    y: int
    width: int
    height: int


class ImageData(TypedDict):
    id: int
    title: str
    alt: str
    width: int
    height: int
    focal_point: FocalPointData | None
    renditions: dict[str, RenditionData] | None


def renditions(image) -> dict | None:
    """The image's renditions by name, made now if they are not yet; ``None``
    when its original cannot be read (a missing file must not fail a page)."""
    try:
        made = image.get_renditions(*RENDITIONS.values())
    except SourceImageIOError:
        logger.warning("Image %s: the original could not be read", image.pk)
        return None
    return {name: made[spec] for name, spec in RENDITIONS.items()}


def focal_point(image) -> FocalPointData | None:
    if not image.has_focal_point():
        return None
    return FocalPointData(
        x=image.focal_point_x,
        y=image.focal_point_y,
        width=image.focal_point_width,
        height=image.focal_point_height,
    )


def renditions_data(image) -> dict[str, RenditionData] | None:
    made = renditions(image)
    if made is None:
        return None
    return {
        name: RenditionData(url=item.url, width=item.width, height=item.height)
        for name, item in made.items()
    }


def image_data(image) -> ImageData:
    """What the APIs say of an image: one shape wherever it appears."""
    return ImageData(
        id=image.pk,
        title=image.title,
        alt=image.default_alt_text,
        width=image.width,
        height=image.height,
        focal_point=focal_point(image),
        renditions=renditions_data(image),
    )


def prefetch_renditions(images) -> None:
    """Load the set's existing renditions of all ``images`` in one query."""
    images = [image for image in images if image is not None]
    if images:
        prefetch_related_objects(images, rendition_prefetch("renditions"))


def rendition_prefetch(lookup: str) -> Prefetch:
    """A prefetch of the set's renditions where Wagtail looks for them first."""
    rendition_model = get_image_model().get_rendition_model()
    return Prefetch(
        lookup,
        queryset=rendition_model.objects.filter(filter_spec__in=RENDITIONS.values()),
        # Where Wagtail's get_renditions looks before the cache or the database.
        to_attr="prefetched_renditions",
    )
