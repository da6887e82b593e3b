"""Every setting Wireroom reads from the environment, parsed strictly.

Each setting is declared once here; `docs/configuration.md` documents each of them, and a test
fails when one is missing there. A bad value stops start-up with a message naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


class SettingError(ImproperlyConfigured):
    pass


def parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected one of 1/0, true/false, yes/no, on/off")


def parse_port(raw: str) -> int:
    port = int(raw)
    if not 1 <= port <= 65535:
        raise ValueError("expected a TCP port between 1 and 65535")
    return port


def parse_positive_float(raw: str) -> float:
    value = float(raw)
    if not value > 0:
        raise ValueError("expected a number greater than zero")
    return value


def parse_non_negative_float(raw: str) -> float:
    value = float(raw)
    if not value >= 0:
        raise ValueError("expected a number, zero or greater")
    return value


def parse_positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("expected a whole number greater than zero")
    return value


def parse_list(raw: str) -> list[str]:
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ValueError("expected a comma-separated list with at least one item")
    return items


def parse_hour(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= 23:
        raise ValueError("an hour of the day, 0 to 23")
    return value


def parse_http_url(raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError("expected an absolute http:// or https:// URL")
    return raw.strip().rstrip("/")


def parse_database_url(raw: str) -> str:
    scheme = urlsplit(raw.strip()).scheme
    if scheme not in {"sqlite", "postgres", "postgresql"}:
        raise ValueError("expected a sqlite:/// or postgresql:// URL")
    return raw.strip()


def parse_smtp_url(raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ValueError("expected smtp://[user:password@]host[:port] or smtps://…")
    try:
        parts.port  # noqa: B018 -- reading it validates it
    except ValueError:
        raise ValueError("the port is not a number between 0 and 65535") from None
    return raw.strip()


def parse_email_address(raw: str) -> str:
    value = raw.strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() or c in "<>\"" for c in value):
        raise ValueError("expected a bare e-mail address such as newsdesk@wire.example")
    return value


def parse_log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level


def parse_log_format(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"text", "json"}:
        raise ValueError("expected text or json")
    return value


def parse_opencc_variant(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"standard", "taiwan", "taiwan-phrases", "hong-kong"}:
        raise ValueError("expected standard, taiwan, taiwan-phrases or hong-kong")
    return value


def parse_search_backend(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"auto", "fts5", "postgres"}:
        raise ValueError("expected auto, fts5 or postgres")
    return value


def parse_text(raw: str) -> str:
    value = raw.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Callable[[str], Any]
    default: Callable[[], Any]
    help: str
    # A secret may also be read from a file named by <name>_FILE (systemd credentials, container secrets).
    secret: bool = False


def _default_data_dir() -> Path:
    return BASE_DIR / "var"


SETTINGS: tuple[Setting, ...] = (
    Setting("WIREROOM_DATA_DIR", lambda raw: Path(parse_text(raw)), _default_data_dir,
            "Folder for the embedded database, the secret key and other local state."),
    Setting("WIREROOM_DATABASE_URL", parse_database_url, lambda: "",
            "Database URL; empty means SQLite in WAL mode at <data dir>/wireroom.sqlite3.", secret=True),
    Setting("WIREROOM_SECRET_KEY", parse_text, lambda: "",
            "Django secret key; empty means one generated once and kept in <data dir>/secret_key.", secret=True),
    Setting("WIREROOM_DEBUG", parse_bool, lambda: False, "Django debug mode. Never on in production."),
    Setting("WIREROOM_HOST", parse_text, lambda: "127.0.0.1", "Address the web server binds to."),
    Setting("WIREROOM_PORT", parse_port, lambda: 8000, "Port the web server listens on."),
    Setting("WIREROOM_ALLOWED_HOSTS", parse_list, lambda: ["127.0.0.1", "localhost", "[::1]"],
            "Host names the web server answers to (comma-separated)."),
    Setting("WIREROOM_BASE_URL", parse_http_url, lambda: "",
            "Public URL of the newsroom, used in links that leave the site; empty means "
            "http://<host>:<port>. An https:// URL also makes the cookies secure and turns on HSTS."),
    Setting("WIREROOM_BEHIND_PROXY", parse_bool, lambda: False,
            "The web server sits behind a reverse proxy that sets X-Forwarded-Proto/-For: trust those headers."),
    Setting("WIREROOM_HSTS_PRELOAD", parse_bool, lambda: False,
            "With an https:// base URL: HSTS also covers every subdomain and asks to be preloaded in browsers. "
            "Only when every subdomain of the wire's domain is served over HTTPS."),
    Setting("WIREROOM_WIRE_NAME", parse_text, lambda: "Wireroom",
            "The wire's name, used in the credit line, the disclaimer, the boilerplate, the newsroom, the feeds and "
            "the formats wherever the brand of a language (console, Brand) gives no name of its own."),
    Setting("WIREROOM_URN_NAMESPACE", parse_text, lambda: "wireroom",
            "The namespace part of release ids (urn:<namespace>:release:<uuid>)."),
    Setting("WIREROOM_MAX_BODY_BYTES", parse_positive_int, lambda: 2 * 1024 * 1024,
            "Largest request body accepted on any address, in bytes; a larger one (also one sent chunked, "
            "without a length) gets 413."),
    Setting("WIREROOM_API_RATE_PER_MINUTE", parse_positive_int, lambda: 600,
            "Requests one API key may make per minute; beyond that the API answers 429 with Retry-After."),
    Setting("WIREROOM_API_ANONYMOUS_READ", parse_bool, lambda: False,
            "Clients without an API key may list and fetch published releases (and their versions) through "
            "the API, within the same rate limit per address."),
    Setting("WIREROOM_SIGNIN_FAILURE_LIMIT", parse_positive_int, lambda: 5,
            "Failed sign-ins for one user name from one address after which that pair is locked out."),
    Setting("WIREROOM_SIGNIN_LOCKOUT_MINUTES", parse_positive_int, lambda: 15,
            "How long a sign-in lockout lasts."),
    Setting("WIREROOM_WORKER_POLL_SECONDS", parse_positive_float, lambda: 0.5,
            "Longest a worker sleeps between looks for due work (embargoes, deliveries); it wakes earlier for "
            "a known embargo or retry."),
    Setting("WIREROOM_LOG_LEVEL", parse_log_level, lambda: "INFO", "Log level of the web server and worker."),
    Setting("WIREROOM_LOG_FORMAT", parse_log_format, lambda: "text",
            "text (one readable line per event) or json (one JSON object per line, with the release, version, "
            "channel and delivery ids as fields where an event has them), for a log collector."),
    Setting("WIREROOM_WORKER_HEARTBEAT_SECONDS", parse_positive_float, lambda: 5.0,
            "How often each worker writes its heartbeat row, which /readyz reads."),
    Setting("WIREROOM_READY_WORKER_SECONDS", parse_positive_float, lambda: 30.0,
            "/readyz answers 503 when no worker has written a heartbeat for this long."),
    Setting("WIREROOM_READY_EMBARGO_LATE_SECONDS", parse_positive_float, lambda: 10.0,
            "/readyz answers 503 when a scheduled release is still unpublished this long after its embargo "
            "(the embargo clock is behind or not running)."),
    Setting("WIREROOM_WORKERS", parse_positive_int, lambda: 1,
            "How many worker processes `wireroom serve` (and so `make run`) starts beside the web server; "
            "one per core is the most a machine gains from."),
    Setting("WIREROOM_WORKER_BATCH_SIZE", parse_positive_int, lambda: 500,
            "How many deliveries a worker leases at once."),
    Setting("WIREROOM_WORKER_LEASE_SECONDS", parse_positive_int, lambda: 60,
            "How long a worker holds leased deliveries before another worker may take them up again."),
    Setting("WIREROOM_WORKER_MACHINES_FIRST_SECONDS", parse_non_negative_float, lambda: 3.0,
            "While a channel to machines (webhooks, SFTP, WebSub) has more rows due than a batch, or a batch of "
            "first copies still being sent (for this long at most), a worker's e-mail waits this long at most "
            "before it leases its next batch, so outlets' systems get a release first and a long backlog only "
            "slows the e-mail; the first e-mails still leave at the embargo second. "
            "0 turns it off (see [architecture](architecture.md#the-dispatcher))."),
    Setting("WIREROOM_WORKER_METRICS_PORT", lambda raw: 0 if raw.strip() == "0" else parse_port(raw), lambda: 0,
            "Port on 127.0.0.1 where each worker serves its Prometheus metrics; `wireroom serve` gives its n-th "
            "worker this port + n. 0 turns them off."),
    Setting("WIREROOM_METRICS_TOKEN", parse_text, lambda: "",
            "Bearer token that opens the web server's `/metrics` to remote scrapers; empty: loopback clients only."),
    Setting("WIREROOM_DIGEST_HOUR", parse_hour, lambda: 8,
            "The local hour (0-23, in each contact's time zone) at which daily and weekly (Monday) digests go out."),
    Setting("WIREROOM_SMTP_URL", parse_smtp_url, lambda: "",
            "Mail server for e-mail delivery: smtp://user:password@host:587 (STARTTLS when offered), "
            "smtps://… (TLS from the start) or smtp://…?tls=off; empty keeps messages in the local outbox "
            "under <data dir>/outbox.", secret=True),
    Setting("WIREROOM_SMTP_POOL_SIZE", parse_positive_int, lambda: 8,
            "How many SMTP connections a worker keeps open."),
    Setting("WIREROOM_MAIL_FROM", parse_email_address, lambda: "newsdesk@wireroom.example",
            "Sender address of distributed e-mail; its domain is used for Message-IDs and VERP bounces."),
    Setting("WIREROOM_OUTBOX_KEEP", parse_positive_int, lambda: 2000,
            "How many of the newest messages the local outbox keeps (older ones are deleted)."),
    Setting("WIREROOM_DKIM_KEY_FILE", lambda raw: Path(parse_text(raw)), lambda: None,
            "PEM file with the RSA-2048 private key that signs outgoing mail (DKIM); empty means no signature."),
    Setting("WIREROOM_DKIM_ED25519_KEY_FILE", lambda raw: Path(parse_text(raw)), lambda: None,
            "PEM file with an Ed25519 private key for a second DKIM signature (RFC 8463); optional."),
    Setting("WIREROOM_DKIM_SELECTOR", parse_text, lambda: "wireroom",
            "DKIM selector: the public key is published at <selector>._domainkey.<mail domain>."),
    Setting("WIREROOM_EMAIL_EVENTS_TOKEN", parse_text, lambda: "",
            "Shared secret the mail provider's bounce and complaint webhook must send; empty disables it.",
            secret=True),
    Setting("WIREROOM_OUTBOUND_ALLOW_PRIVATE", parse_bool, lambda: False,
            "Let webhooks reach loopback and private addresses. Only for tests and local setups."),
    Setting("WIREROOM_WEBHOOK_TIMEOUT_SECONDS", parse_positive_float, lambda: 10.0,
            "Time allowed for a webhook endpoint to answer."),
    Setting("WIREROOM_WEBHOOK_CONNECTIONS_PER_HOST", parse_positive_int, lambda: 64,
            "Webhook requests a worker has in flight at once to one host (scheme, name and port), over all the "
            "endpoints it serves: a receiver for many outlets is not hit with hundreds at once."),
    Setting("WIREROOM_WEBHOOK_BREAKER_FAILURES", parse_positive_int, lambda: 5,
            "Consecutive failures after which a webhook endpoint's circuit opens and its deliveries wait."),
    Setting("WIREROOM_WEBHOOK_BREAKER_SECONDS", parse_positive_float, lambda: 60.0,
            "How long an open circuit waits before one probe; doubles after each failed probe (up to 15 min)."),
    Setting("WIREROOM_RECEIPTS", parse_bool, lambda: True,
            "Append every final delivery outcome to the signed delivery log (receipts, docs/trust.md)."),
    Setting("WIREROOM_RECEIPTS_TREE_HEAD_SECONDS", parse_positive_float, lambda: 60.0,
            "How old the delivery log's latest signed tree head may be before the public URL signs a new one."),
    Setting("WIREROOM_EVENT_RETENTION_DAYS", parse_positive_int, lambda: 30,
            "Days the event log keeps events; the worker prunes older ones, and a stream client resuming from a "
            "pruned event gets a `reset` event telling it to resync through the API."),
    Setting("WIREROOM_STREAM_HEARTBEAT_SECONDS", parse_positive_float, lambda: 15.0,
            "How often the stream (/api/v1/stream) sends a comment on an idle connection, so proxies keep it open."),
    Setting("WIREROOM_STREAM_POLL_SECONDS", parse_positive_float, lambda: 0.05,
            "How often each web server process reads the event log for new events on SQLite (one read per "
            "process, whatever the number of clients); on PostgreSQL NOTIFY wakes it, and it reads at least "
            "every 100 times this in case a notification was lost."),
    Setting("WIREROOM_STREAM_CONNECTS_PER_MINUTE", parse_positive_int, lambda: 600,
            "Stream connections (/api/v1/stream) one API key may open per minute. Each counts once, when it opens, "
            "and never against the key's API requests (WIREROOM_API_RATE_PER_MINUTE); beyond it, 429."),
    Setting("WIREROOM_STREAM_CHANNEL_IDLE_HOURS", parse_positive_int, lambda: 24,
            "Behind Pushpin: a stream channel (a format and set of filters) that no client held for this many hours "
            "is pruned with the event log, and no longer published to."),
    Setting("WIREROOM_STREAM_GRIP_URL", parse_http_url, lambda: "",
            "Pushpin's control endpoint (its push_in_http_port, e.g. http://127.0.0.1:5561); when set, the stream "
            "answers requests that come through Pushpin with GRIP hold instructions and publishes each event to it."),
    Setting("WIREROOM_STREAM_GRIP_KEY", parse_text, lambda: "",
            "Pushpin's sig_key: requests signed with it (Grip-Sig) are known to come through Pushpin.", secret=True),
    Setting("WIREROOM_TRANSLATION_ENGINES", parse_list, lambda: ["apertium", "opencc"],
            "Machine-translation engines in use, in order of preference (apertium, apertium-apy, opencc, argos, "
            "libretranslate, deepl); the first that has a language pair translates it."),
    Setting("WIREROOM_TRANSLATION_PIVOTS", parse_list, lambda: ["en", "es"],
            "Languages a translation may pass through when no engine has the pair directly, tried in order."),
    Setting("WIREROOM_TRANSLATION_TIMEOUT_SECONDS", parse_positive_float, lambda: 120.0,
            "Time allowed for one engine call (a batch of a release's texts)."),
    Setting("WIREROOM_TRANSLATION_APERTIUM_COMMAND", parse_text, lambda: "apertium",
            "The Apertium program the apertium engine runs; its pairs are the installed modes (`apertium -l`)."),
    Setting("WIREROOM_TRANSLATION_APERTIUM_APY_URL", parse_http_url, lambda: "",
            "Base URL of an apertium-apy server (e.g. http://127.0.0.1:2737) for the apertium-apy engine; empty "
            "leaves the engine without pairs."),
    Setting("WIREROOM_TRANSLATION_OPENCC_VARIANT", parse_opencc_variant, lambda: "standard",
            "Traditional Chinese that OpenCC writes: standard, taiwan, taiwan-phrases (Taiwan's words too) or "
            "hong-kong."),
    Setting("WIREROOM_TRANSLATION_ARGOS_DIR", lambda raw: Path(parse_text(raw)), lambda: None,
            "Folder of Argos Translate packages (.argosmodel files or unpacked package folders) for the argos "
            "engine; empty leaves the engine without pairs."),
    Setting("WIREROOM_TRANSLATION_LIBRETRANSLATE_URL", parse_http_url, lambda: "",
            "Base URL of a LibreTranslate server for the libretranslate engine."),
    Setting("WIREROOM_TRANSLATION_LIBRETRANSLATE_API_KEY", parse_text, lambda: "",
            "API key sent to the LibreTranslate server, if it asks for one.", secret=True),
    Setting("WIREROOM_TRANSLATION_DEEPL_AUTH_KEY", parse_text, lambda: "",
            "DeepL API authentication key for the deepl engine; empty leaves the engine without pairs.", secret=True),
    Setting("WIREROOM_TRANSLATION_DEEPL_SERVER_URL", parse_http_url, lambda: "",
            "DeepL API server; empty means the one the deepl package picks for the key (free or paid)."),
    Setting("WIREROOM_SEARCH_BACKEND", parse_search_backend, lambda: "auto",
            "Full-text search backend: fts5 (SQLite), postgres (PostgreSQL), or auto, the database's own."),
    Setting("WIREROOM_WEBSUB_HUB", parse_http_url, lambda: "",
            "External WebSub hub the feeds advertise (rel=\"hub\") and the worker notifies of every changed feed "
            "(hub.mode=publish); empty means the wire's own hub at /websub/hub."),
    Setting("WIREROOM_IMAGE_MAX_BYTES", parse_positive_int, lambda: 1_900_000,
            "Largest image file (a release's image, an organization's logo) accepted, in bytes; keep it below "
            "WIREROOM_MAX_BODY_BYTES, which bounds the whole upload."),
    Setting("WIREROOM_IMAGE_MAX_PIXELS", parse_positive_int, lambda: 40_000_000,
            "Most pixels (width times height) an uploaded image may decode to: a small file that unpacks to a "
            "huge picture (a decompression bomb) is refused before it is decoded."),
    Setting("WIREROOM_TEST_DATABASE_URL", parse_database_url, lambda: "",
            "PostgreSQL server `make test` uses for its PostgreSQL pass; empty means the test script "
            "starts a throwaway server of its own."),
    Setting("WIREROOM_TEST_SLOW", parse_bool, lambda: False,
            "`make test` runs the suites marked slow too, after the others, as CI does (`.ci/run` sets it; a "
            "CI that sets `CI` to anything but `false` gets the same). Read by `scripts/test.sh`; see "
            "[operations](operations.md#tests)."),
    Setting("WIREROOM_BENCH_DATABASE_URL", parse_database_url, lambda: "",
            "PostgreSQL server on which `wireroom bench fanout --database postgres` creates a database of its own "
            "(wireroom_bench_fanout_…) and drops it afterwards; the database in the URL is only connected to."),
)


def _read_secret_file(name: str, path: str) -> str:
    try:
        # One trailing newline is what editors and `echo` leave; it is never part of the secret.
        return Path(path).read_text(encoding="utf-8").removesuffix("\n").removesuffix("\r")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingError(f"{name}_FILE={path!r} cannot be read: {exc}") from None


def load(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse every WIREROOM_* variable; unknown WIREROOM_* names are refused too."""
    env = os.environ if environ is None else environ
    known = {setting.name for setting in SETTINGS} | {f"{s.name}_FILE" for s in SETTINGS if s.secret}
    unknown = sorted(name for name in env if name.startswith("WIREROOM_") and name not in known)
    if unknown:
        raise SettingError(f"{unknown[0]} is not a Wireroom setting (see docs/configuration.md)")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = env.get(setting.name)
        file_path = env.get(f"{setting.name}_FILE") if setting.secret else None
        if file_path:
            if raw:
                raise SettingError(f"{setting.name} and {setting.name}_FILE are both set; set only one")
            raw = _read_secret_file(setting.name, file_path)
        if raw is None or raw == "":
            values[setting.name] = setting.default()
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as exc:
            raise SettingError(f"{setting.name}={raw!r} is invalid: {exc}") from None
    return values
