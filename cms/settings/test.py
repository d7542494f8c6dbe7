"""Test settings: fast hashing, local cache, plain static storage, quick ALTCHA."""

import tempfile

from .base import *
from .base import INSTALLED_APPS, STORAGES

# Development-only commands and generators (create_dev_admin, generate_submissions,
# preview_token, vendor_altcha_assets); production does not install them.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    **CACHES,
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"

# Tests solve real proof-of-work challenges, so keep them cheap.
ALTCHA_HMAC_SECRET = "test-altcha-secret"
ALTCHA_CHALLENGE = {"cost": 1, "key_prefix": "0"}

# Most tests change content without publishing; the page cache has its own tests.
PAGE_CACHE_SECONDS = 0

# No CDN and no private webhook targets unless a test says so.
WAGTAILFRONTENDCACHE = {}
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False

# Built exports go to a directory of the test run's own.
STORAGES = {
    **STORAGES,
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="skr-test-exports-")},
    },
}

# The v3 API has its own limit tests; the contract tests send thousands of requests.
API_RATE_LIMIT = "0"
