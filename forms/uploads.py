"""No file reaches the server through the public site.

None of the form builder's field types asks for a file, yet Django reads any
file in a multipart POST into memory and then onto disk, whatever its size
(``DATA_UPLOAD_MAX_MEMORY_SIZE`` caps only the other fields). Outside the admin,
where editors upload images and documents, reading stops at the first file part
and the form refuses the submission, so no file is ever stored.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

ADMIN_PREFIX = "/admin/"


class RefuseFilesUploadHandler(FileUploadHandler):
    """Stops reading at the first file part and marks the request refused."""

    def new_file(self, *args, **kwargs):
        self.request.upload_refused = True
        raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


class RefusePublicUploadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(ADMIN_PREFIX):
            request.upload_refused = False
            request.upload_handlers = [RefuseFilesUploadHandler(request)]
        return self.get_response(request)
