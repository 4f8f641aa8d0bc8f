"""Under the Content-Security-Policy, in a real browser (Debian's chromium via Playwright), the htmx
live search, the print button and an officer's htmx chat still work, and the browser reports no
CSP violation."""

import shutil

import pytest

from layan.offices.models import Membership
from testkit.personas import PASSWORD, create_user

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

pytestmark = [pytest.mark.slow, pytest.mark.real_component("chromium")]

# Collects every violation the page reports (the event fires for blocked inline code and styles too).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


@pytest.fixture
def page(monkeypatch):
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="id-ID")
        page.add_init_script(RECORD_VIOLATIONS)
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        page.console_messages = console  # type: ignore[attr-defined]
        yield page
        browser.close()


def assert_no_violation(page) -> None:
    assert page.evaluate("window.__csp") == []
    assert [m for m in page.console_messages if "Content Security Policy" in m] == []


def test_live_search_and_print_button_work_under_the_policy(transactional_db, live_server, demo_office, page):
    response = page.goto(f"{live_server.url}/{demo_office.slug}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_label("Cari layanan").press_sequentially("bikin ktp", delay=40)
    result = page.locator("#hasil-cari a", has_text="KTP-el")
    result.wait_for(timeout=5000)
    assert page.url.endswith(f"/{demo_office.slug}/")  # htmx swapped the results in place
    assert_no_violation(page)

    result.click()
    page.wait_for_url(f"**/{demo_office.slug}/layanan/ktp-el/")
    assert page.get_by_role("button", name="Cetak daftar").is_visible()  # static/print.js ran
    assert_no_violation(page)


def test_officer_logs_in_and_chats_through_htmx_under_the_policy(transactional_db, live_server, demo_office, page):
    officer = create_user("petugas_csp", demo_office, Membership.Role.STAFF)
    page.goto(f"{live_server.url}/admin/login/?next=/staf/{demo_office.slug}/simulator/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**/staf/{demo_office.slug}/simulator/")
    page.fill("#id_text", "JAM")
    page.get_by_role("button", name="Kirim").click()
    page.locator("#chat li.out").first.wait_for(timeout=5000)
    assert page.url.endswith(f"/staf/{demo_office.slug}/simulator/")
    assert_no_violation(page)


def test_the_api_docs_render_from_the_bundled_swagger_ui_under_the_policy(transactional_db, live_server, page):
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=10000)
    assert outside == []  # no CDN
    assert_no_violation(page)
