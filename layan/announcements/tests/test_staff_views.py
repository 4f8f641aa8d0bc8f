import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from layan.announcements.models import Announcement
from layan.announcements.services import publish_announcement
from layan.messaging.models import Message
from layan.messaging.services import update_status
from testkit.personas import PASSWORD

from .helpers import create_channel, create_contact, create_draft, opt_out_of

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_outsider_gets_404_everywhere(client, personas):
    announcement = create_draft(personas.office)
    login(client, personas.outsider)
    slug = personas.office.slug
    assert client.get(f"/staf/{slug}/pengumuman/").status_code == 404
    assert client.get(f"/staf/{slug}/pengumuman/baru/").status_code == 404
    assert client.get(f"/staf/{slug}/pengumuman/{announcement.pk}/").status_code == 404
    assert client.post(f"/staf/{slug}/pengumuman/{announcement.pk}/terbitkan/").status_code == 404
    # Their own office's URL with our announcement's id is also a 404.
    other = personas.other_office.slug
    assert client.get(f"/staf/{other}/pengumuman/{announcement.pk}/").status_code == 404
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.DRAFT


def test_viewer_reads_but_cannot_publish_or_create(client, personas):
    announcement = create_draft(personas.office)
    login(client, personas.viewer)
    slug = personas.office.slug
    page = client.get(f"/staf/{slug}/pengumuman/")
    assert page.status_code == 200 and "Pelayanan KTP keliling" in page.content.decode()
    assert "Terbitkan sekarang" not in page.content.decode()
    assert client.post(f"/staf/{slug}/pengumuman/{announcement.pk}/terbitkan/").status_code == 403
    assert client.get(f"/staf/{slug}/pengumuman/baru/").status_code == 403
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.DRAFT


def test_staff_writes_and_publishes_from_the_form(client, personas):
    office = personas.office
    create_channel(office, "test")
    create_contact(office, "tel:+6281200000001")
    login(client, personas.staff)
    response = client.post(
        f"/staf/{office.slug}/pengumuman/baru/",
        {
            "title": "Kantor tutup 17 Agustus",
            "body": "Pelayanan libur pada HUT RI.",
            "to_sms": "on",
            "action": "publish",
        },
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get(office=office)
    assert announcement.created_by == personas.staff
    # On the web at once; the SMS is left to the background command.
    assert client.get(f"/{office.slug}/pengumuman/{announcement.pk}/").status_code == 200
    assert announcement.status == Announcement.Status.PUBLISHING
    assert not Message.objects.filter(is_broadcast=True, office=office).exists()
    call_command("publish_announcements")
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.PUBLISHED
    assert Message.objects.filter(is_broadcast=True, office=office).count() == 1


def test_publish_now_hands_the_broadcast_to_the_background_command(client, personas):
    office = personas.office
    create_channel(office, "test")
    create_channel(office, "telegram")
    for i in range(30):
        create_contact(office, f"tel:+628120000{i:04d}", f"telegram:{7000 + i}")
    announcement = create_draft(office, to_sms=True, to_telegram=True)
    login(client, personas.staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/staf/{office.slug}/pengumuman/{announcement.pk}/terbitkan/", follow=True)
    # The request's work does not grow with the number of contacts: no outbox row is written.
    assert not any("messaging_message" in q["sql"] and q["sql"].startswith("INSERT") for q in queries)
    assert not Message.objects.filter(is_broadcast=True).exists()
    assert "Sedang dikirim" in response.content.decode()  # the status staff see
    assert "Pelayanan KTP keliling" in client.get(f"/{office.slug}/pengumuman/").content.decode()

    call_command("publish_announcements")
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.PUBLISHED
    assert Message.objects.filter(is_broadcast=True, office=office).count() == 60
    assert "Sedang dikirim" not in client.get(f"/staf/{office.slug}/pengumuman/").content.decode()


def test_publish_now_without_channels_is_published_at_once(client, personas):
    announcement = create_draft(personas.office)
    login(client, personas.staff)
    client.post(f"/staf/{personas.office.slug}/pengumuman/{announcement.pk}/terbitkan/")
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.PUBLISHED


def test_schedule_in_the_past_is_refused_with_a_clear_message(client, personas):
    login(client, personas.staff)
    response = client.post(
        f"/staf/{personas.office.slug}/pengumuman/baru/",
        {"title": "Rapat", "body": "Rapat desa.", "publish_at": "2020-01-01T08:00", "action": "schedule"},
    )
    assert response.status_code == 400
    assert "masa depan" in response.content.decode()
    assert not Announcement.objects.exists()


def test_schedule_and_cancel(client, personas):
    login(client, personas.staff)
    slug = personas.office.slug
    later = (timezone.now() + timezone.timedelta(days=2)).astimezone(personas.office.tz).strftime("%Y-%m-%dT%H:%M")
    client.post(
        f"/staf/{slug}/pengumuman/baru/",
        {"title": "Posyandu", "body": "Posyandu bulan depan.", "publish_at": later, "action": "schedule"},
    )
    announcement = Announcement.objects.get()
    assert announcement.status == Announcement.Status.SCHEDULED
    client.post(f"/staf/{slug}/pengumuman/{announcement.pk}/batalkan/")
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.CANCELLED


def test_list_shows_per_channel_counts(client, personas):
    office = personas.office
    channel = create_channel(office, "test")
    for i in range(3):
        create_contact(office, f"tel:+62812000004{i:02d}")
    (stopped,) = create_contact(office, "tel:+6281200000499")
    opt_out_of(office, stopped)
    announcement = publish_announcement(create_draft(office, to_sms=True))
    first = Message.objects.filter(announcement_link__announcement=announcement).order_by("id").first()
    update_status(channel, provider_ref=str(first.uuid), status="delivered")
    login(client, personas.viewer)
    page = client.get(f"/staf/{office.slug}/pengumuman/")
    cells = [c.strip() for c in page.content.decode().split('<td class="num">')[1:]]
    # queued, waiting, sent, delivered, failed, opted-out skipped
    assert [c.split("<")[0] for c in cells] == ["3", "2", "0", "1", "0", "1"]


def test_an_announcement_added_in_the_admin_is_created_by_the_service(client, personas):
    client.login(username=personas.admin.username, password=PASSWORD)
    form = {"office": personas.office.pk, "title": "Kantor tutup", "body": "Hari Jumat kantor tutup.", "link": ""}
    response = client.post(reverse("admin:announcements_announcement_add"), form)
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert announcement.created_by == personas.admin and announcement.status == Announcement.Status.DRAFT

    form |= {"title": "Kantor tutup Jumat"}
    url = reverse("admin:announcements_announcement_change", args=[announcement.pk])
    assert client.post(url, form).status_code == 302
    announcement.refresh_from_db()
    assert announcement.title == "Kantor tutup Jumat" and announcement.office == personas.office
