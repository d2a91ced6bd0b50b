"""One settings module for every environment, configured only from environment variables.

Defaults suit a laptop demo (SQLite under ./var, console email, DEBUG on); production sets
DEBUG=false, SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and the rest (see README.md).
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent  # src/hrnet
VAR_DIR = Path(environ.Env().str("HRNET_VAR_DIR", default=str(Path.cwd() / "var")))

env = environ.Env()
if "DATABASE_URL" not in env and "HRNET_VAR_DIR" not in env:
    VAR_DIR.mkdir(exist_ok=True)

DEBUG = env.bool("DEBUG", default=True)
# A fixed development key only while DEBUG is on; production must set its own.
SECRET_KEY = (
    env.str("SECRET_KEY", default="")
    if not DEBUG
    else env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Before django_tasks_db: its `db_worker` command is hrnet.core's, which outlives a
    # lost database (Django's command lookup lets the earlier app win).
    "hrnet.core",
    "django_tasks",
    "django_tasks_db",
    "hrnet.geo",
    "hrnet.accounts",
    "hrnet.members",
    "hrnet.news",
    "hrnet.library",
    "hrnet.search",
    "hrnet.events",
    "hrnet.assistance",
    "hrnet.campaigns",
    "hrnet.evidence",
    "hrnet.outreach",
    "hrnet.network",
    "hrnet.rights",
    "hrnet.mailings",
    "hrnet.discussions",
    "hrnet.governance",
    "hrnet.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses oversized bodies before anything reads them, and answers a lost database with
    # 503 (JSON under /api/); high up so no middleware parses a body first.
    "hrnet.core.middleware.RequestLimitsMiddleware",
    "hrnet.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages (HTML, JSON) for browsers that accept them, to a quarter of their
    # size or less (bench/weight_bench.py). Below WhiteNoise, which answers static files
    # itself with the .gz files collectstatic wrote; above every middleware that reads
    # or writes the body. BREACH (a secret in a compressed page that also reflects what
    # the attacker sends): CSRF tokens are masked anew on every response, and Django pads
    # each compressed response with random bytes ("Heal the Breach"), which makes the
    # length of a response a poor oracle; session and API keys travel in headers only.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hrnet.accounts.middleware.UserPreferencesMiddleware",
    "hrnet.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "hrnet.urls"
WSGI_APPLICATION = "hrnet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hrnet.core.context_processors.site",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hrnet.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo's web server and task runner share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:me"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins for one email (or from one address) within the window before refusing.
HRNET_LOGIN_MAX_FAILURES = env.int("HRNET_LOGIN_MAX_FAILURES", default=5)
HRNET_LOGIN_FAILURE_WINDOW_MINUTES = env.int("HRNET_LOGIN_FAILURE_WINDOW_MINUTES", default=15)
# Roles that may see sensitive records must use two-factor authentication; on by default
# in production, off while DEBUG is on (the demo).
HRNET_2FA_REQUIRED = env.bool("HRNET_2FA_REQUIRED", default=not DEBUG)
HRNET_2FA_REQUIRED_ROLES = env.list(
    "HRNET_2FA_REQUIRED_ROLES", default=["secretariat", "sitestaff", "documenter"]
)
HRNET_INVITATION_DAYS = env.int("HRNET_INVITATION_DAYS", default=14)
HRNET_TRASH_RETENTION_DAYS = env.int("HRNET_TRASH_RETENTION_DAYS", default=30)
# --- membership -------------------------------------------------------------------------
# Staff of a member organisation who are members through it, at most this many per
# organisation.
HRNET_INHERITED_MEMBERSHIP_CAP = env.int("HRNET_INHERITED_MEMBERSHIP_CAP", default=5)
# Renewal reminders go out this many days before a term ends.
HRNET_RENEWAL_REMINDER_DAYS = [
    int(days) for days in env.list("HRNET_RENEWAL_REMINDER_DAYS", default=["30", "7"])
]
# With the committee vote on, approving an application needs a vote of the committee:
# at least QUORUM votes cast, and more than MAJORITY of the approve/reject votes approving.
# Seconds to cache the member map's counts per kind of viewer (0: always fresh).
HRNET_MEMBER_MAP_CACHE_SECONDS = env.int("HRNET_MEMBER_MAP_CACHE_SECONDS", default=0)
# Applications accepted from one network address per hour (the form and API are public).
HRNET_APPLICATIONS_PER_HOUR = env.int("HRNET_APPLICATIONS_PER_HOUR", default=5)
# Sign-ons to campaign statements accepted from one network address per hour.
HRNET_SIGNATURES_PER_HOUR = env.int("HRNET_SIGNATURES_PER_HOUR", default=10)
# Public figures about fewer people than this show as "<5" (site values, rights statistics).
HRNET_SUPPRESSION_THRESHOLD = env.int("HRNET_SUPPRESSION_THRESHOLD", default=5)
# Guest registrations for public events accepted per network address and per email an hour.
HRNET_EVENT_GUEST_REGISTRATIONS_PER_HOUR = env.int(
    "HRNET_EVENT_GUEST_REGISTRATIONS_PER_HOUR", default=10
)
HRNET_EVENT_GUEST_REGISTRATIONS_PER_EMAIL = env.int(
    "HRNET_EVENT_GUEST_REGISTRATIONS_PER_EMAIL", default=3
)
# Emails a mailing sends per minute (0: as fast as the mail server takes them).
HRNET_MAILING_RATE_PER_MINUTE = env.int("HRNET_MAILING_RATE_PER_MINUTE", default=120)
# Discussions: how long after posting an author may still edit (every edit is kept), how
# many posts one person may write per hour, and an optional self-hosted LibreTranslate
# server for the "Translate" button (off when empty).
HRNET_DISCUSSION_EDIT_MINUTES = env.int("HRNET_DISCUSSION_EDIT_MINUTES", default=24 * 60)
HRNET_DISCUSSION_POSTS_PER_HOUR = env.int("HRNET_DISCUSSION_POSTS_PER_HOUR", default=30)
HRNET_TRANSLATE_URL = env.str("HRNET_TRANSLATE_URL", default="")
HRNET_TRANSLATE_API_KEY = env.str("HRNET_TRANSLATE_API_KEY", default="")
# Messages accepted from one network address per hour by the public contact form.
HRNET_CONTACT_MESSAGES_PER_HOUR = env.int("HRNET_CONTACT_MESSAGES_PER_HOUR", default=5)
# Fernet keys for rights cases at rest, comma-separated; the first encrypts, all decrypt
# (hrnet.rights.crypto). Required when DEBUG is off.
HRNET_RIGHTS_KEYS = env.list("HRNET_RIGHTS_KEYS", default=[])
# Reports the public intake form accepts from one network address per hour.
HRNET_RIGHTS_INTAKE_PER_HOUR = env.int("HRNET_RIGHTS_INTAKE_PER_HOUR", default=3)
# How a client's Unique Identifier Code is built (hrnet.outreach.uic.UIC_SCHEMES).
HRNET_UIC_SCHEME = env.str("HRNET_UIC_SCHEME", default="central_asia")
# Names in one country at least this alike (0-1: edit distance after transliteration) are
# suggested as possible duplicates (import, applications, the duplicates page).
HRNET_DUPLICATE_SIMILARITY = env.float("HRNET_DUPLICATE_SIMILARITY", default=0.85)
HRNET_COMMITTEE_VOTE = env.bool("HRNET_COMMITTEE_VOTE", default=False)
HRNET_COMMITTEE_QUORUM = env.int("HRNET_COMMITTEE_QUORUM", default=3)
HRNET_COMMITTEE_MAJORITY = env.float("HRNET_COMMITTEE_MAJORITY", default=0.5)
# --- events ---------------------------------------------------------------------------
# A seat freed on a full event is offered to the first person waiting for this many hours
# (never past the event's start); unanswered, it passes to the next (`hrnet events_tick`).
HRNET_EVENT_OFFER_HOURS = env.int("HRNET_EVENT_OFFER_HOURS", default=24)
# Experts are reminded this many days before a technical-assistance request is due.
HRNET_ASSISTANCE_DUE_REMINDER_DAYS = env.int("HRNET_ASSISTANCE_DUE_REMINDER_DAYS", default=3)

OTP_TOTP_ISSUER = env.str("HRNET_NETWORK_SHORT_NAME", default="hrnet")

# --- internationalisation -------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_TZ = True

# --- static and media files -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    # Files only the application hands out after a permission check (library files):
    # never under MEDIA_URL. With object storage, a private bucket.
    "private": {
        "BACKEND": env.str(
            "PRIVATE_STORAGE", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json(
            "PRIVATE_STORAGE_OPTIONS",
            default={"location": env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))},
        ),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Library uploads (PDF, DOCX, XLSX, PPTX) above this size are refused with a message.
HRNET_LIBRARY_MAX_UPLOAD_MB = env.int("HRNET_LIBRARY_MAX_UPLOAD_MB", default=25)

# --- email ----------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="hrnet <noreply@hrnet.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- background tasks -----------------------------------------------------------------
# Immediate (in-process) in the demo and tests; the database queue, worked by
# `hrnet db_worker` on any number of machines, in production.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASK_BACKEND",
            default="django_tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# --- security -------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
if not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way decision for the operator, not a default we can make.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# No inline scripts or styles anywhere: every script and stylesheet is a vendored file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Client codes never reach a log line or an error report (hrnet.core.errors).
DEFAULT_EXCEPTION_REPORTER = "hrnet.core.errors.PrivateDataExceptionReporter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_codes": {"()": "hrnet.core.errors.ClientCodeFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_codes"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["client_codes"],
        },
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "client_codes"],
        },
    },
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# --- client addresses, sign-in and API tokens ---------------------------------------
# The reverse proxies in front of the app servers (addresses or CIDR networks): behind
# them, and only behind them, the client's address is read from X-Forwarded-For. Empty:
# the socket's address (no proxy).
HRNET_TRUSTED_PROXIES = env.list("HRNET_TRUSTED_PROXIES", default=[])
# Failed sign-ins from one address (whatever the accounts) within the window before that
# address waits; the per-account limit is HRNET_LOGIN_MAX_FAILURES.
HRNET_LOGIN_MAX_FAILURES_PER_ADDRESS = env.int("HRNET_LOGIN_MAX_FAILURES_PER_ADDRESS", default=30)
# Days a new personal API token works.
HRNET_API_TOKEN_DAYS = env.int("HRNET_API_TOKEN_DAYS", default=180)

# --- the task worker ------------------------------------------------------------------
# A running task whose worker has not been heard from for this long is taken back: run
# again, or failed with a reason after HRNET_TASK_MAX_ATTEMPTS tries.
HRNET_TASK_LEASE_SECONDS = env.int("HRNET_TASK_LEASE_SECONDS", default=60)
HRNET_TASK_MAX_ATTEMPTS = env.int("HRNET_TASK_MAX_ATTEMPTS", default=3)

# --- request limits and errors ----------------------------------------------------------
# Request bodies larger than this (Content-Length, in MB) are refused with 413 before they
# are read (hrnet.core.middleware): anonymous requests (no session cookie, no Authorization
# header) only fill in the public forms, which take no files; signed-in ones may upload a
# library file (HRNET_LIBRARY_MAX_UPLOAD_MB) or an import of some 200,000 rows. The reverse
# proxy's client_max_body_size must be at least as large (deploy/nginx).
HRNET_ANONYMOUS_MAX_REQUEST_MB = env.int("HRNET_ANONYMOUS_MAX_REQUEST_MB", default=10)
HRNET_MAX_REQUEST_MB = env.int("HRNET_MAX_REQUEST_MB", default=100)
# The public rights statistics list every year from this one (0: from the year of the
# earliest case they count) to the current year.
HRNET_RIGHTS_STATISTICS_FIRST_YEAR = env.int("HRNET_RIGHTS_STATISTICS_FIRST_YEAR", default=0)

# --- exports --------------------------------------------------------------------------
# Exports one network address may download per hour without signing in.
HRNET_EXPORTS_PER_HOUR = env.int("HRNET_EXPORTS_PER_HOUR", default=30)
# Rows an XLSX export may hold for a reader who has not signed in (a workbook is built
# whole before it is sent; CSV streams and is not bound by this).
HRNET_ANONYMOUS_XLSX_MAX_ROWS = env.int("HRNET_ANONYMOUS_XLSX_MAX_ROWS", default=20_000)

# --- backups --------------------------------------------------------------------------
# Where `hrnet backup` writes its archives when no --output is given (keep them on another
# disk or copy them off the machine; docs/backups.md).
HRNET_BACKUP_DIR = Path(env.str("HRNET_BACKUP_DIR", default=str(VAR_DIR / "backups")))

# Shown on the demo and in emails.
HRNET_SITE_URL = env.str("HRNET_SITE_URL", default="http://127.0.0.1:8000")
