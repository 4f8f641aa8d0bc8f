"""Announcements (pengumuman): written once by office staff, published on the web, in RSS/Atom
feeds, as a Facebook Page post, and broadcast to citizens by SMS, WhatsApp and Telegram.

The broadcast itself is ordinary outbox `Message` rows (is_broadcast=True); `AnnouncementMessage`
links each one to its delivery, so counts per channel come from the messages' own statuses.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layan.messaging.channels import channel_types
from layan.messaging.models import Channel, ContactURN, Message
from layan.offices.models import Office


class AnnouncementQuerySet(models.QuerySet):
    def public(self):
        """What citizens see: published (or still being broadcast, the web copy is already out)."""
        return self.filter(
            status__in=[Announcement.Status.PUBLISHING, Announcement.Status.PUBLISHED], published_at__isnull=False
        )

    def public_or_withdrawn(self):
        """What a public detail address may show: a public announcement, or one withdrawn after
        it was out (its page then says so, with the date)."""
        return self.filter(
            status__in=[Announcement.Status.PUBLISHING, Announcement.Status.PUBLISHED, Announcement.Status.WITHDRAWN],
            published_at__isnull=False,
        )

    def due(self, now=None):
        return self.filter(status=Announcement.Status.SCHEDULED, publish_at__lte=now or timezone.now())


class Announcement(models.Model):
    """One announcement of one office.

        draft ──schedule (publish_at in the future)──▶ scheduled ──due, publish_announcements──┐
          │                                               │                                    ▼
          └──publish now──────────────────────────────────┼──────────────────────────────▶ publishing
          │                                               │         (web + feeds visible, Facebook post,
          └──cancel──▶ cancelled ◀──cancel────────────────┘          broadcast batches enqueued)
                                                                                               │
                                                            every broadcast delivery done ──▶ published
                                                                                               │
                                                   withdraw (publishing or published) ──▶ withdrawn

    A public announcement can be corrected (title, body, link: the web copy changes; messages
    already broadcast are never sent again) and withdrawn: lists and feeds leave it out, its page
    says it was withdrawn and when, and the broadcast batches not yet written are stopped.

    "Publish now" in the staff pages only makes the web copy visible (`publishing`, shown as
    "sedang dikirim"); `manage.py publish_announcements --loop` picks every `publishing`
    announcement up within a second or two and does the Facebook post and the broadcast. A crash
    while `publishing` is resumed the same way: each delivery keeps a cursor (the last URN id
    enqueued), so nothing is enqueued twice.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        SCHEDULED = "scheduled", _("terjadwal")
        PUBLISHING = "publishing", _("sedang dikirim")
        PUBLISHED = "published", _("terbit")
        CANCELLED = "cancelled", _("dibatalkan")
        WITHDRAWN = "withdrawn", _("ditarik")

    EDITABLE = (Status.DRAFT, Status.SCHEDULED)
    PUBLIC = (Status.PUBLISHING, Status.PUBLISHED)

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="announcements", verbose_name=_("kantor"))
    title = models.CharField(_("judul"), max_length=150)
    body = models.TextField(_("isi"), max_length=5000)
    link = models.URLField(
        _("tautan"), blank=True, help_text=_("Opsional: halaman lain yang menjelaskan lebih lanjut.")
    )
    publish_at = models.DateTimeField(_("jadwal terbit"), null=True, blank=True, help_text=_("Kosong = segera."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The web copy is always published; these choose the other channels.
    to_facebook_page = models.BooleanField(_("kirim ke Halaman Facebook"), default=False)
    to_sms = models.BooleanField(_("kirim SMS"), default=False)
    to_whatsapp = models.BooleanField(_("kirim WhatsApp"), default=False)
    to_telegram = models.BooleanField(_("kirim Telegram"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ditarik"), null=True, blank=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        indexes = [
            models.Index(fields=["office", "status", "published_at"], name="announcement_public_idx"),
            models.Index(fields=["status", "publish_at"], name="announcement_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("announcements:detail", args=[self.office.slug, self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.status in (self.Status.PUBLISHING, self.Status.PUBLISHED)

    def wanted_kinds(self) -> list[str]:
        """The delivery kinds this announcement asks for, in the order they are published."""
        flags = [
            (AnnouncementDelivery.Kind.FACEBOOK_PAGE, self.to_facebook_page),
            (AnnouncementDelivery.Kind.SMS, self.to_sms),
            (AnnouncementDelivery.Kind.WHATSAPP, self.to_whatsapp),
            (AnnouncementDelivery.Kind.TELEGRAM, self.to_telegram),
        ]
        return [kind for kind, wanted in flags if wanted]


class AnnouncementDelivery(models.Model):
    """One channel of one announcement: the Facebook Page post, or one broadcast (sms/whatsapp/telegram).

        pending ──claimed──▶ running ──all batches enqueued / post made──▶ done
                                │
                                └──no channel, Facebook error──▶ failed (error says why)

    `queued` counts the outbox rows written; sent/delivered/failed come from those rows' statuses.
    `cursor` is the last ContactURN id enqueued (keyset pagination; a resumed run continues there).
    """

    class Kind(models.TextChoices):
        FACEBOOK_PAGE = "facebook_page", _("Halaman Facebook")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")
        TELEGRAM = "telegram", _("Telegram")

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu")
        RUNNING = "running", _("berjalan")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(_("kanal"), max_length=20, choices=Kind.choices)
    channel = models.ForeignKey(Channel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    queued = models.PositiveIntegerField(_("masuk antrean"), default=0)
    skipped_opted_out = models.PositiveIntegerField(_("dilewati (berhenti berlangganan)"), default=0)
    cursor = models.BigIntegerField(default=0)
    post_id = models.CharField(_("ID kiriman"), max_length=200, blank=True)
    error = models.TextField(_("galat"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("pengiriman pengumuman")
        verbose_name_plural = _("pengiriman pengumuman")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "kind"], name="announcement_delivery_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id}:{self.kind}"

    @staticmethod
    def scheme_for(kind: str) -> str | None:
        """The URN scheme a broadcast of this kind sends to, None when it is no broadcast.

        SMS goes to phone numbers; a chat kind to its own scheme when its declaration says it
        `broadcasts`. Facebook Messenger users get no broadcast (Meta's 24-hour rule forbids
        unsolicited messages); the Page post reaches them.
        """
        if kind == AnnouncementDelivery.Kind.SMS:
            return "tel"
        declared = channel_types().get(kind)
        return declared.urn_scheme if declared is not None and declared.broadcasts else None

    @property
    def is_broadcast(self) -> bool:
        return self.scheme_for(self.kind) is not None


class AnnouncementMessage(models.Model):
    """Links an outbox message to the broadcast that wrote it. Unique per (announcement, URN): the
    last guard against enqueuing one citizen twice, whatever happens to the cursor."""

    # A broadcast writes one of these per citizen, and PostgreSQL checks every foreign key of every
    # row at commit: each check costs about 10% of the enqueue time. So no database foreign key
    # here: the only writer is the broadcast's INSERT … SELECT, which takes `announcement` and
    # `delivery` from the delivery row it holds locked and `urn` and `message` from the outbox row
    # it writes in the same statement (whose own foreign keys are checked). Deleting an
    # announcement, a delivery, a URN or a message still removes its links: Django cascades in
    # Python, with or without the database constraint. No index on `urn` alone (only that cascade
    # reads by it, and URNs are rarely deleted) nor on `announcement` alone (the unique
    # (announcement, urn) index starts with it).
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    delivery = models.ForeignKey(
        AnnouncementDelivery, on_delete=models.CASCADE, related_name="links", db_constraint=False
    )
    urn = models.ForeignKey(ContactURN, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)
    message = models.OneToOneField(
        Message, on_delete=models.CASCADE, related_name="announcement_link", db_constraint=False
    )

    class Meta:
        verbose_name = _("pesan pengumuman")
        verbose_name_plural = _("pesan pengumuman")
        constraints = [models.UniqueConstraint(fields=["announcement", "urn"], name="announcement_message_unique_urn")]

    def __str__(self) -> str:
        return f"{self.announcement_id}:{self.urn_id}"
