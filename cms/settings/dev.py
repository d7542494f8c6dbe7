"""Local development: debug on, a throwaway key, mail printed to the console."""

import os

from .base import *
from .base import ALLOWED_HOSTS, INSTALLED_APPS

# Development-only commands and generators (create_dev_admin, generate_submissions,
# preview_token, vendor_altcha_assets); production does not install them.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]

DEBUG = True
SECRET_KEY = (
    os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-used-in-production"
)
ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]
ALTCHA_HMAC_SECRET = os.environ.get("ALTCHA_HMAC_SECRET") or "dev-only-altcha-secret"

if not os.environ.get("EMAIL_URL") and not os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# A developer wants to see a template change on the next reload.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
