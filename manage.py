#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # Everything Layan writes (the database, secrets, backups, uploads, PDFs) is private to its user.
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
