"""Facebook channel: Messenger conversations with the office's Page, Page posts and private
replies to Page comments.

Messenger's 24-hour rule: a free message may only go out within 24 h of the citizen's last
message to the Page (`messaging_type` RESPONSE for a reply, UPDATE otherwise). After that, only a
staff answer may still go, with the HUMAN_AGENT tag, for 7 days. Anything else is failed at once
with "di luar jendela 24 jam": Meta would refuse it, and retrying cannot help.
"""

import datetime as dt

from django.utils import timezone

from layan.messaging.channels import meta
from layan.messaging.channels.base import SendError, Transport

RESPONSE_WINDOW = dt.timedelta(hours=24)
HUMAN_AGENT_WINDOW = dt.timedelta(days=7)
# Graph codes that mean "slow down": 4 app-level throttling, 613 calls above the rate limit.
TEMPORARY_CODES = frozenset({4, 613})
QUICK_REPLY_MAX = 13
QUICK_REPLY_TITLE_MAX = 20
OUTSIDE_WINDOW = "di luar jendela 24 jam"
COMMENT_PREFIX = "comment:"


class FacebookTransport(Transport):
    kind = "facebook"
    supports_choices = True
    # Config keys, their meaning and which are required: CHANNEL.config_schema in __init__.py.

    def _config(self, key: str, default: str = "") -> str:
        return str((self.channel.config or {}).get(key, default) or "")

    def send(self, message) -> str:
        comment_id = comment_replied_to(message)
        if comment_id:
            # A private reply: Meta allows one per comment, within 7 days, whatever the window.
            body = {"recipient": {"comment_id": comment_id}, "message": {"text": message.text}}
            path = f"{self._config('page_id')}/messages"
        else:
            if message.urn.scheme != "facebook":
                raise SendError("Alamat ini bukan pengguna Messenger.", permanent=True)
            body = {
                **self._messaging_type(message),
                "recipient": {"id": message.urn.path},
                "message": {"text": message.text, **quick_replies(message.choices)},
            }
            path = "me/messages"
        try:
            answer = meta.post_graph(path, body, token=self._config("page_token"))
        except SendError as exc:
            raise meta.classify(meta.graph_error(exc), TEMPORARY_CODES, "Messenger") from exc
        return str(answer.get("message_id") or answer.get("id") or "")

    def _messaging_type(self, message) -> dict:
        last_inbound = message.urn.last_inbound_at
        age = timezone.now() - last_inbound if last_inbound else None
        if age is not None and age <= RESPONSE_WINDOW:
            return {"messaging_type": "RESPONSE" if message.in_reply_to_id else "UPDATE"}
        tag = self._config("staff_tag", "HUMAN_AGENT")
        if message.sent_by_id and tag and age is not None and age <= HUMAN_AGENT_WINDOW:
            return {"messaging_type": "MESSAGE_TAG", "tag": tag}
        raise SendError(OUTSIDE_WINDOW, permanent=True)


def quick_replies(choices: list[str]) -> dict:
    """Numbered choices as Messenger quick replies; tapping one sends its number back."""
    if not choices:
        return {}
    buttons = []
    for i, name in enumerate(choices[:QUICK_REPLY_MAX], 1):
        title = f"{i}. {name}"
        if len(title) > QUICK_REPLY_TITLE_MAX:
            title = title[: QUICK_REPLY_TITLE_MAX - 1].rstrip() + "…"
        buttons.append({"content_type": "text", "title": title, "payload": str(i)})
    return {"quick_replies": buttons}


def comment_replied_to(message) -> str:
    """The Page comment id when `message` answers a comment (see comments.py), else ''."""
    if not message.in_reply_to_id:
        return ""
    from layan.messaging.models import Message

    provider_id = Message.objects.filter(pk=message.in_reply_to_id).values_list("event__provider_id", flat=True).first()
    if provider_id and provider_id.startswith(COMMENT_PREFIX):
        return provider_id[len(COMMENT_PREFIX) :]
    return ""
