"""Production: refuses to start without a secret key and allowed hosts, and on
single-machine defaults (a SQLite file, a per-process cache) unless asked for."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import (
    ALLOWED_HOSTS,
    ALTCHA_HMAC_SECRET,
    EXPORT_STORAGE,
    METRICS_ENABLED,
    METRICS_TOKEN,
    SECRET_KEY,
    env_flag,
    env_list,
)

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
if not ALTCHA_HMAC_SECRET:
    raise ImproperlyConfigured("ALTCHA_HMAC_SECRET must be set in production.")
if METRICS_ENABLED and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured(
        "METRICS_ENABLED needs METRICS_TOKEN, at least 32 characters: the scraper "
        "sends it as a bearer token."
    )

# Without these every node (and every gunicorn worker) would keep its own cache,
# rate limits and page generations, and write to a SQLite file of its own: a
# deploy that forgot them must fail, not look as if it works.
SHARED_SERVICES = ("DATABASE_URL", "REDIS_URL")
SINGLE_MACHINE = env_flag("SINGLE_MACHINE")
_unset = [name for name in SHARED_SERVICES if not os.environ.get(name)]
if _unset and not SINGLE_MACHINE:
    raise ImproperlyConfigured(
        f"{' and '.join(_unset)} must be set in production (PostgreSQL and Redis, "
        "shared by every process). To run on one machine with the SQLite file "
        "and a per-process cache on purpose, set SINGLE_MACHINE=1."
    )

DEBUG = False
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Behind a TLS-terminating proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Webhook events leave only over TLS.
WEBHOOKS_REQUIRE_HTTPS = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    "exports": EXPORT_STORAGE,
}

if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = os.environ["AWS_STORAGE_BUCKET_NAME"]
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None
    # Every node and the task worker must see the same built exports: in the
    # bucket too, under a prefix of their own, private and never public-read.
    STORAGES["exports"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "location": "private-exports",
            "default_acl": "private",
            "querystring_auth": True,
        },
    }

# One JSON object a line on stdout, for the service manager or the container
# runtime to collect (cms/log_format.py); each with its request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "serving.log_format.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
