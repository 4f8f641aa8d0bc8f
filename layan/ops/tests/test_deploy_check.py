"""`manage.py check --deploy` is clean with the production variables docs/deploy.md documents."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# The variables of docs/deploy.md "Behind a TLS proxy" (the secret is any long random string).
PRODUCTION = {
    "LAYAN_SECRET_KEY": "k7Qe2-not-a-real-secret-but-long-and-random-enough-9fLx0TzWq4Rb8Mv1Yc",
    "LAYAN_ALLOWED_HOSTS": "layan.kisamtinggi.go.id",
    "LAYAN_PUBLIC_BASE_URL": "https://layan.kisamtinggi.go.id",
    "LAYAN_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def check_deploy(tmp_path, variables: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYAN_") and k != "DATABASE_URL"}
    env |= {"LAYAN_VAR_DIR": str(tmp_path / "var")} | variables
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path):
    result = check_deploy(tmp_path, PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_the_site_is_https_but_the_proxy_header_is_not_set(tmp_path):
    variables = {k: v for k, v in PRODUCTION.items() if k != "LAYAN_SECURE_PROXY_SSL_HEADER"}
    result = check_deploy(tmp_path, variables)
    assert result.returncode != 0
    assert "security.W008" in result.stderr  # no redirect to HTTPS: Django cannot tell HTTPS requests
