"""A public announcement can be corrected (the web copy changes, nothing is broadcast again) and
withdrawn (lists and feeds leave it out, its page says so with the date); both audited; a viewer
gets 403 and an outsider 404."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from layan.announcements.models import Announcement, AnnouncementDelivery
from layan.announcements.services import (
    AnnouncementError,
    correct_announcement,
    publish_announcement,
    publish_now,
    withdraw_announcement,
)
from layan.messaging.models import Message
from layan.offices.models import AuditEvent
from testkit.personas import PASSWORD

from .helpers import create_channel, create_contact, create_draft

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def sent(personas):
    """A published announcement whose SMS went to two subscribers."""
    office = personas.office
    create_channel(office, "test")
    create_contact(office, "tel:+6281200000001")
    create_contact(office, "tel:+6281200000002")
    announcement = publish_announcement(create_draft(office, to_sms=True))
    assert announcement.status == Announcement.Status.PUBLISHED
    assert Message.objects.filter(is_broadcast=True).count() == 2
    return announcement


def edit_url(a):
    return reverse("announcements:staff_edit", args=[a.office.slug, a.pk])


def withdraw_url(a):
    return reverse("announcements:staff_withdraw", args=[a.office.slug, a.pk])


def public_url(a):
    return reverse("announcements:detail", args=[a.office.slug, a.pk])


def test_correction_changes_the_web_copy_and_never_resends(client, personas, sent):
    login(client, personas.staff)
    response = client.post(
        edit_url(sent), {"title": "Pelayanan KTP keliling (ralat)", "body": "Hari Minggu, bukan Sabtu."}
    )
    assert response.status_code == 302
    page = client.get(public_url(sent)).content.decode()
    assert "Hari Minggu, bukan Sabtu." in page and "(ralat)" in page
    assert "(ralat)" in client.get(reverse("announcements:rss", args=[sent.office.slug])).content.decode()
    # Nothing new in the outbox, and the background command finds nothing to send either.
    call_command("publish_announcements")
    publish_announcement(sent)
    assert Message.objects.filter(is_broadcast=True).count() == 2
    assert "Hari Minggu" not in "".join(Message.objects.values_list("text", flat=True))
    event = AuditEvent.objects.get(action=AuditEvent.Action.EDIT_ANNOUNCEMENT)
    assert event.actor == personas.staff and event.target == f"announcement:{sent.pk}"


def test_correction_cannot_change_the_channels(personas, sent):
    with pytest.raises(TypeError):
        correct_announcement(sent, user=personas.staff, to_whatsapp=True)
    with pytest.raises(AnnouncementError):
        correct_announcement(sent, user=personas.staff, title=" ")


def test_the_edit_page_of_a_public_announcement_offers_correction_and_withdrawal(client, personas, sent):
    login(client, personas.staff)
    html = client.get(edit_url(sent)).content.decode()
    assert "Simpan koreksi" in html and "Tarik pengumuman ini" in html
    assert "to_sms" not in html  # no channel to choose again


def test_withdrawn_leaves_lists_and_feeds_and_its_page_says_so(client, personas, sent):
    office = personas.office
    login(client, personas.staff)
    assert client.post(withdraw_url(sent)).status_code == 302
    sent.refresh_from_db()
    assert sent.status == Announcement.Status.WITHDRAWN and sent.withdrawn_at is not None
    client.logout()
    page = client.get(public_url(sent))
    html = page.content.decode()
    assert page.status_code == 410
    assert "telah ditarik pada" in html and f"{sent.withdrawn_at.astimezone(office.tz):%Y}" in html
    assert "Perekaman KTP-el" not in html  # the withdrawn text is no longer shown
    for name in ("list", "rss", "atom"):
        assert (
            "Pelayanan KTP keliling"
            not in client.get(reverse(f"announcements:{name}", args=[office.slug])).content.decode()
        )
    assert "Pelayanan KTP keliling" not in client.get(reverse("web:office_home", args=[office.slug])).content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.WITHDRAW_ANNOUNCEMENT, actor=personas.staff).exists()


def test_public_and_staff_pages_give_times_in_the_offices_time_zone(client, personas, sent):
    office = personas.office
    office.timezone = "Asia/Jayapura"  # WIT, UTC+9: two hours after the server's WIB
    office.save(update_fields=["timezone"])
    Announcement.objects.filter(pk=sent.pk).update(published_at=dt.datetime(2026, 3, 1, 23, 15, tzinfo=dt.UTC))
    assert "2 Maret 2026, 08:15" in client.get(reverse("announcements:list", args=[office.slug])).content.decode()
    withdraw_announcement(sent, user=personas.staff, now=dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC))
    html = client.get(public_url(sent)).content.decode()
    assert "2 Maret 2026, 08:15" in html and "telah ditarik pada 2 Maret 2026, 10:30" in html
    login(client, personas.staff)
    html = client.get(reverse("announcements:staff_list", args=[office.slug])).content.decode()
    assert "terbit 2 Mar 2026 08:15" in html and "ditarik 2 Mar 2026 10:30" in html


def test_withdrawing_while_broadcasting_stops_the_rest(personas):
    office = personas.office
    create_channel(office, "test")
    create_contact(office, "tel:+6281200000001")
    announcement = publish_now(create_draft(office, to_sms=True))
    assert announcement.status == Announcement.Status.PUBLISHING
    withdraw_announcement(announcement, user=personas.staff)
    call_command("publish_announcements")
    assert not Message.objects.filter(is_broadcast=True).exists()
    assert AnnouncementDelivery.objects.get().status == AnnouncementDelivery.Status.FAILED


def test_only_public_announcements_are_withdrawn_or_corrected(personas):
    draft = create_draft(personas.office)
    with pytest.raises(AnnouncementError):
        withdraw_announcement(draft, user=personas.staff)
    with pytest.raises(AnnouncementError):
        correct_announcement(draft, user=personas.staff, title="x")


def test_viewer_gets_403_and_sees_no_button(client, personas, sent):
    login(client, personas.viewer)
    assert "Tarik" not in client.get(reverse("announcements:staff_list", args=[personas.office.slug])).content.decode()
    assert "Simpan koreksi" not in client.get(edit_url(sent)).content.decode()
    assert client.post(withdraw_url(sent)).status_code == 403
    assert client.post(edit_url(sent), {"title": "x", "body": "y"}).status_code == 403
    sent.refresh_from_db()
    assert sent.status == Announcement.Status.PUBLISHED and sent.title == "Pelayanan KTP keliling"


def test_outsider_gets_404(client, personas, sent):
    login(client, personas.outsider)
    assert client.post(withdraw_url(sent)).status_code == 404
    assert client.post(edit_url(sent), {"title": "x", "body": "y"}).status_code == 404
