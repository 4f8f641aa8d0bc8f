#!/usr/bin/env bash
# Regenerate the lock files (requirements.txt, requirements-dev.txt) from requirements*.in in throw-away venvs.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/run" && "$tmp/run/bin/pip" install -q -r requirements.in
python3 -m venv "$tmp/dev" && "$tmp/dev/bin/pip" install -q -r requirements.in -r requirements-dev.in
{ echo "# Locked runtime dependencies. Regenerate: make lock"; "$tmp/run/bin/pip" freeze; } > requirements.txt
{
  echo "# Locked development dependencies (includes runtime). Regenerate: make lock"
  echo "-r requirements.txt"
  comm -23 <("$tmp/dev/bin/pip" freeze | sort) <("$tmp/run/bin/pip" freeze | sort)
} > requirements-dev.txt
echo "requirements.txt and requirements-dev.txt updated"
