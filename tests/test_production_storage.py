"""Media go to S3-compatible storage when, and only when, a bucket is configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "example.se",
    "ALTCHA_HMAC_SECRET": "y" * 40,
    # Storage is the question here, not the database or the cache.
    "SINGLE_MACHINE": "1",
}


def storage_backend(**env):
    code = (
        "import django; django.setup();"
        "from django.core.files.storage import storages;"
        "print(type(storages['default']).__module__)"
    )
    environ = {**os.environ, **PRODUCTION_ENV, **env}
    if "AWS_STORAGE_BUCKET_NAME" not in env:
        environ.pop("AWS_STORAGE_BUCKET_NAME", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_media_stay_on_local_disk_without_a_bucket():
    assert storage_backend() == "django.core.files.storage.filesystem"


def test_a_bucket_moves_media_to_s3_compatible_storage():
    assert (
        storage_backend(AWS_STORAGE_BUCKET_NAME="skr-media") == "storages.backends.s3"
    )
