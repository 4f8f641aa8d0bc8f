"""Unmanaged models over the Gammu SMSD tables (created by this package's migrations, see schema.py).

gammu-smsd owns the rows' lifecycle: it reads `outbox`, moves sent messages to `sentitems` and writes
`inbox`. Layan only inserts outbox rows, reads sentitems, and flips `inbox.Processed`.
The models belong to this package's app, label `sms` (see apps.py), so the messaging core's migrations
never see them and existing databases keep their migration history.
"""

from django.db import models


class GammuBool(models.Field):
    """Gammu's booleans: TEXT 'true'/'false' on SQLite, boolean on PostgreSQL.

    The strings are written on both: PostgreSQL casts the 'true'/'false' literal to boolean.
    """

    def db_type(self, connection):
        return "boolean" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        return value in (True, 1, "true", "1", "yes")

    def to_python(self, value):
        return value in (True, 1, "true", "1", "yes")

    def get_prep_value(self, value):
        return "true" if value in (True, 1, "true", "1", "yes") else "false"


class Coding(models.TextChoices):
    GSM7 = "Default_No_Compression"
    UCS2 = "Unicode_No_Compression"


class GammuInbox(models.Model):
    id = models.AutoField(primary_key=True, db_column="ID")
    sender_number = models.CharField(max_length=20, db_column="SenderNumber")
    text_decoded = models.TextField(db_column="TextDecoded", default="")
    text = models.TextField(db_column="Text", default="")
    coding = models.CharField(max_length=255, db_column="Coding", default=Coding.GSM7)
    udh = models.TextField(db_column="UDH", default="")
    smsc_number = models.CharField(max_length=20, db_column="SMSCNumber", default="")
    recipient_id = models.TextField(db_column="RecipientID", default="")
    processed = GammuBool(db_column="Processed", default=False)

    class Meta:
        app_label = "sms"
        managed = False
        db_table = "gammu_inbox"

    def __str__(self) -> str:
        return f"inbox {self.id}"


class GammuOutbox(models.Model):
    id = models.AutoField(primary_key=True, db_column="ID")
    destination_number = models.CharField(max_length=20, db_column="DestinationNumber")
    text_decoded = models.TextField(db_column="TextDecoded", default="")
    coding = models.CharField(max_length=255, db_column="Coding", default=Coding.GSM7)
    udh = models.TextField(db_column="UDH", null=True, blank=True)
    multipart = GammuBool(db_column="MultiPart", default=False)
    sender_id = models.CharField(max_length=255, db_column="SenderID", null=True)
    creator_id = models.TextField(db_column="CreatorID")
    delivery_report = models.CharField(max_length=10, db_column="DeliveryReport", default="default")
    status = models.CharField(max_length=255, db_column="Status", default="Reserved")

    class Meta:
        app_label = "sms"
        managed = False
        db_table = "gammu_outbox"

    def __str__(self) -> str:
        return f"outbox {self.id}"


class GammuOutboxMultipart(models.Model):
    """Parts 2..n of a long outbox message; part 1 is the outbox row itself."""

    pk = models.CompositePrimaryKey("outbox_id", "sequence_position")
    outbox_id = models.IntegerField(db_column="ID")
    sequence_position = models.IntegerField(db_column="SequencePosition")
    text_decoded = models.TextField(db_column="TextDecoded", null=True)
    coding = models.CharField(max_length=255, db_column="Coding", default=Coding.GSM7)
    udh = models.TextField(db_column="UDH", null=True)

    class Meta:
        app_label = "sms"
        managed = False
        db_table = "gammu_outbox_multipart"

    def __str__(self) -> str:
        return f"outbox {self.outbox_id} part {self.sequence_position}"


class GammuSentItem(models.Model):
    """One row per sent part; (ID, SequencePosition) where ID is the former outbox ID."""

    pk = models.CompositePrimaryKey("outbox_id", "sequence_position")
    outbox_id = models.IntegerField(db_column="ID")
    sequence_position = models.IntegerField(db_column="SequencePosition")
    destination_number = models.CharField(max_length=20, db_column="DestinationNumber")
    text_decoded = models.TextField(db_column="TextDecoded", default="")
    text = models.TextField(db_column="Text", default="")
    udh = models.TextField(db_column="UDH", default="")
    sender_id = models.CharField(max_length=255, db_column="SenderID")
    creator_id = models.TextField(db_column="CreatorID")
    status = models.CharField(max_length=255, db_column="Status")
    status_error = models.IntegerField(db_column="StatusError", default=-1)
    tpmr = models.IntegerField(db_column="TPMR", default=-1)

    class Meta:
        app_label = "sms"
        managed = False
        db_table = "gammu_sentitems"

    def __str__(self) -> str:
        return f"sent {self.outbox_id} part {self.sequence_position}: {self.status}"


class GammuPhone(models.Model):
    """gammu-smsd's heartbeat per modem: used to show whether the modem is alive."""

    imei = models.CharField(max_length=35, primary_key=True, db_column="IMEI")
    phone_id = models.TextField(db_column="ID")
    signal = models.IntegerField(db_column="Signal", default=-1)
    battery = models.IntegerField(db_column="Battery", default=-1)
    sent = models.IntegerField(db_column="Sent", default=0)
    received = models.IntegerField(db_column="Received", default=0)

    class Meta:
        app_label = "sms"
        managed = False
        db_table = "gammu_phones"

    def __str__(self) -> str:
        return f"phone {self.phone_id}"
