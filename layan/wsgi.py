import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
# Files the web server writes under var/ (PDFs, uploads, the SQLite -wal) are private to its user.
os.umask(0o077)
application = get_wsgi_application()
