"""An image's renditions through the v3 API, as the pages' photos carry them.

Wagtail's image endpoints build their read schema when ``wagtail.images`` is
ready, after this app, so the site cannot add fields to them; this route gives
the same object as a photo in a page read (``ImageWithRenditionsSchema``), for
any image the anonymous image endpoints show.
"""

from django.http import HttpRequest

from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth
from wagtail.api.v3.errors import ProblemDetail
from wagtail.images.api.v3.router import get_images_queryset

from ninja import Router
from ninja.errors import HttpError

from programs.renditions import image_data, prefetch_renditions

from .preview import problem_content
from .schemas import ImageWithRenditionsSchema

router = Router(tags=["images"])


@router.get(
    "/images/{image_id}/renditions/",
    response={200: ImageWithRenditionsSchema, 404: ProblemDetail},
    auth=[BearerTokenAuth(), AllowAnonymous()],
    url_name="image_renditions",
    summary="Image with its renditions",
    description=(
        "The image's alt text, size, focal point and renditions in the site's "
        "fixed sizes: the same object as an information owner's `photo`."
    ),
    operation_id="images_renditions",
    openapi_extra=problem_content(404),
)
def image_renditions(request: HttpRequest, image_id: int):
    image = get_images_queryset(request).filter(pk=image_id).first()
    if image is None:
        raise HttpError(404, "Det finns ingen bild med det id:t.")
    prefetch_renditions([image])
    return image_data(image)
