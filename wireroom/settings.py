"""Django settings. Every value comes from `wireroom.conf`, which reads the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
import django_stubs_ext

from wireroom import conf

# Generic admin classes (`ModelAdmin[Delivery]`) for the strict type check need this at run time.
django_stubs_ext.monkeypatch()

ENV = conf.load()
BASE_DIR = conf.BASE_DIR
DATA_DIR: Path = ENV["WIREROOM_DATA_DIR"]
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if ENV["WIREROOM_SECRET_KEY"]:
        return str(ENV["WIREROOM_SECRET_KEY"])
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Several processes may start at once (the web server and its workers): the key is written aside and
        # linked into place, so a reader never sees a half-written file and the first writer wins.
        draft = path.with_name(f".secret_key.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    key = path.read_text().strip()
    if not key:
        raise conf.SettingError(f"{path} is empty; delete it to have a new secret key made")
    return key


SECRET_KEY = _secret_key()
DEBUG: bool = ENV["WIREROOM_DEBUG"]
ALLOWED_HOSTS: list[str] = ENV["WIREROOM_ALLOWED_HOSTS"]

WIRE_NAME: str = ENV["WIREROOM_WIRE_NAME"]
URN_NAMESPACE: str = ENV["WIREROOM_URN_NAMESPACE"]
SERVER_HOST: str = ENV["WIREROOM_HOST"]
SERVER_PORT: int = ENV["WIREROOM_PORT"]
BASE_URL: str = ENV["WIREROOM_BASE_URL"] or f"http://{SERVER_HOST}:{SERVER_PORT}"
BEHIND_PROXY: bool = ENV["WIREROOM_BEHIND_PROXY"]
# Forms posted from the public address pass the CSRF origin check, whatever host serves them.
CSRF_TRUSTED_ORIGINS = [BASE_URL]
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SERVED_OVER_HTTPS = BASE_URL.startswith("https://")
if SERVED_OVER_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Sent only on requests that arrived over HTTPS (directly, or through a proxy with WIREROOM_BEHIND_PROXY).
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = ENV["WIREROOM_HSTS_PRELOAD"]
    # Only behind a proxy that says which scheme a request came by: without one every request looks like plain
    # HTTP (the server speaks no TLS itself) and each redirect would come back as another plain request. The
    # health probes are exempt, since load balancers probe the server directly.
    SECURE_SSL_REDIRECT = BEHIND_PROXY
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
WORKER_POLL_SECONDS: float = ENV["WIREROOM_WORKER_POLL_SECONDS"]
WORKER_HEARTBEAT_SECONDS: float = ENV["WIREROOM_WORKER_HEARTBEAT_SECONDS"]
READY_WORKER_SECONDS: float = ENV["WIREROOM_READY_WORKER_SECONDS"]
READY_EMBARGO_LATE_SECONDS: float = ENV["WIREROOM_READY_EMBARGO_LATE_SECONDS"]
MAX_BODY_BYTES: int = ENV["WIREROOM_MAX_BODY_BYTES"]
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES
# Nothing takes file uploads; a multipart body is held to the same cap by the body limit in front of Django.
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES
API_RATE_PER_MINUTE: int = ENV["WIREROOM_API_RATE_PER_MINUTE"]
API_ANONYMOUS_READ: bool = ENV["WIREROOM_API_ANONYMOUS_READ"]
WORKERS: int = ENV["WIREROOM_WORKERS"]
WORKER_BATCH_SIZE: int = ENV["WIREROOM_WORKER_BATCH_SIZE"]
WORKER_LEASE_SECONDS: int = ENV["WIREROOM_WORKER_LEASE_SECONDS"]
WORKER_MACHINES_FIRST_SECONDS: float = ENV["WIREROOM_WORKER_MACHINES_FIRST_SECONDS"]
WORKER_METRICS_PORT: int = ENV["WIREROOM_WORKER_METRICS_PORT"]
METRICS_TOKEN: str = ENV["WIREROOM_METRICS_TOKEN"]
DIGEST_HOUR: int = ENV["WIREROOM_DIGEST_HOUR"]
SMTP_URL: str = ENV["WIREROOM_SMTP_URL"]
SMTP_POOL_SIZE: int = ENV["WIREROOM_SMTP_POOL_SIZE"]
MAIL_FROM: str = ENV["WIREROOM_MAIL_FROM"]
MAIL_DOMAIN: str = MAIL_FROM.rpartition("@")[2]
DKIM_KEY_FILE: Path | None = ENV["WIREROOM_DKIM_KEY_FILE"]
DKIM_ED25519_KEY_FILE: Path | None = ENV["WIREROOM_DKIM_ED25519_KEY_FILE"]
DKIM_SELECTOR: str = ENV["WIREROOM_DKIM_SELECTOR"]
EMAIL_EVENTS_TOKEN: str = ENV["WIREROOM_EMAIL_EVENTS_TOKEN"]
OUTBOUND_ALLOW_PRIVATE: bool = ENV["WIREROOM_OUTBOUND_ALLOW_PRIVATE"]
WEBHOOK_TIMEOUT_SECONDS: float = ENV["WIREROOM_WEBHOOK_TIMEOUT_SECONDS"]
WEBHOOK_CONNECTIONS_PER_HOST: int = ENV["WIREROOM_WEBHOOK_CONNECTIONS_PER_HOST"]
WEBHOOK_BREAKER_FAILURES: int = ENV["WIREROOM_WEBHOOK_BREAKER_FAILURES"]
WEBHOOK_BREAKER_SECONDS: float = ENV["WIREROOM_WEBHOOK_BREAKER_SECONDS"]
WEBSUB_HUB: str = ENV["WIREROOM_WEBSUB_HUB"]
EVENT_RETENTION_DAYS: int = ENV["WIREROOM_EVENT_RETENTION_DAYS"]
RECEIPTS: bool = ENV["WIREROOM_RECEIPTS"]
RECEIPTS_TREE_HEAD_SECONDS: float = ENV["WIREROOM_RECEIPTS_TREE_HEAD_SECONDS"]
STREAM_HEARTBEAT_SECONDS: float = ENV["WIREROOM_STREAM_HEARTBEAT_SECONDS"]
STREAM_POLL_SECONDS: float = ENV["WIREROOM_STREAM_POLL_SECONDS"]
STREAM_CONNECTS_PER_MINUTE: int = ENV["WIREROOM_STREAM_CONNECTS_PER_MINUTE"]
STREAM_CHANNEL_IDLE_HOURS: int = ENV["WIREROOM_STREAM_CHANNEL_IDLE_HOURS"]
STREAM_GRIP_URL: str = ENV["WIREROOM_STREAM_GRIP_URL"]
STREAM_GRIP_KEY: str = ENV["WIREROOM_STREAM_GRIP_KEY"]
OUTBOX_DIR: Path = DATA_DIR / "outbox"
# Uploaded images and their renditions: served by the media app's view, which applies the releases' visibility,
# never as a static directory.
IMAGES_DIR: Path = DATA_DIR / "images"
IMAGE_MAX_BYTES: int = ENV["WIREROOM_IMAGE_MAX_BYTES"]
IMAGE_MAX_PIXELS: int = ENV["WIREROOM_IMAGE_MAX_PIXELS"]
OUTBOX_KEEP: int = ENV["WIREROOM_OUTBOX_KEEP"]

# Transactional mail (notices to account holders) goes through Django's mail API, to the same server as the
# wire's mail; without one it is written to files under <outbox>/notices for the operator to read.
DEFAULT_FROM_EMAIL = MAIL_FROM
if SMTP_URL:
    _smtp = urlsplit(SMTP_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _smtp.hostname or "localhost"
    EMAIL_PORT = _smtp.port or (465 if _smtp.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_smtp.username or "")
    EMAIL_HOST_PASSWORD = unquote(_smtp.password or "")
    EMAIL_USE_SSL = _smtp.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and "tls=off" not in _smtp.query and bool(EMAIL_HOST_USER)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(OUTBOX_DIR / "notices")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "servestatic",
    "csp",
    "axes",
    "django_htmx",
    "django_tables2",
    "django_filters",
    # Only for its static files: the workspace's rich-text editor (ProseMirror) is served from them.
    "django_prose_editor",
    # Listed so that the API docs page loads Swagger UI from the project's static files, not from a CDN.
    "ninja",
    "wireroom.accounts",
    "wireroom.taxonomy",
    "wireroom.audit",
    "wireroom.mediadb",
    "wireroom.brand",
    "wireroom.releases",
    "wireroom.trust",
    "wireroom.media",
    "wireroom.subscriptions",
    "wireroom.anatomy",
    "wireroom.formats",
    "wireroom.translation",
    "wireroom.search",
    "wireroom.newsroom",
    "wireroom.api",
    "wireroom.distribution",
    "wireroom.feeds",
    "wireroom.console",
    "wireroom.workspace",
    "wireroom.desk",
    "wireroom.translators",
    "wireroom.connect",
    "wireroom.demo",
    "wireroom.bench",
]

MIDDLEWARE = [
    # First, so that every answer (static files and refusals included) carries the security headers.
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "wireroom.web.middleware.BodyLimitMiddleware",
    "wireroom.web.middleware.RateLimitHeadersMiddleware",
    "servestatic.middleware.ServeStaticMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "wireroom.urls"
ASGI_APPLICATION = "wireroom.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wireroom.newsroom.context_processors.wire",
                "wireroom.accounts.context_processors.signed_in",
            ],
        },
    },
]

SQLITE_OPTIONS = {
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids the deadlock-prone
    # upgrade from a read to a write lock inside a transaction, so writers wait for each other instead.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
if ENV["WIREROOM_DATABASE_URL"]:
    DATABASES = {"default": dj_database_url.parse(ENV["WIREROOM_DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "wireroom.sqlite3")}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Tests on SQLite use a file like production does, so WAL, busy timeouts and several connections behave alike.
DATABASES["default"]["TEST"] = {
    "NAME": str(DATA_DIR / "test.sqlite3") if DATABASES["default"]["ENGINE"].endswith("sqlite3") else None}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in while its user name and address are locked out, before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling: after this many failures from one address for one user name, that pair is locked out
# for a while (the lockout page says for how long; `wireroom axes_reset_username` lifts it at once). Keyed on
# the pair, so nobody can lock another person out from elsewhere, and a shared address does not lock out
# every user behind it.
AXES_FAILURE_LIMIT: int = ENV["WIREROOM_SIGNIN_FAILURE_LIMIT"]
AXES_COOLOFF_TIME = ENV["WIREROOM_SIGNIN_LOCKOUT_MINUTES"] / 60  # in hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts made while locked out do not push the end of the lockout further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "wireroom.newsroom.signin.locked_out"
AXES_VERBOSE = False  # no banner in every process at start; failures and lockouts are still logged
# The address is REMOTE_ADDR: uvicorn puts the client's there (behind a trusted proxy, the forwarded one).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LOCALE_PATHS = [BASE_DIR / "wireroom" / "locale"]
# The wire's 15 first-class languages, as Django language codes (Chinese by script).
LANGUAGES = [
    ("en", "English"),
    ("ko", "Korean"),
    ("ja", "Japanese"),
    ("ar", "Arabic"),
    ("zh-hans", "Simplified Chinese"),
    ("zh-hant", "Traditional Chinese"),
    ("vi", "Vietnamese"),
    ("th", "Thai"),
    ("id", "Indonesian"),
    ("ms", "Malay"),
    ("de", "German"),
    ("ru", "Russian"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Fingerprinted names once `collectstatic` has run (`wireroom serve` runs it), cached for years.
    "staticfiles": {"BACKEND": "wireroom.web.storage.FingerprintedStorage"},
}
SERVESTATIC_USE_FINDERS = True
# Files served at the site's root, such as /favicon.ico.
SERVESTATIC_ROOT = Path(__file__).resolve().parent / "web" / "root"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Every page, the API's answers and static files get this policy: nothing inline, nothing from elsewhere.
# Views that need another (the outbox's preview of an e-mail) replace it for themselves.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        # Forms post to this site, also when it is reached by another name than its public URL.
        "form-action": ["'self'", BASE_URL],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"text": {"()": "wireroom.lib.logs.TextFormatter"},
                   "json": {"()": "wireroom.lib.logs.JsonFormatter"}},
    "filters": {"signed_in_only_404": {"()": "wireroom.web.logfilters.SignedInOnly404"},
                "not_health_probes": {"()": "wireroom.web.logfilters.NotHealthProbes"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": ENV["WIREROOM_LOG_FORMAT"]}},
    "root": {"handlers": ["console"], "level": ENV["WIREROOM_LOG_LEVEL"]},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed sign-ins and lockouts are warnings; successful ones and housekeeping are not news.
        "axes": {"level": "WARNING"},
        # A missing page asked for by an anonymous visitor (a crawler, a stale link) is not the operator's
        # concern; one asked for by a signed-in user may be a broken link of ours.
        "django.request": {"filters": ["signed_in_only_404", "not_health_probes"]},
    },
}
