"""WhatsApp Cloud API channel (Meta-hosted; the office's number is a `phone_number_id`).

The customer-service window: free-form messages only within 24 h of the citizen's last message.
Outside it, and when Meta answers 131047 ("re-engagement message"), the text goes once as the
channel's pre-approved template with the whole text as its one body parameter; without a
template configured the message fails at once (retrying cannot help).
"""

import datetime as dt

from django.utils import timezone

from layan.messaging.channels import meta
from layan.messaging.channels.base import SendError, Transport
from layan.messaging.urns import is_bsuid

WINDOW = dt.timedelta(hours=24)
# Throttling and transient codes (courier's list): retry later.
TEMPORARY_CODES = frozenset({4, 80007, 130429, 131048, 131056, 133016, 131053})
REENGAGEMENT_REQUIRED = 131047
MAX_BUTTONS = 3
BUTTON_TITLE_MAX = 20
OUTSIDE_WINDOW = "di luar jendela 24 jam"


class WhatsAppTransport(Transport):
    kind = "whatsapp"
    supports_choices = True
    # Config keys, their meaning and which are required: CHANNEL.config_schema in __init__.py.

    def _config(self, key: str, default: str = "") -> str:
        return str((self.channel.config or {}).get(key, default) or "")

    def send(self, message) -> str:
        if message.urn.scheme != "whatsapp":
            raise SendError("Alamat ini bukan nomor WhatsApp.", permanent=True)
        if not self._within_window(message):
            return self._send_template(message)
        try:
            return self._post(self._free_form(message))
        except SendError as exc:
            error = meta.graph_error(exc)
            if error.code == REENGAGEMENT_REQUIRED:
                return self._send_template(message)
            raise meta.classify(error, TEMPORARY_CODES, "WhatsApp") from exc

    def _within_window(self, message) -> bool:
        last = message.urn.last_inbound_at
        return last is not None and timezone.now() - last <= WINDOW

    def _send_template(self, message) -> str:
        name = self._config("template_name")
        if not name:
            raise SendError(f"{OUTSIDE_WINDOW} (templat WhatsApp belum diatur)", permanent=True)
        # Template parameters may not contain new lines, tabs or runs of spaces.
        parameter = " ".join(message.text.split())
        body = {
            **self._envelope(message),
            "type": "template",
            "template": {
                "name": name,
                "language": {"policy": "deterministic", "code": self._config("template_language", "id")},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": parameter}]}],
            },
        }
        try:
            return self._post(body)
        except SendError as exc:
            raise meta.classify(meta.graph_error(exc), TEMPORARY_CODES, "WhatsApp") from exc

    def _envelope(self, message) -> dict:
        # A user known only by a business-scoped user id is addressed by `recipient`; `to` is a
        # phone number (and would win if both were given).
        field = "recipient" if is_bsuid(message.urn.path) else "to"
        return {"messaging_product": "whatsapp", "recipient_type": "individual", field: message.urn.path}

    def _free_form(self, message) -> dict:
        choices = message.choices or []
        if 1 <= len(choices) <= MAX_BUTTONS:
            buttons = [
                {"type": "reply", "reply": {"id": str(i), "title": _title(i, name)}}
                for i, name in enumerate(choices, 1)
            ]
            return {
                **self._envelope(message),
                "type": "interactive",
                "interactive": {"type": "button", "body": {"text": message.text}, "action": {"buttons": buttons}},
            }
        return {**self._envelope(message), "type": "text", "text": {"body": message.text, "preview_url": False}}

    def _post(self, body: dict) -> str:
        answer = meta.post_graph(
            f"{self._config('phone_number_id')}/messages", body, token=self._config("access_token")
        )
        messages = answer.get("messages") or [{}]
        wamid = str((messages[0] or {}).get("id") or "")
        if not wamid:
            raise SendError("WhatsApp tidak mengembalikan id pesan.", permanent=False)
        return wamid


def _title(number: int, name: str) -> str:
    title = f"{number}. {name}"
    return title if len(title) <= BUTTON_TITLE_MAX else title[: BUTTON_TITLE_MAX - 1].rstrip() + "…"
