"""axe-core on every public and staff page, in Debian's chromium through Playwright: no WCAG 2.2
A/AA violation. axe-core is the npm package pinned in testkit/axe/package.json (`npm ci` there).

To cover a new page, add its path to PUBLIC_PAGES or STAFF_PAGES; `{office}`, `{announcement}`,
`{draft}`, `{withdrawn}`, `{contact}`, `{call}`, `{ticket}`, `{application}`, `{tracking}`, `{letter}` and
`{letter_token}` are filled in
from the sample data made below.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

AXE = Path(settings.BASE_DIR) / "testkit" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

PUBLIC_PAGES = [
    "/",
    "/{office}/",
    "/{office}/cari",
    "/{office}/cari?q=ktp",
    "/{office}/cari?q=zzzz",
    "/{office}/layanan/ktp-el/",
    "/{office}/layanan/tidak-ada/",  # the office's 404 page
    "/{office}/pengumuman/",
    "/{office}/pengumuman/{announcement}/",
    "/{office}/pengumuman/{withdrawn}/",
    "/{office}/antrian/papan/",
    "/{office}/antrian/",
    "/{office}/antrian/kiosk/",
    "/{office}/antrian/kiosk/{ticket}/",
    "/{office}/antrian/kiosk/hadir/",
    "/{office}/antrian/nomor/{ticket}/",
    "/{office}/antrian/janji/",
    "/{office}/antrian/janji/?layanan=ktp-el",
    "/staf/masuk/",
    "/{office}/layanan/ktp-el/ajukan/",
    "/{office}/lacak/",
    "/{office}/lacak/?kode=ABC",  # a code that does not exist: the form with its error
    "/{office}/lacak/{tracking}/",
    "/{office}/lacak/{tracking}/terkirim/",
    "/{office}/verifikasi/",
    "/{office}/verifikasi/{letter_token}/",
]
# Pages that answer with an error status on purpose (and still must be accessible).
STATUS = {
    "/{office}/layanan/tidak-ada/": 404,
    "/{office}/pengumuman/{withdrawn}/": 410,
    "/{office}/lacak/?kode=ABC": 400,
}
STAFF_PAGES = [
    "/staf/{office}/",
    "/staf/{office}/layanan/",
    "/staf/{office}/layanan/ktp-el/",
    "/staf/{office}/layanan/ktp-el/pratinjau/",
    "/staf/{office}/profil/",
    "/staf/{office}/profil/token/",
    "/staf/{office}/pesan/",
    "/staf/{office}/pesan/{contact}/",
    "/staf/{office}/simulator/",
    "/staf/{office}/pengumuman/",
    "/staf/{office}/pengumuman/baru/",
    "/staf/{office}/pengumuman/{draft}/",
    "/staf/{office}/pengumuman/{announcement}/",  # correcting a published one
    "/staf/{office}/telepon/",
    "/staf/{office}/telepon/panggilan/{call}/",
    "/staf/{office}/loket/",
    "/staf/{office}/loket/1/",  # with a called ticket: every button
    "/staf/{office}/loket/2/",  # nobody called: call next, pause, the waiting list
    "/staf/{office}/antrian/suara/",
    "/staf/{office}/antrian/aturan/",
    "/staf/{office}/antrian/statistik/",
    "/staf/{office}/permohonan/",
    "/staf/{office}/permohonan/baru/",
    "/staf/{office}/permohonan/baru/?layanan=ktp-el",
    "/staf/{office}/permohonan/{application}/",
    "/staf/{office}/permohonan/{application}/tanda-terima/",
    "/staf/{office}/surat/",
    "/staf/{office}/surat/{letter}/",
    "/staf/{office}/surat/pengaturan/",
    "/staf/{office}/surat/templat/ktp-el/",
]

# Needs chromium too; CI installs both (.ci/run), and a skip there fails the run.
pytestmark = [pytest.mark.slow, pytest.mark.real_component("axe-core")]


@pytest.fixture
def browser(browser):
    """The shared chromium, once axe-core is installed too."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: cd testkit/axe && npm ci")
    return browser


@pytest.fixture
def sample(transactional_db, demo_office) -> dict:
    """One of everything the pages list: a second office (so `/` is a list), an announcement
    published and one draft, a conversation, a noted call; and a logged-in officer."""
    from layan.announcements.services import create_announcement, publish_now, withdraw_announcement
    from layan.catalogue.services import start_draft
    from layan.messaging.models import Contact
    from layan.messaging.tests.helpers import create_test_channel, receive_one
    from layan.offices.models import Membership, Office
    from layan.telephone.models import CallLog
    from testkit.personas import create_user

    cache.clear()
    start_draft(demo_office.services.get(code="ktp-el"))  # the editor's preview shows a draft
    Office.objects.create(slug="kantor-kedua", name="Kecamatan Kedua", district=demo_office.district)
    news = publish_now(create_announcement(demo_office, title="Pelayanan KTP keliling", body="Di Desa Balayan."))
    draft = create_announcement(demo_office, title="Libur akhir tahun", body="Kantor tutup.")
    withdrawn = publish_now(create_announcement(demo_office, title="Jadwal lama", body="Salah tanggal."))
    receive_one(create_test_channel(demo_office), urn="tel:+6281234567890", text="syarat ktp")
    officer = create_user("petugas-axe", demo_office, role=Membership.Role.ADMIN)  # admin: sees the profile too
    client = Client()
    client.force_login(officer)
    response = client.post(f"/staf/{demo_office.slug}/telepon/", {"caller": "081234567890", "question": "cek KTP"})
    assert response.status_code == 302
    ticket = _queue_sample(demo_office, officer)
    application = _sample_application(demo_office, officer)
    letter = _sample_letter(application, officer)
    return {
        "office": demo_office.slug,
        "announcement": news.pk,
        "draft": draft.pk,
        "withdrawn": withdraw_announcement(withdrawn, user=officer).pk,
        "contact": Contact.objects.filter(office=demo_office).get().uuid,
        "call": CallLog.objects.filter(office=demo_office).get().pk,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "ticket": ticket.token,
        "application": application.pk,
        "tracking": application.tracking_code,
        "letter": letter.pk,
        "letter_token": letter.token,
    }


def _queue_sample(office, officer):
    """The demo's lanes and counters, a bookable slot, two waiting numbers and one called to
    counter 1, where the officer is on duty (counter 2 too); returns a waiting ticket."""
    import datetime as dt

    from django.utils import timezone

    from layan.queue import services
    from layan.queue.models import AppointmentSlot, Counter
    from testkit.personas import open_around_the_clock

    services.set_up_demo_queue(office)
    open_around_the_clock(office)  # tickets at whatever hour the test runs
    ktp = office.services.get(code="ktp-el")
    day = timezone.now().astimezone(office.tz).date() + dt.timedelta(days=1)
    AppointmentSlot.objects.create(office=office, service=ktp, date=day, start=dt.time(9), end=dt.time(10), capacity=4)
    first = services.take_ticket(office, service=ktp, source="kiosk")
    waiting = services.take_ticket(office, service=ktp, source="web")
    services.take_ticket(office, service=ktp, source="kiosk")
    one, two = Counter.objects.filter(office=office).order_by("number")[:2]
    services.call_ticket(one, first, actor=officer)
    services.shift_today(two, user=officer)
    return waiting


def _sample_application(office, officer):
    """A counter application for KTP-el, verified, with a document uploaded to its first line."""
    import io

    from PIL import Image

    from layan.applications.models import Channel, Status
    from layan.applications.services import change_status, submit_application
    from layan.applications.uploads import clean_upload, save_attachment
    from layan.regions.models import Village

    application = submit_application(
        office,
        service=office.services.get(code="ktp-el"),
        applicant_name="Siti Aminah",
        nik="1609101508900001",
        village=Village.objects.filter(district_id=office.district_id).first(),
        phone="081234567890",
        channel=Channel.COUNTER,
        actor=officer,
    )
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG")
    upload = clean_upload(io.BytesIO(out.getvalue()), name="ktp.png")
    save_attachment(application, upload, requirement_check=application.checks.first(), uploaded_by=officer)
    return change_status(application, to=Status.DIVERIFIKASI, actor=officer)


def _sample_letter(application, officer):
    """The application's letter, signed by the officer made a signer (the office's key in the test's var dir)."""
    from layan.letters import keys, services
    from layan.letters.models import Signer

    keys.ensure_key(application.office)
    membership = officer.memberships.get(office=application.office)
    Signer.objects.create(membership=membership, full_name="Camat Uji", title="Camat Kisam Tinggi", nip="1" * 18)
    return services.sign_letter(services.prepare_letter(application, actor=officer), actor=officer)


def violations(page, url: str, status: int = 200) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status == status, url
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    return [
        f"{url}: {v['id']} ({v['impact']}): {v['help']} at "
        + json.dumps([n["target"] for n in v["nodes"][:5]], ensure_ascii=False)
        for v in result["violations"]
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_public_pages_have_no_wcag_violations(live_server, browser, sample, language):
    # bypass_csp: axe is injected as an inline script, which the site's CSP rightly forbids.
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    found = []
    for path in PUBLIC_PAGES:
        found += violations(page, live_server.url + path.format(**sample), STATUS.get(path, 200))
    context.close()
    assert found == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_staff_pages_have_no_wcag_violations(live_server, browser, sample, language):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": sample["session"], "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    page = context.new_page()
    found = []
    for path in STAFF_PAGES:
        url = live_server.url + path.format(**sample)
        found += violations(page, url)
        assert page.url == url, f"{path} did not stay on the page (login?)"
        assert page.locator("html").get_attribute("lang") == language, path
    context.close()
    assert found == []


def test_simulator_announces_the_reply_in_a_live_region(live_server, browser, sample):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": sample["session"], "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/staf/{sample['office']}/simulator/")
    status = page.locator("#chat-status")
    assert status.get_attribute("aria-live") == "polite" and status.inner_text() == ""
    page.get_by_label("Pesan warga").fill("JAM")
    page.get_by_role("button", name="Kirim").click()
    # A locator wait (wait_for_function would eval a string, which the page's CSP forbids).
    page.locator("#chat-status", has_text="Balasan:").wait_for(state="attached", timeout=10000)
    assert "08.00" in status.inner_text()  # the opening hours, read out
    assert page.locator("#chat-status").count() == 1  # the region stayed (filled in place, not replaced)
    context.close()
