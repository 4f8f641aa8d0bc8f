"""In a real browser (Debian's chromium via Playwright), on a tablet: an officer signs in, opens
the announcements from the navigation bar, opens a published announcement and withdraws it; its
public page then says it was withdrawn and when, and the public list and the office home no
longer show it. A viewer sees no withdraw button."""

import pytest
from django.utils import formats, timezone, translation

from layan.announcements.models import Announcement
from layan.announcements.services import publish_announcement
from layan.announcements.tests.helpers import create_draft
from testkit.personas import PASSWORD

TITLE = "Pelayanan KTP keliling"
BODY = "Perekaman KTP-el di Desa Balayan hari Sabtu pukul 08.00."

pytestmark = [pytest.mark.slow, pytest.mark.real_component("chromium")]


@pytest.fixture
def page(browser):
    return browser.new_page(viewport={"width": 1024, "height": 768}, locale="id-ID")


@pytest.fixture
def published(personas):
    """A published announcement (web only: the UI path to write one is tested elsewhere)."""
    announcement = publish_announcement(create_draft(personas.office, title=TITLE, body=BODY))
    assert announcement.status == Announcement.Status.PUBLISHED
    return announcement


def log_in(page, live_server, user, slug: str) -> None:
    page.goto(f"{live_server.url}/staf/masuk/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**/staf/{slug}/")


def open_announcements(page, slug: str) -> None:
    page.get_by_role("navigation", name="Menu petugas").get_by_role("link", name="Pengumuman").click()
    page.wait_for_url(f"**/staf/{slug}/pengumuman/")


def test_officer_withdraws_an_announcement_and_the_public_pages_follow(
    transactional_db, live_server, personas, published, page
):
    office = personas.office
    slug = office.slug
    public_url = f"{live_server.url}/{slug}/pengumuman/{published.pk}/"
    # Before: the public list and the office home show it, so the checks below can fail.
    page.goto(f"{live_server.url}/{slug}/pengumuman/")
    assert page.get_by_role("link", name=TITLE).is_visible()
    page.goto(f"{live_server.url}/{slug}/")
    assert page.locator(".latest-announcements").get_by_role("link", name=TITLE).is_visible()

    log_in(page, live_server, personas.staff, slug)
    open_announcements(page, slug)
    page.get_by_role("heading", name=TITLE).get_by_role("link").click()
    page.wait_for_url(f"**/staf/{slug}/pengumuman/{published.pk}/")
    page.get_by_role("button", name="Tarik pengumuman ini").click()
    page.wait_for_url(f"**/staf/{slug}/pengumuman/")
    assert page.get_by_role("status").filter(has_text="Pengumuman ditarik.").is_visible()

    published.refresh_from_db()
    assert published.status == Announcement.Status.WITHDRAWN
    local = timezone.localtime(published.withdrawn_at, office.tz)
    with translation.override("id"):
        when, short = formats.date_format(local, "j F Y, H:i"), formats.date_format(local, "j M Y H:i")
    meta = page.locator(f"#p-{published.pk} ~ .meta").inner_text()
    assert meta.startswith("Ditarik") and f"ditarik {short}" in meta
    assert not page.get_by_role("button", name="Tarik").is_visible()  # nothing left to withdraw

    response = page.goto(public_url)
    assert response is not None and response.status == 410
    assert page.get_by_role("status").inner_text() == (
        f"Pengumuman ini telah ditarik pada {when} dan tidak berlaku lagi."
    )
    assert page.get_by_text(BODY).count() == 0
    page.goto(f"{live_server.url}/{slug}/pengumuman/")
    assert page.get_by_role("link", name=TITLE).count() == 0
    page.goto(f"{live_server.url}/{slug}/")
    assert page.get_by_text(TITLE).count() == 0


def test_viewer_sees_no_withdraw_button(transactional_db, live_server, personas, published, page):
    slug = personas.office.slug
    log_in(page, live_server, personas.viewer, slug)
    open_announcements(page, slug)
    assert page.get_by_role("heading", name=TITLE).is_visible()
    assert page.get_by_role("button", name="Tarik").count() == 0
    page.get_by_role("heading", name=TITLE).get_by_role("link").click()
    page.wait_for_url(f"**/staf/{slug}/pengumuman/{published.pk}/")
    assert page.get_by_text(BODY).is_visible()
    assert page.get_by_role("button", name="Tarik pengumuman ini").count() == 0
    published.refresh_from_db()
    assert published.status == Announcement.Status.PUBLISHED
