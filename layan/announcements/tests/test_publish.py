import pytest
from django.test import override_settings

from layan.announcements.models import Announcement, AnnouncementDelivery, AnnouncementMessage
from layan.announcements.services import publish_announcement
from layan.announcements.stats import delivery_counts
from layan.messaging.gsm import is_gsm7, sms_parts
from layan.messaging.models import Message
from layan.messaging.services import update_status
from layan.messaging.tests.helpers import receive_one

from . import helpers
from .helpers import create_channel, create_contact, create_draft, is_opted_out, opt_out_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(personas):
    return personas.office


@pytest.fixture
def channels(office):
    return {
        "sms": create_channel(office, "test", "Simulator"),
        "whatsapp": create_channel(office, "whatsapp"),
        "telegram": create_channel(office, "telegram"),
        "facebook": create_channel(office, "facebook"),
    }


def broadcast_rows(announcement):
    return Message.objects.filter(announcement_link__announcement=announcement)


def test_publish_shows_announcement_on_page_and_feeds(client, office):
    announcement = publish_announcement(create_draft(office))
    assert announcement.status == Announcement.Status.PUBLISHED
    page = client.get(f"/{office.slug}/pengumuman/")
    assert "Pelayanan KTP keliling" in page.content.decode()
    detail = client.get(f"/{office.slug}/pengumuman/{announcement.pk}/")
    assert "Desa Balayan" in detail.content.decode()
    rss = client.get(f"/{office.slug}/pengumuman/feed.xml")
    atom = client.get(f"/{office.slug}/pengumuman/atom.xml")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert b"Pelayanan KTP keliling" in rss.content and b"Pelayanan KTP keliling" in atom.content


@override_settings(LAYAN_FACEBOOK_POST_FUNCTION=helpers.FAKE_POST_FUNCTION)
def test_facebook_page_post_is_recorded(office, channels):
    helpers.PAGE_POSTS.clear()
    announcement = publish_announcement(create_draft(office, to_facebook_page=True))
    delivery = announcement.deliveries.get(kind=AnnouncementDelivery.Kind.FACEBOOK_PAGE)
    assert delivery.status == AnnouncementDelivery.Status.DONE
    assert delivery.post_id == "page_1"
    assert helpers.PAGE_POSTS[0]["channel"] == channels["facebook"].pk
    assert "Desa Balayan" in helpers.PAGE_POSTS[0]["message"]
    assert helpers.PAGE_POSTS[0]["link"].endswith(f"/{office.slug}/pengumuman/{announcement.pk}/")


@override_settings(LAYAN_FACEBOOK_POST_FUNCTION=helpers.FAILING_POST_FUNCTION)
def test_facebook_error_is_recorded_and_other_channels_still_go(office, channels):
    create_contact(office, "tel:+6281200000001")
    announcement = publish_announcement(create_draft(office, to_facebook_page=True, to_sms=True))
    facebook = announcement.deliveries.get(kind=AnnouncementDelivery.Kind.FACEBOOK_PAGE)
    assert facebook.status == AnnouncementDelivery.Status.FAILED
    assert "izin halaman kurang" in facebook.error
    assert broadcast_rows(announcement).count() == 1
    assert announcement.status == Announcement.Status.PUBLISHED


@override_settings(LAYAN_FACEBOOK_POST_FUNCTION="layan.messaging.channels.nonexistent.transport.post_to_page")
def test_missing_facebook_channel_code_gives_clear_error(office, channels):
    announcement = publish_announcement(create_draft(office, to_facebook_page=True))
    facebook = announcement.deliveries.get()
    assert facebook.status == AnnouncementDelivery.Status.FAILED
    assert "belum terpasang" in facebook.error


def test_facebook_without_page_channel_says_so(office):
    announcement = publish_announcement(create_draft(office, to_facebook_page=True))
    assert "belum punya kanal Facebook" in announcement.deliveries.get().error


def test_broadcast_one_row_per_opted_in_urn_on_the_right_channel(office, personas, channels):
    sms_a, wa_a = create_contact(office, "tel:+6281200000001", "whatsapp:6281200000001")
    (sms_b,) = create_contact(office, "tel:+6281200000002")
    (tg_c,) = create_contact(office, "telegram:555001")
    (stopped,) = create_contact(office, "tel:+6281200000003")
    opt_out_of(office, stopped)
    create_contact(office, "facebook:998877")  # Messenger users are reached by the Page post only
    create_contact(personas.other_office, "tel:+6281299999999")  # another office's citizen
    announcement = publish_announcement(create_draft(office, to_sms=True, to_whatsapp=True, to_telegram=True))

    rows = broadcast_rows(announcement)
    assert sorted((m.urn_id, m.channel_id) for m in rows) == sorted(
        [
            (sms_a.pk, channels["sms"].pk),
            (sms_b.pk, channels["sms"].pk),
            (wa_a.pk, channels["whatsapp"].pk),
            (tg_c.pk, channels["telegram"].pk),
        ]
    )
    assert all(m.is_broadcast and m.status == Message.Status.QUEUED for m in rows)
    sms = announcement.deliveries.get(kind="sms")
    assert (sms.queued, sms.skipped_opted_out) == (2, 1)


def test_stop_on_sms_keeps_telegram_and_replies(office, channels):
    phone, telegram = create_contact(office, "tel:+6281200000007", "telegram:777")
    receive_one(channels["sms"], urn=phone.identity, text="STOP", provider_id="in-1")
    assert is_opted_out(office, phone)

    announcement = publish_announcement(create_draft(office, to_sms=True, to_telegram=True))
    assert list(broadcast_rows(announcement).values_list("urn_id", flat=True)) == [telegram.pk]

    # Their own question is still answered on SMS.
    event = receive_one(channels["sms"], urn=phone.identity, text="JAM", provider_id="in-2")
    reply = Message.objects.get(in_reply_to__event=event)
    assert reply.urn_id == phone.pk and not reply.is_broadcast


def test_publishing_twice_enqueues_nothing_more(office, channels):
    for i in range(5):
        create_contact(office, f"tel:+62812000001{i:02d}")
    announcement = create_draft(office, to_sms=True)
    publish_announcement(announcement, batch_size=2)
    publish_announcement(announcement, batch_size=2)
    assert broadcast_rows(announcement).count() == 5
    assert AnnouncementMessage.objects.filter(announcement=announcement).count() == 5


def test_deleting_a_citizen_or_an_announcement_leaves_no_stale_links(office, channels):
    # The link table has no database foreign keys (faster broadcasts); Django's cascade keeps it clean.
    (gone,) = create_contact(office, "tel:+6281200000301")
    (kept,) = create_contact(office, "tel:+6281200000302")
    announcement = publish_announcement(create_draft(office, to_sms=True))
    gone.contact.delete()
    assert list(AnnouncementMessage.objects.values_list("urn_id", flat=True)) == [kept.pk]
    counts = delivery_counts(announcement.deliveries.all())
    assert counts[announcement.deliveries.get().pk].waiting == 1
    announcement.delete()
    assert not AnnouncementMessage.objects.exists()
    assert Message.objects.filter(urn=kept).count() == 1  # the outbox row itself is messaging's


def test_stopped_run_resumes_where_it_left_off(office, channels):
    urns = [create_contact(office, f"tel:+62812000002{i:02d}")[0] for i in range(5)]
    announcement = create_draft(office, to_sms=True)
    calls = iter([False, True])  # one batch, then "SIGTERM"
    first = publish_announcement(announcement, batch_size=2, should_stop=lambda: next(calls))
    assert first.status == Announcement.Status.PUBLISHING
    assert broadcast_rows(announcement).count() == 2
    done = publish_announcement(announcement, batch_size=2)
    assert done.status == Announcement.Status.PUBLISHED
    assert sorted(broadcast_rows(announcement).values_list("urn_id", flat=True)) == [u.pk for u in urns]


def test_cancelled_announcement_is_not_published(office, channels):
    from layan.announcements.services import cancel_announcement

    create_contact(office, "tel:+6281200000001")
    announcement = cancel_announcement(create_draft(office, to_sms=True))
    assert publish_announcement(announcement).status == Announcement.Status.CANCELLED
    assert not Message.objects.filter(is_broadcast=True).exists()


def test_sms_text_fits_three_gsm7_parts_with_the_link(office, channels):
    create_contact(office, "tel:+6281200000001")
    body = "Warga diharap hadir — bawa KK & KTP “asli”. 😀 " * 40
    announcement = publish_announcement(create_draft(office, body=body, to_sms=True))
    text = broadcast_rows(announcement).get().text
    assert is_gsm7(text)
    assert sms_parts(text) <= 3
    assert text.endswith(f"/{office.slug}/pengumuman/{announcement.pk}/")


def test_counts_follow_message_statuses(office, channels):
    for i in range(4):
        create_contact(office, f"tel:+62812000003{i:02d}")
    announcement = publish_announcement(create_draft(office, to_sms=True))
    first, second, third, _ = broadcast_rows(announcement).order_by("id")
    channel = channels["sms"]
    update_status(channel, provider_ref=str(first.uuid), status="sent")
    update_status(channel, provider_ref=str(second.uuid), status="delivered")
    update_status(channel, provider_ref=str(third.uuid), status="failed", error="nomor tidak aktif")
    delivery = announcement.deliveries.get()
    counts = delivery_counts([delivery])[delivery.pk]
    assert (counts.queued, counts.waiting, counts.sent, counts.delivered, counts.failed) == (4, 1, 1, 1, 1)


def test_no_active_channel_fails_that_delivery_only(office):
    create_contact(office, "whatsapp:6281200000001")
    announcement = publish_announcement(create_draft(office, to_whatsapp=True))
    delivery = announcement.deliveries.get()
    assert delivery.status == AnnouncementDelivery.Status.FAILED
    assert "WhatsApp" in delivery.error
    assert announcement.status == Announcement.Status.PUBLISHED


def test_a_citizen_who_writes_to_two_offices_receives_both_offices_announcements(personas):
    # One kabupaten installation: two kecamatan offices, each with its own SMS line.
    office_a, office_b = personas.office, personas.other_office
    line_a, line_b = create_channel(office_a, "test", "SMS A"), create_channel(office_b, "test", "SMS B")
    citizen = "tel:+6281233334444"
    receive_one(line_a, urn=citizen, text="JAM", provider_id="a-1")
    receive_one(line_b, urn=citizen, text="JAM", provider_id="b-1")

    in_a = publish_announcement(create_draft(office_a, title="Pengumuman A", to_sms=True))
    in_b = publish_announcement(create_draft(office_b, title="Pengumuman B", to_sms=True))

    [to_a] = broadcast_rows(in_a)
    [to_b] = broadcast_rows(in_b)
    assert to_a.urn.identity == to_b.urn.identity == citizen
    assert (to_a.channel, to_b.channel) == (line_a, line_b)


def test_stop_to_one_office_keeps_the_other_offices_announcements(personas):
    office_a, office_b = personas.office, personas.other_office
    line_a, line_b = create_channel(office_a, "test", "SMS A"), create_channel(office_b, "test", "SMS B")
    citizen = "tel:+6281233334444"
    receive_one(line_a, urn=citizen, text="JAM", provider_id="a-1")
    receive_one(line_b, urn=citizen, text="JAM", provider_id="b-1")
    receive_one(line_a, urn=citizen, text="STOP", provider_id="a-2")

    assert not broadcast_rows(publish_announcement(create_draft(office_a, to_sms=True))).exists()
    assert broadcast_rows(publish_announcement(create_draft(office_b, to_sms=True))).count() == 1
