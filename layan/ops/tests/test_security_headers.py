"""Security headers a browser acts on: a Content-Security-Policy on every page (and templates
that need no inline script for it), staff pages never cached, HSTS on HTTPS behind the proxy."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from testkit.personas import PASSWORD, create_service

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PUBLIC_PAGES = [
    "/",
    "/kisam-tinggi/",
    "/kisam-tinggi/cari?q=ktp",
    "/kisam-tinggi/layanan/ktp/",
    "/kisam-tinggi/layanan/ktp/",  # the second time from the page cache, ahead of most middleware
    "/kisam-tinggi/pengumuman/",
    "/tidak-ada/",  # the 404 page
]
STAFF_PAGES = [
    "/staf/kisam-tinggi/pesan/",
    "/staf/kisam-tinggi/simulator/",
    "/staf/kisam-tinggi/telepon/",
    "/staf/kisam-tinggi/pengumuman/",
    "/staf/kisam-tinggi/pengumuman/baru/",
    "/admin/",
    "/admin/offices/office/",
]


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {d[0]: d[1:] for d in directives}


def assert_strict_policy(response) -> None:
    csp = policy(response)
    assert csp.get("script-src") == ["'self'"], (response.request["PATH_INFO"], csp)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["style-src"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_carry_a_strict_content_security_policy(client, personas, path):
    create_service(personas.office, "ktp", "KTP-el")
    client.get(path)  # a second visit of a cacheable page is served from the cache
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert_strict_policy(response)


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_carry_the_policy_and_are_never_stored(client, personas, path):
    personas.admin.is_superuser = True
    personas.admin.save()
    assert client.login(username=personas.admin.username, password=PASSWORD)
    response = client.get(path)
    assert response.status_code == 200, path
    assert_strict_policy(response)
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]


def test_the_login_page_is_never_stored(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert_strict_policy(response)


def test_a_staff_page_answering_outsiders_404_is_not_stored_either(client, personas):
    assert client.login(username=personas.outsider.username, password=PASSWORD)
    response = client.get("/staf/kisam-tinggi/pesan/")
    assert response.status_code == 404
    assert "no-store" in response.headers["Cache-Control"]


def test_public_pages_stay_cacheable(client, personas):
    create_service(personas.office, "ktp", "KTP-el")
    response = client.get("/kisam-tinggi/layanan/ktp/")
    assert "no-store" not in response.headers.get("Cache-Control", "")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)
INLINE_STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*["']""", re.I)


def test_templates_have_no_inline_script_handlers_or_styles():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL, INLINE_STYLE_ATTR):
            offenders += [f"{path.relative_to(TEMPLATES)}: {m.group(0)!r}" for m in pattern.finditer(text)]
    assert offenders == []


def test_the_scanner_would_see_an_inline_script():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert EVENT_HANDLER.search('<button onclick="x()">')
    assert not EVENT_HANDLER.search('<button type="button" data-print>')


def test_the_self_contained_500_page_style_is_allowed_by_its_hash():
    """The 500 page carries its own small <style> (static files may be what failed); the policy
    names that style's hash and nothing else inline."""
    text = (TEMPLATES / "500.html").read_text(encoding="utf-8")
    styles = re.findall(r"<style>(.*?)</style>", text, re.S)
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"] == ["'self'", f"'sha256-{digest}'"]


def test_htmx_injects_no_style_and_evaluates_no_attribute_code(client, personas):
    page = client.get("/kisam-tinggi/").content.decode()
    assert '"includeIndicatorStyles":false' in page
    assert '"allowEval":false' in page


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_HSTS_SECONDS=31_536_000)
def test_hsts_on_https_behind_the_proxy_only(client, personas):
    secure = client.get("/kisam-tinggi/", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    plain = client.get("/kisam-tinggi/")
    assert "Strict-Transport-Security" not in plain.headers
