"""Layan settings: one file, driven by environment variables.

SQLite is the embedded default (`var/layan.sqlite3`); set DATABASE_URL=postgres://… for PostgreSQL.
Secrets come only from the environment or from a file named by `<NAME>_FILE`.
"""

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF

from layan.messaging.channels import app_modules as channel_apps

BASE_DIR = Path(__file__).resolve().parent.parent
# Tests run in demo mode with their own throw-away var dir (set here: pytest-django loads
# settings before any conftest runs).
TESTING = "pytest" in sys.modules
if TESTING:
    os.environ.setdefault("LAYAN_DEMO", "1")
    os.environ.setdefault("LAYAN_VAR_DIR", tempfile.mkdtemp(prefix="layan-test-"))
VAR_DIR = Path(os.environ.get("LAYAN_VAR_DIR", BASE_DIR / "var"))


def stop(message: str) -> None:
    """A missing or wrong setting ends the command with this one line on stderr, not a traceback."""
    raise SystemExit(f"Layan: {message}")


def env(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            stop(f"{name}_FILE={path} tidak dapat dibaca ({exc.strerror}).")
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        stop(f"{name} harus bilangan bulat, bukan {os.environ.get(name)!r}.")
        raise


DEBUG = envbool("LAYAN_DEBUG", False)


# --- ops: demo mode and its secret (issue 9) ---------------------------------------------------
def demo_secret(path: Path) -> str:
    """The demo's secret key, generated once into var/ (0600) by the first process that needs it."""
    if not path.exists():
        import secrets

        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50) + "\n")
        try:
            os.link(tmp, path)  # atomic: several processes starting at once agree on one key
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


DEMO_SECRET_FILE = VAR_DIR / "demo-secret.txt"
_secret = env("LAYAN_SECRET_KEY")
# Demo mode creates a demo admin with printed credentials (make run); never in production. A var/
# dir that `make run` set up stays in demo mode without LAYAN_DEMO=1, so the README's commands work
# after it; setting LAYAN_SECRET_KEY (production) never implies the demo.
DEMO_MODE = envbool("LAYAN_DEMO", not _secret and DEMO_SECRET_FILE.exists())
SECRET_KEY = _secret or (demo_secret(DEMO_SECRET_FILE) if DEBUG or DEMO_MODE else "")
if not SECRET_KEY:
    stop("LAYAN_SECRET_KEY (atau LAYAN_SECRET_KEY_FILE) belum diisi; untuk demo lokal: make run atau LAYAN_DEMO=1.")
# --- end ops -------------------------------------------------------------------------------------

ALLOWED_HOSTS = [h.strip() for h in env("LAYAN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
# Absolute base used in QR codes, SMS links and the guidebook, e.g. https://layan.oku-selatan.go.id
PUBLIC_BASE_URL = env("LAYAN_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    # The API docs then use ninja's bundled Swagger UI instead of a CDN (and pass the CSP).
    "ninja",
    "django_htmx",
    "template_partials",
    "layan.regions",
    "layan.offices",
    "layan.catalogue",
    "layan.ops",
    "layan.messaging",
    # Every channel kind is an app of its own (its models, migrations, commands), from the registry.
    *channel_apps(),
    "layan.telephone",
    "layan.announcements",
    "layan.applications",
    "layan.letters",
    "layan.queue",
    "layan.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the page cache, so cached pages carry the policy too.
    "csp.middleware.CSPMiddleware",
    "layan.ops.security.StaffNoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached SOP pages and API search answers, served before the rest of the stack.
    "layan.ops.public_cache.PublicCacheMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Indonesian unless the visitor chose English with the switch (see layan/ops/language.py).
    "layan.ops.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A view that raises layan.offices.ratelimit.RateLimited answers 429 (page or JSON).
    "layan.offices.ratelimit.RateLimitMiddleware",
    # Turns a throttled login into layan.ops.security.login_locked_out (must come last).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "layan.urls"
WSGI_APPLICATION = "layan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    # Persistent connections: granian runs few blocking threads, each keeps its connection.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Parameters bound by the server, and a statement its connection has run five times
        # prepared (psycopg's default threshold; Django turns preparing off unless asked, for
        # connection poolers in transaction mode, which a Layan server does not use): PostgreSQL
        # then stops planning it anew. Planning was most of the server's CPU on the ticket path
        # (bench/queue_tickets.py; figures in the commit).
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
else:
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("LAYAN_SQLITE_PATH", str(VAR_DIR / "layan.sqlite3")),
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE avoids upgrade deadlocks
                # between the web process and the outbox worker.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
            },
            # A file, not SQLite's in-memory default: the live server's threads then each have
            # their own connection, as in production. Sharing one in-memory connection between
            # threads let one request's transaction end another's (a lost recall in a browser test).
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}},
    # Rate-limit counters, shared by every web process (layan/ops/ratecache.py explains why here).
    "ratelimit": {"BACKEND": "layan.ops.ratecache.CounterCache"},
}

if TESTING:
    # Real hashers take ~1 s per persona; the suite creates hundreds.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if TESTING:
    # Tests don't run collectstatic; the manifest storage would fail on every page.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = VAR_DIR / "media"
# Uploads are personal data: never served by a public URL, only through permission-checked views.
MEDIA_URL = "/_private-media-not-served/"
FILE_UPLOAD_PERMISSIONS = 0o600  # Django's default is 0o644
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Documents citizens attach to an application (layan/applications/uploads.py): checked by content,
# stored under random names in this private directory, served only through a permission-checked view.
LAYAN_UPLOAD_DIR = Path(env("LAYAN_UPLOAD_DIR", str(VAR_DIR / "uploads")))
LAYAN_UPLOAD_MAX_BYTES = envint("LAYAN_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)

# Staff sign in on their own page and land on their workspace (/staf/ picks the office); the
# Django admin keeps its own login for superusers and rare tasks.
LOGIN_URL = "web:staff_login"
LOGIN_REDIRECT_URL = "web:staff_start"
LOGOUT_REDIRECT_URL = "web:staff_login"

# --- Security: TLS proxy, cookies, HSTS, CSP, login throttling (docs/deploy.md "Behind a TLS proxy") ---
# Opt-in, because trusting a forwarded header is only safe when the proxy always sets it:
# LAYAN_SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto means "the request is HTTPS when the proxy says https",
# and the client's address is then the last entry of X-Forwarded-For (the one our proxy added).
_PROXY_SSL_HEADER = env("LAYAN_SECURE_PROXY_SSL_HEADER").strip()
BEHIND_TLS_PROXY = bool(_PROXY_SSL_HEADER)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
PUBLIC_IS_HTTPS = PUBLIC_BASE_URL.startswith("https://")
# The public address is always a trusted origin for CSRF; LAYAN_CSRF_TRUSTED_ORIGINS adds others
# (comma-separated, with scheme: https://layan.example.go.id,https://10.1.2.3).
_public = urlsplit(PUBLIC_BASE_URL)
CSRF_TRUSTED_ORIGINS = list(
    dict.fromkeys(
        [f"{_public.scheme}://{_public.netloc}"]
        + [o.strip().rstrip("/") for o in env("LAYAN_CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]
    )
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("LAYAN_SECURE_COOKIES", PUBLIC_IS_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HSTS is sent on HTTPS responses only (SecurityMiddleware). A year once the site is HTTPS; 0 turns it off.
SECURE_HSTS_SECONDS = envint("LAYAN_HSTS_SECONDS", 31_536_000 if PUBLIC_IS_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("LAYAN_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("LAYAN_HSTS_PRELOAD", False)
# Redirect plain HTTP to HTTPS once a proxy tells us which requests are HTTPS. Webhooks are exempt:
# Kannel, Gammu and an Android gateway on the office LAN post straight to the app over plain HTTP.
SECURE_SSL_REDIRECT = envbool("LAYAN_SSL_REDIRECT", PUBLIC_IS_HTTPS and BEHIND_TLS_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^channels/"]
SILENCED_SYSTEM_CHECKS = (
    []
    if SECURE_HSTS_PRELOAD
    else [
        # Preloading is a one-way choice an office makes for its own domain (hstspreload.org), not a default.
        "security.W021",
    ]
)
# No inline script or style anywhere (static/print.js, htmx configured by a meta tag in base.html);
# the one inline style is the self-contained 500 page's, allowed by its hash (a test keeps it current).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'sha256-EcSIq+DH3Lh6DxJuje+mTydrSC8RvyTrfh00SX+kKKw='"],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Login throttling (django-axes, counted in the database so every web process sees the same
# failures): LAYAN_LOGIN_FAILURE_LIMIT wrong passwords for one account, or from one address,
# lock that account and that address for LAYAN_LOGIN_LOCK_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Off in the test suite, whose test client logs in without a request (test_login_throttle.py turns it on).
AXES_ENABLED = envbool("LAYAN_LOGIN_THROTTLE", not TESTING)
AXES_FAILURE_LIMIT = envint("LAYAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LAYAN_LOGIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every command; lockouts are still logged
AXES_CLIENT_IP_CALLABLE = "layan.ops.security.client_ip"
AXES_LOCKOUT_CALLABLE = "layan.ops.security.login_locked_out"
# Rate limits of what anyone can do without logging in (layan/offices/ratelimit.py), per client
# address, SMS/chat sender or caller: "N/period" with s, m, h or d ("30/10m": 30 per 10 minutes).
LAYAN_RATE_LIMITS = {
    "tracking": env("LAYAN_RATE_TRACKING", "30/10m"),
    "apply": env("LAYAN_RATE_APPLY", "10/h"),
    "queue": env("LAYAN_RATE_QUEUE", "20/h"),
}
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_IP_META_KEY = "layan.ops.security.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LAYAN_LOG_LEVEL", "INFO")},
    # 404 and other request log lines carry the visitor's path: bounded and single-line (layan/ops/logs.py).
    "filters": {"bounded": {"()": "layan.ops.logs.BoundedArgs"}},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["bounded"]},
        "django.server": {"filters": ["bounded"]},
    },
}

# Messaging (see docs/messaging.md). SMS replies stay within this many parts; the full answer is one link away.
LAYAN_SMS_MAX_PARTS = envint("LAYAN_SMS_MAX_PARTS", 3)
LAYAN_INBOUND_DEDUP_SECONDS = envint("LAYAN_INBOUND_DEDUP_SECONDS", 5)
LAYAN_OUTBOX_MAX_ATTEMPTS = envint("LAYAN_OUTBOX_MAX_ATTEMPTS", 5)
LAYAN_OUTBOX_LEASE_SECONDS = envint("LAYAN_OUTBOX_LEASE_SECONDS", 120)
LAYAN_CONVERSATION_TTL_SECONDS = envint("LAYAN_CONVERSATION_TTL_SECONDS", 3600)
# Cloud APIs: base URLs are settings so tests and staging point at a local fake.
LAYAN_META_GRAPH_URL = env("LAYAN_META_GRAPH_URL", "https://graph.facebook.com").rstrip("/")
LAYAN_META_GRAPH_VERSION = env("LAYAN_META_GRAPH_VERSION", "v25.0")
LAYAN_TELEGRAM_API_URL = env("LAYAN_TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")

# Where the regions CSVs and the demo catalogue live inside the repository (copied from ../shared).
DATA_DIR = BASE_DIR / "data"

# Letters (layan/letters): each office's Ed25519 private key is a file here (<office-slug>.key, 0600),
# never in the database; back it up with the database (docs/letters.md). One directory for all web processes.
LAYAN_LETTER_KEY_DIR = Path(env("LAYAN_LETTER_KEY_DIR", str(VAR_DIR / "keys")))
