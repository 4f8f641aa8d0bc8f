import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from layan.announcements.models import Announcement
from layan.announcements.services import schedule_announcement
from layan.messaging.models import Message

from .helpers import create_channel, create_contact, create_draft

pytestmark = pytest.mark.django_db


def test_scheduled_announcement_is_published_only_when_due(personas, client):
    office = personas.office
    create_channel(office, "test")
    create_contact(office, "tel:+6281200000001")
    now = timezone.now()
    due = schedule_announcement(
        create_draft(office, title="Sudah waktunya", to_sms=True), publish_at=now + dt.timedelta(minutes=1)
    )
    later = schedule_announcement(
        create_draft(office, title="Minggu depan", to_sms=True), publish_at=now + dt.timedelta(days=7)
    )
    # Time passes for the first one only.
    Announcement.objects.filter(pk=due.pk).update(publish_at=now - dt.timedelta(seconds=1))

    call_command("publish_announcements")
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Announcement.Status.PUBLISHED
    assert later.status == Announcement.Status.SCHEDULED
    assert Message.objects.filter(is_broadcast=True).count() == 1
    assert "Minggu depan" not in client.get(f"/{office.slug}/pengumuman/").content.decode()

    call_command("publish_announcements")  # running again sends nothing more
    assert Message.objects.filter(is_broadcast=True).count() == 1
