#!/bin/sh
# Builds the RapidSMS 2.2 anchor's own throwaway virtualenv, bench/anchor/.venv (gitignored),
# from PyPI. Needs a Python 3.9-3.12 (RapidSMS 2.2's classifiers); PYTHON overrides the choice.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
if [ ! -x "$here/.venv/bin/python" ]; then
    "$python" -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
"$here/.venv/bin/python" -c "import django, rapidsms; print('anchor ready: RapidSMS', rapidsms.__version__, 'Django', django.get_version())"
