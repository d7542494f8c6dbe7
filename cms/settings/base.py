"""Settings shared by every environment.

Every value that differs between machines is read from the environment here, in
one place; ``dev``, ``test`` and ``production`` only change defaults and harden.
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static

import dj_database_url
import dj_email_url
from corsheaders.defaults import default_headers as corsheaders_default_headers
from csp.constants import NONE, SELF, UNSAFE_INLINE

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_flag(name):
    """A yes/no environment variable: 1, true, yes or on (any case) is yes."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    """A comma-separated environment variable as a list without empty items."""
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "serving",
    "home",
    "webhooks",
    "programs",
    "forms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    # Serves the v3 API's docs page (Swagger UI) from its own static files,
    # not from a CDN.
    "ninja",
    "corsheaders",
    "altcha_django",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost: the request id, one log line and the metrics of every request.
    "home.operations.RequestLogMiddleware",
    # /healthz, /readyz and /metrics, answered before the host check, the HTTPS
    # redirect, the page cache and the login lockout (home/operations.py).
    "home.operations.OperationsMiddleware",
    # Nothing may read a forged X-Forwarded-* header before it is dropped.
    "serving.security.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "serving.security.ContentSecurityPolicyMiddleware",
    "serving.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "home.bad_requests.RefuseNullBytesMiddleware",
    # Before anything reads the body (CSRF does): public pages take no files.
    "serving.uploads.RefusePublicUploadsMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Anonymous reads of public pages and the read API are answered from the
    # shared cache here, before the session, CSRF, authentication and message
    # middleware, which such a read does not need (serving/page_cache.py).
    "serving.page_cache.AnonymousPageCacheMiddleware",
    # Inside the cache, so it keeps compressed bodies; public responses only.
    "serving.page_cache.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django's CSRF check; a post to a public form: Origin only (forms/csrf.py).
    "forms.csrf.SiteCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

# security.W003 looks for Django's CSRF middleware by its dotted path; the site
# runs a subclass of it (forms.csrf.SiteCsrfViewMiddleware, above), which checks
# every post as Django does except the public forms' (Origin only; see there).
# fields.W161 warns of a fixed default date or time, meant for "now" written as
# a constant; a session's default start (10.00) is a wall-clock time meant
# fixed, and the check compares it with the current time, so it fired for ten
# seconds around 10.00 and 13.00 every day (and failed CI's
# `check --fail-level WARNING` then).
SILENCED_SYSTEM_CHECKS = ["security.W003", "fields.W161"]

# /metrics (Prometheus): off unless METRICS_ENABLED, and then only for a scraper
# sending "Authorization: Bearer $METRICS_TOKEN" (home/operations.py).
METRICS_ENABLED = env_flag("METRICS_ENABLED")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
# /readyz fails when no task worker has gone round its loop for this long.
WORKER_HEARTBEAT_MAX_AGE = int(os.environ.get("WORKER_HEARTBEAT_MAX_AGE", "120"))

# Seconds a finished page is served from the cache to anonymous readers; any
# content change empties it at once. 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.content_cache",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# An empty DATABASE_URL (``DATABASE_URL=`` in an env file) means unset, as an
# empty REDIS_URL does; dj_database_url.config would make it no database at all.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite for concurrent use: readers never wait for the writer (WAL), a
    # writer takes the lock when its transaction begins (IMMEDIATE: no deadlock
    # upgrading a read lock) and waits up to 20 s for it instead of failing at
    # once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=20000;"
        ),
        **DATABASES["default"].get("OPTIONS", {}),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that drops packets must not hold a request or the worker
    # until the operating system gives up: fail in seconds and answer 503.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Fails open: while Redis is down, pages, API reads and submissions go on
    # uncached. Short socket timeouts keep a hanging Redis from holding requests.
    CACHES = {
        "default": {
            "BACKEND": "serving.cache_backends.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "skr"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "skr",
        }
    }

# Spent verifications are kept in the database, not the cache: a used solution
# must stay used when Redis restarts empty (see forms.verification_store).
CACHES["verification"] = {"BACKEND": "forms.verification_store.SpentVerificationStore"}
ALTCHA_CACHE_ALIAS = "verification"

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
# Wagtail's Swedish, completed and corrected where it shows English (see the file).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("sv", "Svenska"), ("en", "English")]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

# Built XLSX exports hold people's submissions: kept apart from the public media
# (no URL serves them; the admin streams them to the person who asked).
EXPORT_ROOT = Path(os.environ.get("EXPORT_ROOT") or BASE_DIR / "private" / "exports")
EXPORT_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": EXPORT_ROOT},
}
# Hours a built export stays before purge_submissions deletes it.
EXPORT_RETENTION_HOURS = int(os.environ.get("EXPORT_RETENTION_HOURS", "24"))
# Days the link in a registration's receipt (see, correct, withdraw) works.
SELF_SERVICE_MAX_AGE_DAYS = int(os.environ.get("SELF_SERVICE_MAX_AGE_DAYS", "30"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": EXPORT_STORAGE,
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail: EMAIL_URL (smtp://user:pass@host:587/?tls=True) wins over the EMAIL_* names.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@skr.se")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "").lower() in ("1", "true")
if os.environ.get("EMAIL_URL"):
    _email = dj_email_url.parse(os.environ["EMAIL_URL"])
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = 10

# Background work (notification e-mail). The database backend survives restarts
# and lets several workers share the queue; dev and test run tasks immediately.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Wagtail
WAGTAIL_SITE_NAME = "Toppolitikerprogrammen"
# No avatars from gravatar.com: each admin page would send a hash of the
# signed-in person's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a version check against releases.wagtail.io from the dashboard.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "zip",
]
# The largest image and document anyone may upload, in the admin or with a v3
# token; a v3 upload body larger than that is refused before it is read
# (serving/uploads.py). Wagtail's default for documents is no limit at all.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_I18N_ENABLED = False
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100

# API
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
# /altcha/ too: a front-end on another origin fetches its challenge there.
CORS_URLS_REGEX = r"^/(api|altcha)/.*$"
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
# A front-end revalidates its cached reads (304) across origins too.
CORS_ALLOW_HEADERS = (*corsheaders_default_headers, "if-none-match")
API_CACHE_MAX_AGE = int(os.environ.get("API_CACHE_MAX_AGE", "60"))
# The v3 API's docs page and OpenAPI document are public: a front-end developer
# needs them, and they describe content types, never content.
WAGTAILAPI_DOCS_ENABLED = True
# Requests to the v3 API per client (its token, else its address) and period,
# e.g. "600/m"; "0" turns the limit off. Reads served from the page cache are
# not counted.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/m")

# Headless preview: when set, the admin's preview shows the latest saved draft
# as this external front-end renders it, through a signed token it exchanges at
# /api/v3/preview/ (programs.headless_preview). Empty: Wagtail's own preview.
HEADLESS_PREVIEW_URL = os.environ.get("HEADLESS_PREVIEW_URL", "").strip()
# Seconds a preview token stays valid.
HEADLESS_PREVIEW_MAX_AGE = int(os.environ.get("HEADLESS_PREVIEW_MAX_AGE", "300"))
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# Publish webhooks (webhooks). Their URLs must resolve to public
# addresses: no loopback, private, link-local or reserved targets, so a webhook
# cannot reach into the internal network, unless this says otherwise (a receiver
# on the same private network). Production also requires https.
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = env_flag("WEBHOOKS_ALLOW_PRIVATE_NETWORKS")
WEBHOOKS_REQUIRE_HTTPS = False
# Seconds: to connect, to wait for each read, and for the whole exchange, so a
# receiver that hangs or trickles lets the worker go within seconds.
WEBHOOKS_CONNECT_TIMEOUT = 3
WEBHOOKS_READ_TIMEOUT = 5
WEBHOOKS_TOTAL_TIMEOUT = 10


def required_env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set for FRONTEND_CACHE_BACKEND.")
    return value


def frontend_cache_settings():
    """WAGTAILFRONTENDCACHE from FRONTEND_CACHE_BACKEND and its variables."""
    backend = os.environ.get("FRONTEND_CACHE_BACKEND", "").strip().lower()
    if not backend:
        return {}
    hostnames = env_list("FRONTEND_CACHE_HOSTNAMES")
    common = {"HOSTNAMES": hostnames} if hostnames else {}
    if backend == "purge":
        config = {
            "BACKEND": "serving.frontend_cache.PurgeBackend",
            "LOCATION": required_env("FRONTEND_CACHE_LOCATION"),
        }
    elif backend == "cloudflare":
        config = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": required_env("CLOUDFLARE_BEARER_TOKEN"),
            "ZONEID": required_env("CLOUDFLARE_ZONE_ID"),
        }
    elif backend == "cloudfront":
        if importlib.util.find_spec("boto3") is None:
            raise ImproperlyConfigured("FRONTEND_CACHE_BACKEND=cloudfront needs boto3.")
        config = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": required_env("CLOUDFRONT_DISTRIBUTION_ID"),
        }
    else:
        raise ImproperlyConfigured(
            "FRONTEND_CACHE_BACKEND must be purge, cloudflare or cloudfront."
        )
    return {"default": {**config, **common}}


# CDN purge on publish (wagtail.contrib.frontend_cache, serving.frontend_cache);
# empty: nothing is sent.
WAGTAILFRONTENDCACHE = frontend_cache_settings()


class StaticURL:
    """A static file's URL, looked up each time it is rendered: the hashed name
    is known only once the app registry and collectstatic's manifest are. Unlike
    ``lazy(static, str)``, it is true without a lookup, so a system check that
    only asks whether it is set (altcha.E008) passes before collectstatic."""

    def __init__(self, path):
        self.path = path

    def __bool__(self):
        return True

    def __str__(self):
        return static(self.path)


# Human verification (ALTCHA, self-hosted proof of work).
ALTCHA_HMAC_SECRET = os.environ.get("ALTCHA_HMAC_SECRET", "")
# Proxies (IPs or CIDRs) whose X-Forwarded-* headers are believed; from anyone
# else serving.security drops them. Behind a load balancer the rate limits and the
# login lockout must count the real client, not the balancer.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
ALTCHA_TRUSTED_PROXIES = TRUSTED_PROXIES

# The widget from static/altcha/ (manage.py vendor_altcha_assets), not the one
# altcha-django ships: trimmed, with its worker fetched only when it solves and
# the Swedish strings in the same file, so a form page stays within its script
# budget (issue 11); hence no translation file of every language either.
ALTCHA_WIDGET_JS_SOURCE = "custom"
ALTCHA_WIDGET_JS_URL = StaticURL("altcha/altcha.js")
ALTCHA_WIDGET_I18N = False

# Submissions per client and period, e.g. "10/m"; "0" turns the limit off.
# The challenge endpoint allows a few challenges per permitted submission.
FORM_RATE_LIMIT = os.environ.get("FORM_RATE_LIMIT", "10/m")
# Unverified submissions ("send anyway for manual review", for people without
# JavaScript) per client and period, on top of FORM_RATE_LIMIT: the route skips
# the proof of work, so it is kept too narrow to flood the inbox.
FORM_REVIEW_RATE_LIMIT = os.environ.get("FORM_REVIEW_RATE_LIMIT", "3/h")
ALTCHA_CHALLENGE_ENDPOINT_RATELIMIT = "forms.submitting.challenge_allowed"

# Login lockout (django-axes): a user name that fails LOGIN_FAILURE_LIMIT times
# from one client address is refused, right password or not, for
# LOGIN_COOLOFF_MINUTES; each try during the lockout starts the time again.
# AxesBackend is axes' standalone check with ModelBackend's get_user and
# permissions, so the first backend can load a user: Wagtail's page test
# helpers log in with AUTHENTICATION_BACKENDS[0]. ModelBackend checks passwords.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# No banner on every manage.py run: cron mails whatever a job prints.
AXES_VERBOSE = False
# The same client address as the form rate limits: X-Forwarded-For only from
# TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "serving.security.login_client_ip"
AXES_LOCKOUT_CALLABLE = "serving.security.login_locked_out"

# Content-Security-Policy (django-csp, serving.security picks the policy by path).
# The site asks no other origin for anything. Public pages run only the site's
# own files, no inline script or style; the ALTCHA widget solves in workers
# from a static file (not blob: URLs), and its stylesheet is a file the form
# page links (no nonce, so a cache can keep the page).
_CSP_EVERYWHERE = {
    "default-src": [SELF],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    "object-src": [NONE],
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_CSP_EVERYWHERE,
        "script-src": [SELF],
        "style-src": [SELF],
        "worker-src": [SELF],
    }
}
_CSP_DATA = {"default-src": [NONE], "frame-ancestors": [NONE]}


def origin_of(url):
    """``https://host:port`` of a URL, for a CSP source list."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


CONTENT_SECURITY_POLICY_BY_PATH = {
    # The v3 API's docs page: Swagger UI from the site's own static files
    # (ninja's), reading the OpenAPI document from the same origin. Swagger UI
    # sets style attributes and draws its icons from data: URLs.
    "/api/v3/docs/": {
        **_CSP_EVERYWHERE,
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
    },
    # Wagtail 8's admin still writes inline scripts (inline panels, date
    # pickers) and styles, shows image previews from data: and blob: URLs, and
    # frames its own page previews. Still no other origin.
    "/admin/": {
        **_CSP_EVERYWHERE,
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "worker-src": [SELF, "blob:"],
        "frame-ancestors": [SELF],
        # The preview panel frames the external front-end when one is set.
        "frame-src": [SELF]
        + ([origin_of(HEADLESS_PREVIEW_URL)] if HEADLESS_PREVIEW_URL else []),
    },
    # JSON: nothing in it may load or run, nor be framed.
    "/api/": _CSP_DATA,
    "/altcha/": _CSP_DATA,
}

# Permissions-Policy: no page needs these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
