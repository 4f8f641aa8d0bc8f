"""Kannel channel: an operator or aggregator link (SMPP, HTTP) through bearerbox + smsbox.

Outbound: GET /cgi-bin/sendsms on smsbox with a delivery-report URL that carries our message uuid;
Kannel's answer has no message id, so the provider reference is the uuid.

Kannel cannot deduplicate a resend: sendsms takes no idempotency key, and every accepted request
becomes an SMS. A worker that dies after Kannel answered "Accepted" and before it marked the row
sent leaves the row `sending`; when its lease expires another worker sends it again, and the
citizen receives the SMS twice. So does a timeout after Kannel accepted the request (it is
retried as a temporary error). The outbox keeps the window short (see outbox.Worker.process),
and Kannel's "accepted by the SMSC" report (dlr 8, carrying our uuid) marks the row sent before
the lease expires when it comes in time; the window cannot be closed. docs/sms.md says so. Inbound: smsbox calls
views.receive (the sms-service get-url); receipts come to views.delivery_report.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from layan.messaging import http
from layan.messaging.channels.base import SendError, Transport
from layan.messaging.gsm import is_gsm7

# Kannel dlr-mask bits (%d in the dlr-url) -> Layan status. Buffered (4) changes nothing.
DLR_STATUS = {1: "delivered", 2: "failed", 8: "sent", 16: "failed"}
DLR_MASK = 31  # all of the above plus buffered


def dlr_status(value: str) -> str | None:
    try:
        return DLR_STATUS.get(int(value))
    except (TypeError, ValueError):
        return None


def callback_url(channel, name: str, **params) -> str:
    """Absolute URL of one of this channel's webhooks, with the shared secret as `token`."""
    config = channel.config or {}
    base = (config.get("callback_base_url") or settings.PUBLIC_BASE_URL).rstrip("/")
    path = reverse(f"messaging:kannel:{name}", kwargs={"channel_uuid": channel.uuid})
    return f"{base}{path}?" + urlencode({"token": config.get("webhook_secret", ""), **params})


class KannelTransport(Transport):
    kind = "kannel"
    # Config keys, their meaning and which are required: CHANNEL.config_schema in __init__.py.

    def send(self, message) -> str:
        config = self.channel.config or {}
        ref = str(message.uuid)
        params = {
            "username": config.get("username", ""),
            "password": config.get("password", ""),
            "to": message.urn.path,
            "text": message.text,
            "charset": "UTF-8",
            "dlr-mask": DLR_MASK,
            # %d: the report type, %A: the SMSC's answer, %T: when. Kannel fills them in.
            "dlr-url": callback_url(self.channel, "delivery_report", ref=ref) + "&status=%d&answer=%A&ts=%T",
        }
        if not is_gsm7(message.text):
            params["coding"] = 2  # UCS-2; smsbox converts from the UTF-8 charset
        if config.get("sender"):
            params["from"] = config["sender"]
        if config.get("smsc"):
            params["smsc"] = config["smsc"]
        response = http.get(config.get("sendsms_url", ""), params)
        # 202 "0: Accepted for delivery" or "3: Queued for later delivery"; errors raise in http.
        if response.status >= 300:
            raise SendError(f"kannel HTTP {response.status}", permanent=response.status < 500)
        return ref
