"""One settings module, driven by environment variables.

Without any variable set it runs the embedded default: SQLite in WAL mode,
media on local disk under ./var, local-memory cache, a secret key generated
once into ./var/secret_key (kept out of git).
"""

import base64
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GALERI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key():
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
# Earlier keys, comma-separated, still accepted for signed links and sessions while they age out
# (galeri/core/links.py); new signatures use SECRET_KEY.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", False)


def _local_secrets_key():
    """A Fernet key kept beside the secret key in var/ (as ``make run`` keeps SECRET_KEY); a
    server sets GALERI_SECRETS_KEY in its environment instead (docs/deployment.md)."""
    path = VAR_DIR / "secrets_key"
    if not path.exists():
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii"))
        path.chmod(0o600)
    return path.read_text().strip()


# Fernet key(s) for payment provider secrets at rest (galeri/payments/secrets.py); comma-separated, newest first.
GALERI_SECRETS_KEY = os.environ.get("GALERI_SECRETS_KEY") or _local_secrets_key()
# Key(s) that encrypt backups (galeri/ops/backup_crypto.py): 32 random bytes in base64 from
# `manage.py backup --new-key`, comma-separated, newest first. Only from the environment, never
# kept in var/ beside the backups; without it `backup` refuses (docs/deployment.md).
GALERI_BACKUP_KEY = os.environ.get("GALERI_BACKUP_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address of the gallery, used in share links, QR codes and sitemaps
# when there is no request (commands, PDFs).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "galeri.core",
    "galeri.units",
    "galeri.catalog",
    "galeri.inventory",
    "galeri.production",
    "galeri.events",
    "galeri.payments",
    "galeri.shipping",
    "galeri.regions",
    "galeri.notifications",
    "galeri.news",
    "galeri.orders",
    "galeri.pos",
    "galeri.bookings",
    "galeri.custom_orders",
    "galeri.labels",
    "galeri.reports",
    "galeri.api",
    "galeri.ops",
    "galeri.console",
]

MIDDLEWARE = [
    # First: a request id and one JSON log line per request (galeri.ops).
    "galeri.ops.middleware.RequestLogMiddleware",
    # A full disk or a read-only database gives a 503 maintenance page, not a stack trace.
    "galeri.ops.middleware.MaintenanceMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "galeri.core.middleware.SecurityHeadersMiddleware",  # Permissions-Policy
    "galeri.core.middleware.NoStoreMiddleware",  # personal pages: Cache-Control private, no-store
    "galeri.core.middleware.StripNulMiddleware",  # no NUL from a query string reaches a query
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Page cache hits for anonymous visitors, answered before the rest (galeri/core/pagecache_middleware.py).
    "galeri.core.pagecache_middleware.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "galeri.units.middleware.StaffIdleTimeoutMiddleware",  # staff signed out after inactivity
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns lockouts into its response.
    "axes.middleware.AxesMiddleware",
]

# Buyers' own pages (no login: a signed link or code + phone): never cached (NoStoreMiddleware).
# Staff pages are no-store by their prefix; tests/core/test_no_store.py classes every other URL.
NO_STORE_VIEWS = frozenset(
    {
        "orders:cart",
        "orders:cart_add",
        "orders:cart_update",
        "orders:checkout",
        "orders:checkout_options",  # the cart's delivery prices (session)
        "orders:lookup",
        "orders:confirmation",
        "orders:track",
        "orders:track_cancel",
        "orders:track_proof",
        "orders:track_pay_simulated",
        "orders:track_invoice",
        "lacak",
        "lacak_resend",
        "bookings:track",
        "bookings:track_cancel",
        "bookings:track_ics",
        "bookings:book",
        "custom_orders:request",
        "custom_orders:track",
        "custom_orders:track_pay",
        "custom_orders:track_proof",
        "custom_orders:track_cancel",
        "custom_orders:track_invoice",
        "custom_orders:quote",
        "custom_orders:quote_accept",
        "custom_orders:quote_decline",
        "custom_orders:quote_pdf",
        "payment_qris_png",
        "notifications:unsubscribe",
    }
)

ROOT_URLCONF = "galeri.urls"
WSGI_APPLICATION = "galeri.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "galeri.core.context_processors.site",
                "galeri.catalog.context_processors.navigation",
                "galeri.console.context_processors.console",
                "galeri.orders.context_processors.cart",
                # Last: on a page rendered for the page cache the CSRF token is a placeholder.
                "galeri.core.pagecache.context_processor",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "galeri.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at
    # the start of a transaction so two writers queue instead of deadlocking.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": ("PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA cache_size=-20000;"),
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("SQLITE_TEST_NAME", str(VAR_DIR / "test_galeri.sqlite3"))

# Scaled setup: a read replica for reports and the public catalogue (galeri/ops/routers.py).
# Writes, transactions, sessions and logins always use the primary; tests mirror the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL")
REPLICA_READ_NAMESPACES = ("catalog", "reports", "impact")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["replica"]["CONN_MAX_AGE"] = 0
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["galeri.ops.routers.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("galeri.ops.middleware.MaintenanceMiddleware") + 1, "galeri.ops.middleware.ReplicaReadMiddleware"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Rate limits ------------------------------------------------------------
# Our own proxies in front whose X-Forwarded-For is trusted for the client's address, for every
# limit (login, API, Lacak); 0: REMOTE_ADDR. PROXY_COUNT and API_NUM_PROXIES are its old names.
TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT") or os.environ.get("PROXY_COUNT") or os.environ.get("API_NUM_PROXIES") or 0
)

# --- Cache ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "galeri"}}

# Public pages for anonymous visitors are cached whole (galeri/core/pagecache.py, docs/security.md)
# and rendered again as soon as a product, price, photo, stock status or unit changes.
# 0 turns the page cache off. PAGE_CACHE_VARY_ON: context processors whose values differ per
# visitor on those pages (the cart count): part of the cache key.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 600))
# Search results per query, under the catalogue's version (galeri.catalog.search); 0 turns it off.
SEARCH_RESULT_CACHE_SECONDS = int(os.environ.get("SEARCH_RESULT_CACHE_SECONDS", 300))
# At most this many best-ranked matches of a search (the listing's and the API's pages of it).
SEARCH_MAX_RESULTS = int(os.environ.get("SEARCH_MAX_RESULTS", 200))
PAGE_CACHE_VARY_ON = ["galeri.orders.context_processors.cart"]

# --- Auth -----------------------------------------------------------------
LOGIN_URL = "units:login"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout per username from any addresses (galeri/units/lockout.py, shared store of
# galeri/core/ratelimit.py): after LOGIN_LOCKOUT_FAILURES wrong passwords within the window, locked
# FIRST minutes, doubling with each further lock up to MAX; the locks are remembered MEMORY hours.
LOGIN_LOCKOUT_FAILURES = int(os.environ.get("LOGIN_LOCKOUT_FAILURES", 5))
LOGIN_LOCKOUT_WINDOW_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_WINDOW_MINUTES", 15))
LOGIN_LOCKOUT_FIRST_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_FIRST_MINUTES", 1))
LOGIN_LOCKOUT_MAX_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MAX_MINUTES", 60))
LOGIN_LOCKOUT_MEMORY_HOURS = int(os.environ.get("LOGIN_LOCKOUT_MEMORY_HOURS", 24))
# django-axes: one address trying many usernames; after 20 failures from it, locked for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 20))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
# The lockout page: Indonesian, status 429, says to wait or ask the unit administrator.
AXES_LOCKOUT_CALLABLE = "galeri.units.views.lockout"
# The client's address for every limit (login, API, Lacak): galeri/core/ratelimit.py.
AXES_CLIENT_IP_CALLABLE = "galeri.core.ratelimit.client_ip"
# Staff sessions end after 8 hours, when the browser closes, and after STAFF_SESSION_IDLE_MINUTES
# without a request (galeri/units/middleware.py; 0 turns the idle limit off). Buyers' sessions
# (the cart) have no sign-in and are not touched.
SESSION_COOKIE_AGE = 8 * 60 * 60
STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", 30))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
OTP_TOTP_ISSUER = "Galeri Karya Maluku"
LOGIN_REDIRECT_URL = "console:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ----------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "galeri" / "locale"]
TIME_ZONE = "Asia/Jayapura"  # WIT, UTC+9: Ambon's zone
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not env_bool("GALERI_PLAIN_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Scaled setup: media on S3-compatible object storage (django-storages) when MEDIA_S3_BUCKET is
# set; the app servers then keep nothing on local disk (docs/deployment.md).
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("MEDIA_S3_PREFIX", "media"),
            # Photos are public and their names random: plain URLs, no signed query strings;
            # a name is never overwritten, the bucket's own policy decides who may read.
            "querystring_auth": env_bool("MEDIA_S3_SIGNED_URLS", False),
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=2592000, immutable"},
        },
    }
# Media are served by the app itself in the embedded default (see galeri.urls);
# a front proxy or object storage takes over when configured.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not MEDIA_S3_BUCKET)
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 30

# Uploaded images: bounds checked before decoding (see galeri.core.images).
IMAGE_MAX_BYTES = int(os.environ.get("IMAGE_MAX_BYTES", 10 * 1024 * 1024))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 40_000_000))
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Security -------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# What marks a production configuration (galeri/core/environment.py): GALERI_ENV=production, or
# HTTPS=1, or secure cookies. DEBUG off does not: `make run` serves the demo with DEBUG off too.
# A production configuration refuses `manage.py demo` and never simulates WhatsApp.
GALERI_ENV = os.environ.get("GALERI_ENV", "").strip().lower()
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],  # the offline counter's service worker (pos/offline_views.py)
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "galeri@kemenimipas.go.id")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 10))  # seconds; a mail server that hangs is a retry, not a stuck request

# --- Logging: JSON lines to standard output (galeri/ops/logging.py) --------
# One line per request from galeri.ops.middleware.RequestLogMiddleware: time, level, request id,
# method, path, status, duration, user id, unit codes; LOG_FORMAT=plain for a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "galeri.ops.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "galeri.ops.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain" if os.environ.get("LOG_FORMAT") == "plain" else "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "galeri.request": {"level": os.environ.get("ACCESS_LOG_LEVEL", "INFO")},
    },
}
# Seconds a visitor is asked to wait on the maintenance page (disk full, read-only database).
MAINTENANCE_RETRY_AFTER = int(os.environ.get("MAINTENANCE_RETRY_AFTER", 60))

# --- Gallery --------------------------------------------------------------
# A product at or below this many pieces shows "stok terbatas".
LOW_STOCK_DEFAULT = 5
PRODUCTS_PER_PAGE = 24
# Food whose expiry date falls within this many days shows on the stock alerts.
EXPIRY_ALERT_DAYS = int(os.environ.get("EXPIRY_ALERT_DAYS", 14))
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/")
# Restricted fields of a participant (full name, register number, status) are erased this many
# days after release by `manage.py erase_released_participants`.
PARTICIPANT_RETENTION_DAYS = int(os.environ.get("PARTICIPANT_RETENTION_DAYS", 365))
# Online orders: buyers' personal fields of closed orders are cleared after this many days
# (`manage.py anonymise_orders`); orders waiting for staff (delivery fee, made to order) expire
# after ORDER_CONFIRM_HOURS. The payment deadline is per unit (payments settings, default 24 h).
ORDER_RETENTION_DAYS = int(os.environ.get("ORDER_RETENTION_DAYS", 365))
# The rest of the retention table (galeri/core/retention.py, `manage.py apply_retention`, /privasi/).
BOOKING_RETENTION_DAYS = int(os.environ.get("BOOKING_RETENTION_DAYS", 365))
CUSTOM_ORDER_RETENTION_DAYS = int(os.environ.get("CUSTOM_ORDER_RETENTION_DAYS", 365))
PROOF_RETENTION_DAYS = int(os.environ.get("PROOF_RETENTION_DAYS", 180))
ORDER_CONFIRM_HOURS = int(os.environ.get("ORDER_CONFIRM_HOURS", 72))
# The shop's rules (notifications, hoarding limits, buyers' links, shipping): galeri/settings_shop.py.
from galeri.settings_shop import *  # noqa: E402, F403

# JSON API (/api/v1/): requests per window without a token (per client address) and per token.
API_RATE_LIMITS = {
    "anon": os.environ.get("API_RATE_ANON", "120/min"),
    "token": os.environ.get("API_RATE_TOKEN", "600/min"),
}
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", 90))  # a new token's life (docs/api.md)

# The product page of a service-category product asks this (dotted path) for the bookable service
# it stands for: a function product -> object with book_url, detail_url, price_label, or None.
GALLERY_SERVICE_BOOKING = "galeri.bookings.entries.booking_for_product"
