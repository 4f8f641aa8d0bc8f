"""A stock RapidSMS 2.2 project (the layout of RapidSMS's project template), for the fair
inbound benchmark: the blocking router, the handlers, message log and default apps, the
database backend as the outgoing backend, and one KeywordHandler (`syarat.handlers`).

SQLite with Django's defaults: no OPTIONS, so SQLite's rollback journal (DELETE) and its
compiled-in synchronous mode (FULL on Debian).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "anchor-benchmark-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
ROOT_URLCONF = "anchorproject.urls"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("ANCHOR_SQLITE_PATH", str(BASE_DIR / "anchor.sqlite3")),
    }
}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tables2",
    "selectable",
    "rapidsms",
    "rapidsms.backends.database",
    "rapidsms.contrib.handlers",
    "rapidsms.contrib.messagelog",
    "rapidsms.contrib.default",  # last: answers what no handler took
]

INSTALLED_BACKENDS = {
    "message_tester": {"ENGINE": "rapidsms.backends.database.DatabaseBackend"},
}
RAPIDSMS_HANDLERS = ["syarat.handlers.SyaratHandler"]
PROJECT_NAME = "Kecamatan Kisam Tinggi"
DEFAULT_RESPONSE = "Maaf, %(project_name)s belum mengerti pesan Anda. Kirim: SYARAT <layanan>, mis. SYARAT KTP."

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
STATIC_URL = "/static/"
