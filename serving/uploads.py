"""No file reaches the server through the public site.

None of the form builder's field types asks for a file, yet Django reads any
file in a multipart POST into memory and then onto disk, whatever its size
(``DATA_UPLOAD_MAX_MEMORY_SIZE`` caps only the other fields). Outside the admin,
where editors upload images and documents, reading stops at the first file part
and the form refuses the submission, so no file is ever stored.

The one other way in is Wagtail's v3 API, which creates an image or a document
from a multipart upload. There the body is read only once the API has resolved
a bearer token whose user may add that kind of object, and only if it is within
that kind's size limit; any other request is answered before a byte of its file
is read: 401 without a token (Wagtail's own check), 403 for a token without the
permission, 413 when too large.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import APIToken
from wagtail.permissions import policy_registry

from ninja.errors import HttpError

ADMIN_PREFIX = "/admin/"

# Room in a body beyond its file for the other fields (title, collection, tags)
# and the multipart boundaries, so a file just over its limit still gets the
# form's own message instead of a 413.
FIELDS_ALLOWANCE = 64 * 1024


class RefuseFilesUploadHandler(FileUploadHandler):
    """Stops reading at the first file part and marks the request refused."""

    def new_file(self, *args, **kwargs):
        self.request.upload_refused = True
        raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


@dataclass(frozen=True)
class TokenUploadRoute:
    """A v3 route that creates an object from an uploaded file."""

    url_name: str
    get_model: Callable[[], type[Model]]
    # Wagtail's setting for the kind's largest file, and its default there.
    size_setting: str
    default_size: int | None

    def max_size(self) -> int | None:
        return getattr(settings, self.size_setting, self.default_size)


TOKEN_UPLOAD_ROUTES = (
    TokenUploadRoute(
        "wagtailapi_v3:create_image",
        get_image_model,
        "WAGTAILIMAGES_MAX_UPLOAD_SIZE",
        10 * 1024 * 1024,
    ),
    TokenUploadRoute(
        "wagtailapi_v3:create_document",
        get_document_model,
        "WAGTAILDOCS_MAX_UPLOAD_SIZE",
        None,
    ),
)


def token_upload_route(request) -> TokenUploadRoute | None:
    if request.method != "POST":
        return None
    for route in TOKEN_UPLOAD_ROUTES:
        try:
            if request.path_info == reverse(route.url_name):
                return route
        except NoReverseMatch:  # the v3 API is not mounted
            return None
    return None


class TokenUploadGate(FileUploadHandler):
    """Lets the file through to the handlers after it only for a token holder
    who may add what the route creates, and only within the size limit.

    Django's parser calls ``handle_raw_input`` before it reads the body, and
    the v3 API parses the body only after it has resolved the token (Ninja
    sets ``request.auth``), so the decision is made on the API's own answer.
    What is raised here becomes the API's problem answer.
    """

    def __init__(self, request, route: TokenUploadRoute):
        super().__init__(request)
        self.route = route

    def handle_raw_input(
        self, input_data, META, content_length, boundary, encoding=None
    ):
        if not self.may_add():
            raise PermissionDenied
        limit = self.route.max_size()
        if limit is not None and content_length > limit + FIELDS_ALLOWANCE:
            largest = filesizeformat(limit)
            raise HttpError(
                413, f"Filen är för stor. Största tillåtna storlek: {largest}."
            )
        return None

    def may_add(self) -> bool:
        if not isinstance(getattr(self.request, "auth", None), APIToken):
            return False
        if self.request is None:
            return False
        policy = policy_registry.get_by_type(self.route.get_model())
        return policy.user_has_any_permission(self.request.user, ["add"])

    def receive_data_chunk(self, raw_data, start):
        return raw_data  # on to the handler that stores it

    def file_complete(self, file_size):
        return None


class RefusePublicUploadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(ADMIN_PREFIX):
            request.upload_refused = False
            route = token_upload_route(request)
            if route is None:
                request.upload_handlers = [RefuseFilesUploadHandler(request)]
            else:
                request.upload_handlers = [
                    TokenUploadGate(request, route),
                    *request.upload_handlers,
                ]
        return self.get_response(request)
