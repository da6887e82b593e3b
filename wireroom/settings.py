"""Django settings. Every value comes from `wireroom.conf`, which reads the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url

from wireroom import conf

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
if BASE_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
WORKER_POLL_SECONDS: float = ENV["WIREROOM_WORKER_POLL_SECONDS"]
DATA_UPLOAD_MAX_MEMORY_SIZE: int = ENV["WIREROOM_MAX_BODY_BYTES"]
WORKERS: int = ENV["WIREROOM_WORKERS"]
WORKER_BATCH_SIZE: int = ENV["WIREROOM_WORKER_BATCH_SIZE"]
WORKER_LEASE_SECONDS: int = ENV["WIREROOM_WORKER_LEASE_SECONDS"]
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
WEBHOOK_BREAKER_FAILURES: int = ENV["WIREROOM_WEBHOOK_BREAKER_FAILURES"]
WEBHOOK_BREAKER_SECONDS: float = ENV["WIREROOM_WEBHOOK_BREAKER_SECONDS"]
OUTBOX_DIR: Path = DATA_DIR / "outbox"
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
    "wireroom.accounts",
    "wireroom.taxonomy",
    "wireroom.audit",
    "wireroom.mediadb",
    "wireroom.releases",
    "wireroom.subscriptions",
    "wireroom.anatomy",
    "wireroom.formats",
    "wireroom.translation",
    "wireroom.newsroom",
    "wireroom.api",
    "wireroom.distribution",
    "wireroom.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": ENV["WIREROOM_LOG_LEVEL"]},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
