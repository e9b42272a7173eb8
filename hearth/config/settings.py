"""Hearth's one settings module: every knob is a typed HEARTH_* variable.

The embedded default (no variables set) is SQLite in WAL mode under ./var,
local media files and an in-process task worker, so `make demo` needs nothing
installed. Production sets HEARTH_ENV=production and must then provide a real
secret key; see docs/configuration.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from hearth.config.env import ConfigError, env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "hearth-insecure-development-key-change-me"  # noqa: S105

HEARTH_ENV = env_str("HEARTH_ENV", "development")
PRODUCTION = HEARTH_ENV == "production"
DATA_DIR = env_path("HEARTH_DATA_DIR", Path.cwd() / "var")
SECRET_KEY = env_str("HEARTH_SECRET_KEY", DEFAULT_SECRET_KEY)
# Off unless asked for: the demo shows the real error pages people would see.
DEBUG = env_bool("HEARTH_DEBUG", default=False)
SITE_NAME = env_str("HEARTH_SITE_NAME", "Hearth")
HEARTH_PORT = env_int("HEARTH_PORT", 8000)
HEARTH_HOST = env_str("HEARTH_HOST", "127.0.0.1")

if HEARTH_ENV not in {"development", "production"}:
    raise ConfigError(f"HEARTH_ENV must be 'development' or 'production', not {HEARTH_ENV!r}")
if PRODUCTION and (
    SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    raise ConfigError(
        "HEARTH_SECRET_KEY must be set to a random string of 50+ characters in production"
    )
if PRODUCTION and DEBUG:
    raise ConfigError("HEARTH_DEBUG must be off in production")

ALLOWED_HOSTS = env_list(
    "HEARTH_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigError(
        "HEARTH_ALLOWED_HOSTS must name the host(s) Hearth is served as in production, "
        "e.g. hearth.example.org"
    )
WEB_WORKERS = env_int("HEARTH_WEB_WORKERS", 2)
WEB_THREADS = env_int("HEARTH_WEB_THREADS", 8)
CSRF_TRUSTED_ORIGINS = env_list("HEARTH_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Staff read instance reports (hearth.moderation) in Django's admin.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "oauth2_provider",
    "hearth.core",
    "hearth.accounts",
    "hearth.wellbeing",
    "hearth.kindness",
    "hearth.posts",
    "hearth.moderation",
    "hearth.communities",
    "hearth.messaging",
    "hearth.gatherings",
    "hearth.support",
    "hearth.feeds",
    "hearth.discovery",
    "hearth.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hearth.wellbeing.middleware.WellbeingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "hearth.config.urls"
WSGI_APPLICATION = "hearth.config.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hearth.core.context_processors.site",
                "hearth.posts.context_processors.reactions",
                "hearth.feeds.context_processors.unread_notifications",
                "hearth.messaging.context_processors.unread_messages",
                "hearth.communities.context_processors.moderation",
                "hearth.wellbeing.context_processors.counts",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env_str("HEARTH_DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("HEARTH_DB_CONN_MAX_AGE", 60)
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "hearth.sqlite3"),
            # Opening a connection and running the PRAGMAs cost about 1 ms,
            # seven times the feed query itself: keep it (docs/benchmarks.md).
            "CONN_MAX_AGE": env_int("HEARTH_DB_CONN_MAX_AGE", 60),
            "OPTIONS": {
                # WAL lets readers run while one writer commits; IMMEDIATE
                # takes the write lock at BEGIN so two writers queue on the
                # busy timeout instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------
REDIS_URL = env_str("HEARTH_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("HEARTH_CACHE_PREFIX", "hearth"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Live updates (hearth/core/live.py, docs/live.md) ---------------------------
# The path the ASGI live app serves, and the URL browsers open it at ("" turns
# live updates off; pages work the same without them).
HEARTH_LIVE_PATH = "/live"
HEARTH_LIVE_URL = env_str("HEARTH_LIVE_URL", HEARTH_LIVE_PATH)
# `hearth serve` runs the live listener on this port beside the WSGI one.
HEARTH_LIVE_PORT = env_int("HEARTH_LIVE_PORT", HEARTH_PORT + 1)
HEARTH_LIVE_KEEPALIVE = env_int("HEARTH_LIVE_KEEPALIVE", 20)
if HEARTH_LIVE_KEEPALIVE < 1:
    raise ConfigError(f"HEARTH_LIVE_KEEPALIVE must be 1 or more, not {HEARTH_LIVE_KEEPALIVE}")
HEARTH_LIVE_PREFIX = env_str("HEARTH_CACHE_PREFIX", "hearth") + ":live:"
# Where Mastodon clients open the streaming API (/api/v1/streaming, served by
# the same ASGI listener as /live). Empty: derived per request (hearth.api.streaming.sse).
HEARTH_STREAMING_URL = env_str("HEARTH_STREAMING_URL")
# Not an environment variable: `hearth demo` sets it when pages, worker and
# /live share one process, the only layout where live updates work without Redis.
HEARTH_LIVE_EMBEDDED = False

# --- Background work ----------------------------------------------------------
TASK_BACKEND = env_str("HEARTH_TASK_BACKEND", "database")
if TASK_BACKEND not in {"database", "immediate"}:
    raise ConfigError(
        f"HEARTH_TASK_BACKEND must be 'database' or 'immediate', not {TASK_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# A task RUNNING this long is taken to belong to a dead worker and runs again.
TASK_STALE_SECONDS = env_int("HEARTH_TASK_STALE_SECONDS", 600)

# --- Mindful use (hearth/wellbeing, docs/wellbeing.md) ---------------------------
# Coarse usage is kept this many days, then deleted (the dashboard shows 30).
HEARTH_USAGE_RETENTION_DAYS = env_int("HEARTH_USAGE_RETENTION_DAYS", 90)
if HEARTH_USAGE_RETENTION_DAYS < 30:
    raise ConfigError(
        "HEARTH_USAGE_RETENTION_DAYS must be at least 30: the private dashboard shows 30 days."
    )

# --- Find your people (hearth/discovery, docs/communities.md) -------------------
# "auto" uses sentence embeddings when the optional extra `ml` is installed,
# the lexical model otherwise; "lexical" or "embeddings" force one.
HEARTH_FIND_PEOPLE_MODEL = env_str("HEARTH_FIND_PEOPLE_MODEL", "auto").strip().lower()
if HEARTH_FIND_PEOPLE_MODEL not in ("auto", "lexical", "embeddings"):
    raise ConfigError(
        "HEARTH_FIND_PEOPLE_MODEL must be auto, lexical or embeddings; "
        f"got {HEARTH_FIND_PEOPLE_MODEL!r}"
    )

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["hearth.accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Email --------------------------------------------------------------------
EMAIL_HOST = env_str("HEARTH_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("HEARTH_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("HEARTH_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_str("HEARTH_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("HEARTH_EMAIL_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("HEARTH_EMAIL_FROM", "Hearth <hearth@localhost>")

# --- Files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = env_path("HEARTH_MEDIA_ROOT", DATA_DIR / "media")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploads: one image may be 16 MB and a post carries four.
MEDIA_MAX_BYTES = 16 * 1024 * 1024
MEDIA_MAX_PIXELS = env_int("HEARTH_MEDIA_MAX_PIXELS", 50_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("HEARTH_SSL_REDIRECT", default=True)
    # Load balancers probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("HEARTH_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Mastodon-compatible client API (hearth/api, docs/api.md) -----------------
# The password grant hands an app the person's password: off unless asked for.
HEARTH_OAUTH_PASSWORD_GRANT = env_bool("HEARTH_OAUTH_PASSWORD_GRANT", default=False)
# Mastodon's tokens do not expire and its clients never refresh; a year is
# the compromise between that and a token that lives for ever.
HEARTH_OAUTH_TOKEN_SECONDS = env_int("HEARTH_OAUTH_TOKEN_SECONDS", 365 * 24 * 3600)
HEARTH_API_RATE_LIMITS = env_bool("HEARTH_API_RATE_LIMITS", default=True)
# Mastodon's defaults: 300 requests per 5 minutes per token (per address
# without one), app registration and media uploads far fewer.
HEARTH_API_RATE_REQUESTS = env_int("HEARTH_API_RATE_REQUESTS", 300)
HEARTH_API_RATE_PERIOD = env_int("HEARTH_API_RATE_PERIOD", 300)
HEARTH_API_RATE_APPS = env_int("HEARTH_API_RATE_APPS", 25)
HEARTH_API_RATE_MEDIA = env_int("HEARTH_API_RATE_MEDIA", 30)
HEARTH_API_RATE_MEDIA_PERIOD = env_int("HEARTH_API_RATE_MEDIA_PERIOD", 1800)
for _name, _value in (
    ("HEARTH_OAUTH_TOKEN_SECONDS", HEARTH_OAUTH_TOKEN_SECONDS),
    ("HEARTH_API_RATE_REQUESTS", HEARTH_API_RATE_REQUESTS),
    ("HEARTH_API_RATE_PERIOD", HEARTH_API_RATE_PERIOD),
    ("HEARTH_API_RATE_APPS", HEARTH_API_RATE_APPS),
    ("HEARTH_API_RATE_MEDIA", HEARTH_API_RATE_MEDIA),
    ("HEARTH_API_RATE_MEDIA_PERIOD", HEARTH_API_RATE_MEDIA_PERIOD),
):
    if _value < 1:
        raise ConfigError(f"{_name} must be 1 or more, not {_value}")
# Not an environment variable: tests give each test its own rate-limit keys.
HEARTH_API_RATE_NAMESPACE = "rl"

# Named so migrations that point at the application (hearth.api.ClientApp)
# can resolve django-oauth-toolkit's swappable model.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER: dict[str, Any] = {
    "SCOPES": {
        "read": "Read everything you can see",
        "write": "Post, react and change your account",
        "follow": "Follow, block and mute people",
        "push": "Receive push notifications",
        "profile": "Read your profile only",
        **{
            f"{kind}:{thing}": f"{kind} {thing}"
            for kind, things in (
                ("read", "accounts blocks bookmarks favourites filters follows lists mutes"),
                ("read", "notifications search statuses"),
                ("write", "accounts blocks bookmarks conversations favourites filters follows"),
                ("write", "lists media mutes notifications reports statuses"),
            )
            for thing in things.split()
        },
    },
    "DEFAULT_SCOPES": ["read"],
    "SCOPES_BACKEND_CLASS": "hearth.api.oauth.AppScopes",
    "OAUTH2_VALIDATOR_CLASS": "hearth.api.oauth.HearthValidator",
    "OAUTH2_BACKEND_CLASS": "hearth.api.oauth.MastodonOAuthLibCore",
    # PKCE is optional as on Mastodon, but a challenge that is sent must be S256.
    "PKCE_REQUIRED": False,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": HEARTH_OAUTH_TOKEN_SECONDS,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": None,
    # RFC 9700 (OAuth 2.0 Security BCP), where Mastodon's clients allow it:
    # no implicit grant, tokens never taken from a query string, the `iss`
    # authorization-response parameter sent, tokens stored hashed, a
    # replayed refresh token revokes its family. The password grant is
    # compliant (off) unless HEARTH_OAUTH_PASSWORD_GRANT turns it on.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": not HEARTH_OAUTH_PASSWORD_GRANT,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
# Two RFC 9700 recommendations Mastodon's clients cannot follow: many send no
# PKCE challenge (W010), and desktop and command-line apps receive the code on
# an http://127.0.0.1 loopback redirect (RFC 8252; W008).
SILENCED_SYSTEM_CHECKS = ["oauth2_provider.W008", "oauth2_provider.W010"]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOG_LEVEL = env_str("HEARTH_LOG_LEVEL", "WARNING").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ConfigError(
        f"HEARTH_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}"
    )
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
