"""Android channel: an Android phone with a local SIM running "SMS Gateway for Android" (capcom6).

Local server mode: POST {base_url}/message with basic auth (the phone's own server, user `sms`).
Cloud/private server: POST {base_url}/3rdparty/v1/messages. Our message uuid is the gateway's
message `id`, so a resend after a crash is recognised, and receipts (sms:sent/delivered/failed)
name it as payload.messageId.
"""

import base64

from layan.messaging import http
from layan.messaging.channels.base import SendError, Transport

# Gateway message states -> Layan status (Pending/Processed change nothing).
STATE_STATUS = {"Sent": "sent", "Delivered": "delivered", "Failed": "failed"}


class AndroidTransport(Transport):
    kind = "android"
    # Config keys, their meaning and which are required: CHANNEL.config_schema in __init__.py.

    def _messages_url(self) -> str:
        config = self.channel.config or {}
        base = str(config.get("base_url", "")).rstrip("/")
        return f"{base}/3rdparty/v1/messages" if config.get("mode") == "cloud" else f"{base}/message"

    def _auth(self) -> dict[str, str]:
        config = self.channel.config or {}
        pair = f"{config.get('username', '')}:{config.get('password', '')}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}

    def send(self, message) -> str:
        config = self.channel.config or {}
        body = {
            "id": str(message.uuid),
            "textMessage": {"text": message.text},
            "phoneNumbers": [message.urn.path],
            "withDeliveryReport": True,
        }
        if config.get("sim_number"):
            body["simNumber"] = int(config["sim_number"])
        try:
            http.post_json(self._messages_url(), body, headers=self._auth())
        except SendError as exc:
            # 409: the gateway already has this id, i.e. an earlier attempt got through.
            if "HTTP 409" not in str(exc):
                raise
        return str(message.uuid)

    def fetch_status(self, message) -> str | None:
        """Ask the gateway for a message's state (when webhooks cannot reach Layan)."""
        response = http.get(f"{self._messages_url()}/{message.uuid}", headers=self._auth())
        return STATE_STATUS.get(str((response.json() or {}).get("state", "")))
