"""Behind a real TLS proxy: Debian's nginx, with the site config of docs/deploy.md and a self-signed
certificate made here, in front of granian on 127.0.0.1. An officer logs in and POSTs a staff form
through it (no "403 Origin checking failed"), and the security headers reach the browser."""

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from layan.ops.serve import granian_command

ROOT = Path(__file__).resolve().parents[3]
HOST = "layan.test"  # sent as Host and SNI; every connection goes to 127.0.0.1

pytestmark = [pytest.mark.slow, pytest.mark.real_component("nginx")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


def documented_site(cert: Path, key: Path, *, https_port: int, http_port: int, app_port: int) -> str:
    """The nginx site of docs/deploy.md, with this test's ports, host and certificate."""
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    site = re.search(r"```nginx\n(.*?)```", text, re.S)
    assert site, "docs/deploy.md has no nginx example"
    config = site.group(1)
    replacements = [
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("server_name layan.kisamtinggi.go.id;", f"server_name {HOST};"),
        ("/etc/letsencrypt/live/layan.kisamtinggi.go.id/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/layan.kisamtinggi.go.id/privkey.pem", str(key)),
        ("proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://127.0.0.1:{app_port};"),
    ]
    for old, new in replacements:
        assert old in config, old
        config = config.replace(old, new)
    return config


def nginx_conf(tmp: Path, site: str) -> str:
    temp = {name: tmp / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    # As root, nginx's workers would switch to nobody, who cannot read pytest's private tmp dir.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log stderr warn;
daemon off;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
{site}
}}
"""


class Browser:
    """Just enough of a browser over TLS: cookies, and the Origin/Referer a form POST carries."""

    def __init__(self, port: int, cafile: Path):
        self.port = port
        self.origin = f"https://{HOST}:{port}"
        self.context = ssl.create_default_context(cafile=str(cafile))
        self.cookies: dict[str, str] = {}
        self.cookie_flags: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict, str]:
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=20)
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + path,
            }
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
                self.cookie_flags[name] = header
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """nginx in front of granian, started once for this module's tests."""
    tmp_path = tmp_path_factory.mktemp("tls-proxy")
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    openssl = shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx or openssl is missing: apt-get install -y nginx-light openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
         "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    https_port, http_port, app_port = free_port(), free_port(), free_port()
    # The server runs on its own SQLite database in tmp_path, whatever database the suite uses.
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYAN_") and k != "DATABASE_URL"}
    env |= {
        # Production mode with the variables of docs/deploy.md "Behind a TLS proxy".
        "LAYAN_SECRET_KEY": "tls-proxy-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "LAYAN_ALLOWED_HOSTS": HOST,
        "LAYAN_PUBLIC_BASE_URL": f"https://{HOST}:{https_port}",
        "LAYAN_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "LAYAN_VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, "manage.py"]
    for argv in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        done = subprocess.run(manage + argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    personas = "from testkit.personas import create_personas; create_personas()"
    done = subprocess.run(manage + ["shell", "-c", personas], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr

    conf = tmp_path / "nginx.conf"
    site = documented_site(cert, key, https_port=https_port, http_port=http_port, app_port=app_port)
    conf.write_text(nginx_conf(tmp_path, site))
    app = subprocess.Popen(
        granian_command("layan.wsgi:application", host="127.0.0.1", port=app_port, workers=1, threads=2),
        cwd=ROOT,
        env=env,
    )
    proxy = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"], cwd=tmp_path)
    try:
        wait_for_port(app_port, app)
        wait_for_port(https_port, proxy)
        yield {"browser": Browser(https_port, cert), "http_port": http_port}
    finally:
        for proc in (proxy, app):
            proc.terminate()
        for proc in (proxy, app):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def assert_security_headers(headers: dict) -> None:
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_login_and_a_staff_post_through_nginx_with_tls(stack):
    browser = stack["browser"]
    status, headers, html = browser.request("GET", "/admin/login/?next=/staf/kisam-tinggi/telepon/")
    assert status == 200
    assert_security_headers(headers)
    assert "no-store" in headers["cache-control"]
    assert "secure" in browser.cookie_flags["csrftoken"].lower()

    form = {"csrfmiddlewaretoken": csrf_token(html), "username": "staf_a", "password": "sandi-uji-123"}
    status, headers, html = browser.request("POST", "/admin/login/?next=/staf/kisam-tinggi/telepon/", form)
    assert status == 302, html[:2000]  # not 403 "Origin checking failed"
    assert headers["location"] == "/staf/kisam-tinggi/telepon/"
    assert "secure" in browser.cookie_flags["sessionid"].lower()

    status, headers, html = browser.request("GET", "/staf/kisam-tinggi/telepon/")
    assert status == 200
    assert_security_headers(headers)
    assert "no-store" in headers["cache-control"]

    call = {"csrfmiddlewaretoken": csrf_token(html), "caller": "081234567890", "question": "syarat ktp", "save": ""}
    status, headers, html = browser.request("POST", "/staf/kisam-tinggi/telepon/", call)
    assert status == 302, html[:2000]
    status, headers, html = browser.request("GET", "/staf/kisam-tinggi/telepon/")
    assert "Panggilan dicatat" in html


def test_public_pages_through_nginx_carry_hsts_and_csp_and_stay_cacheable(stack):
    status, headers, _html = stack["browser"].request("GET", "/")
    assert status == 200
    assert_security_headers(headers)
    assert "no-store" not in headers.get("cache-control", "")


def test_plain_http_is_sent_to_https(stack):
    connection = http.client.HTTPConnection("127.0.0.1", stack["http_port"], timeout=10)
    connection.request("GET", "/kisam-tinggi/", headers={"Host": HOST})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/kisam-tinggi/"
