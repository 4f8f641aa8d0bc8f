"""The office profile page /staf/<office>/profil/: the admin edits, other staff read, outsiders get 404;
a holiday entered there closes the office on the public page and in the JAM answer."""

import datetime as dt

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils import timezone

from layan.messaging.engine import Context, respond
from layan.messaging.services import create_channel, get_or_create_urn
from layan.offices import services
from layan.offices.models import AuditEvent, Facility, Holiday, Membership, OpeningHours
from testkit.personas import PASSWORD

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)  # the personas' offices open 08:00–15:30 Monday to Thursday


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def url(office, tail: str = "") -> str:
    return f"/staf/{office.slug}/profil/{tail}"


WRITES = [
    ("kontak/", {"address": "Jl. Baru"}),
    ("jam/", {"day0": "08.00-12.00"}),
    ("libur/", {"date": "2026-12-10", "name": "HUT Kabupaten"}),
    ("libur/isi/", {"year": "2027"}),
    ("fasilitas/", {"name": "Ruang tunggu"}),
    ("staf/", {"mode": "create", "username": "baru", "role": "staff"}),
]


def test_outsider_gets_404_everywhere(client, personas):
    holiday = Holiday.objects.create(office=personas.office, date=dt.date(2026, 12, 10), name="X")
    facility = Facility.objects.create(office=personas.office, code="tunggu", name="Ruang tunggu")
    member = Membership.objects.get(user=personas.staff)
    login(client, personas.outsider)
    assert client.get(url(personas.office)).status_code == 404
    for tail, data in WRITES:
        assert client.post(url(personas.office, tail), data).status_code == 404, tail
    for tail in (f"libur/{holiday.pk}/", f"fasilitas/{facility.pk}/", f"staf/{member.pk}/"):
        assert client.post(url(personas.office, tail), {"remove": "1"}).status_code == 404, tail
    # Their own office's URL with our rows' ids is also a 404.
    assert client.post(url(personas.other_office, f"libur/{holiday.pk}/"), {"remove": "1"}).status_code == 404
    assert Holiday.objects.filter(pk=holiday.pk).exists() and Facility.objects.filter(pk=facility.pk).exists()


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(url(personas.office))
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("who", ["staff", "viewer"])
def test_staff_and_viewer_read_but_cannot_change(client, personas, who):
    services.update_office_profile(personas.office, actor=personas.admin, changes={"phone": "(0735) 123456"})
    login(client, getattr(personas, who))
    page = client.get(url(personas.office))
    assert page.status_code == 200
    body = page.content.decode()
    assert "(0735) 123456" in body and "Riwayat perubahan" in body and "Hanya admin kantor" in body
    assert "Simpan alamat dan kontak" not in body and "Tambah petugas" not in body
    for tail, data in WRITES:
        assert client.post(url(personas.office, tail), data).status_code == 403, tail
    assert AuditEvent.objects.filter(office=personas.office).count() == 1


def test_admin_edits_contacts_and_sees_it_in_the_history(client, personas):
    login(client, personas.admin)
    fields = {name: getattr(personas.office, name) for name in services.PROFILE_FIELDS}
    response = client.post(url(personas.office, "kontak/"), fields | {"whatsapp_number": "0812 7777 1608"})
    assert response.status_code == 302
    page = client.get(url(personas.office)).content.decode()
    assert "0812 7777 1608" in page
    assert "Mengubah profil kantor: nomor WhatsApp" in page and "admin_a" in page
    bad = client.post(url(personas.office, "kontak/"), fields | {"email": "bukan email"})
    assert bad.status_code == 400 and "Periksa isian" in bad.content.decode()


def test_admin_sets_hours_with_a_friday_prayer_break(client, personas):
    login(client, personas.admin)
    week = {f"day{d}": "08.00-15.30" for d in range(4)} | {"day4": "08.00-11.30, 13.30-16.00"}
    assert client.post(url(personas.office, "jam/"), week).status_code == 302
    friday = [(h.opens, h.closes) for h in OpeningHours.objects.filter(office=personas.office, weekday=4)]
    assert friday == [(dt.time(8), dt.time(11, 30)), (dt.time(13, 30), dt.time(16))]
    public = client.get(f"/{personas.office.slug}/").content.decode()
    assert "08.00–11.30, 13.30–16.00" in public
    bad = client.post(url(personas.office, "jam/"), {"day0": "jam delapan"})
    assert bad.status_code == 400 and "tidak dikenali" in bad.content.decode()


def test_admin_seeds_next_year_and_the_warning_goes(client, personas, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC))
    login(client, personas.admin)
    assert "Belum ada hari libur untuk tahun 2027" in client.get(url(personas.office)).content.decode()
    assert client.post(url(personas.office, "libur/isi/"), {"year": "2027"}).status_code == 302
    page = client.get(url(personas.office)).content.decode()
    assert "Belum ada hari libur untuk tahun 2027" not in page
    assert "Hari Raya Idul Fitri" in page and "Cuti Bersama" in page
    assert "Mengisi libur nasional: libur nasional 2027" in page


def test_admin_edits_and_removes_a_holiday(client, personas):
    login(client, personas.admin)
    client.post(url(personas.office, "libur/"), {"date": "2026-12-10", "name": "HUT Kabupaten"})
    holiday = Holiday.objects.get(office=personas.office)
    dup = client.post(url(personas.office, "libur/"), {"date": "2026-12-10", "name": "Lagi"})
    assert dup.status_code == 400 and "sudah tercatat" in dup.content.decode()
    client.post(url(personas.office, f"libur/{holiday.pk}/"), {"date": "2026-12-11", "name": "HUT OKU Selatan"})
    holiday.refresh_from_db()
    assert (holiday.date, holiday.name) == (dt.date(2026, 12, 11), "HUT OKU Selatan")
    client.post(url(personas.office, f"libur/{holiday.pk}/"), {"remove": "1"})
    assert not Holiday.objects.filter(office=personas.office).exists()
    assert [e.action for e in AuditEvent.objects.filter(office=personas.office).order_by("id")] == [
        "add_holiday",
        "change_holiday",
        "remove_holiday",
    ]


def test_admin_manages_facilities(client, personas):
    login(client, personas.admin)
    for name in ("Ruang tunggu", "Ruang bermain anak", "Area merokok"):
        client.post(url(personas.office, "fasilitas/"), {"name": name})
    smoking = Facility.objects.get(office=personas.office, name="Area merokok")
    client.post(url(personas.office, f"fasilitas/{smoking.pk}/"), {"up": "1"})
    client.post(url(personas.office, f"fasilitas/{smoking.pk}/"), {"name": "Area merokok (luar)", "description": ""})
    play = Facility.objects.get(office=personas.office, name="Ruang bermain anak")
    client.post(url(personas.office, f"fasilitas/{play.pk}/"), {"remove": "1"})
    assert [f.name for f in personas.office.facilities.all()] == ["Ruang tunggu", "Area merokok (luar)"]
    assert "Area merokok (luar)" in client.get(f"/{personas.office.slug}/").content.decode()


def test_channels_are_listed_with_secrets_masked(client, personas):
    secret = {"token": "RAHASIA-123"}
    create_channel(kind="telegram", name="Bot Telegram", office=personas.office, address="@kisam_bot", config=secret)
    login(client, personas.viewer)
    page = client.get(url(personas.office)).content.decode()
    assert "Bot Telegram" in page and "@kisam_bot" in page and "Telegram" in page and "Aktif" in page
    assert "RAHASIA-123" not in page and "••••" in page


def test_admin_adds_an_officer_and_sees_the_password_once(client, personas):
    login(client, personas.admin)
    response = client.post(
        url(personas.office, "staf/"), {"mode": "create", "username": "rina", "full_name": "Rina", "role": "staff"}
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = response.context["new_password"]
    assert password and password in response.content.decode()
    assert password not in client.get(url(personas.office)).content.decode()
    client.logout()
    signed_in = client.post(resolve_url(settings.LOGIN_URL), {"username": "rina", "password": password})
    assert signed_in.status_code == 302
    assert client.get(url(personas.office)).status_code == 200  # the new officer reads the profile


def test_admin_changes_a_role_and_removes_an_officer_but_not_the_last_admin(client, personas):
    login(client, personas.admin)
    staff = Membership.objects.get(office=personas.office, user=personas.staff)
    mine = Membership.objects.get(office=personas.office, user=personas.admin)
    client.post(url(personas.office, f"staf/{staff.pk}/"), {f"m{staff.pk}-role": "viewer"})
    staff.refresh_from_db()
    assert staff.role == "viewer"
    refused = client.post(url(personas.office, f"staf/{mine.pk}/"), {"remove": "1"})
    assert refused.status_code == 400 and "Admin terakhir" in refused.content.decode()
    client.post(url(personas.office, f"staf/{staff.pk}/"), {"remove": "1"})
    assert not Membership.objects.filter(pk=staff.pk).exists()
    page = client.get(url(personas.office)).content.decode()
    assert "Mengubah peran staf: staf:staf_a viewer" in page and "Mengeluarkan staf: staf:staf_a" in page


def test_a_holiday_shows_tutup_on_the_office_home(client, personas, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime.combine(MONDAY, dt.time(9), tzinfo=personas.office.tz))
    home = f"/{personas.office.slug}/"
    assert "Buka sekarang" in client.get(home).content.decode()
    services.save_holiday(personas.office, actor=personas.admin, date=MONDAY, name="Libur daerah")
    body = client.get(home).content.decode()
    assert "Buka sekarang" not in body and "Tutup" in body


def test_a_holiday_makes_the_jam_reply_say_closed(personas):
    channel = create_channel(kind="test", name="Uji", office=personas.office)
    urn = get_or_create_urn("tel:+6281234567890", channel=channel)
    monday_morning = dt.datetime.combine(MONDAY, dt.time(9), tzinfo=personas.office.tz)

    def jam() -> str:
        # As for each inbound message, the channel and its office are read afresh.
        channel.refresh_from_db()
        channel.office.refresh_from_db()
        ctx = Context(channel=channel, urn=urn, contact=urn.contact, text="JAM", now=monday_morning)
        return respond(ctx).replies[0].text

    assert "Sekarang BUKA" in jam()
    services.save_holiday(personas.office, actor=personas.admin, date=MONDAY, name="Libur daerah")
    reply = jam()
    assert "Hari ini libur (Libur daerah): TUTUP" in reply and "BUKA" not in reply
