"""Telegram bot channel: a citizen talks to the office's bot; chat id = `telegram:<chat_id>`.

A bot can only write to someone who pressed /start, and 403 "bot was blocked by the user" means
they left: the URN is opted out (no more broadcasts) and the message fails. 429 carries
`parameters.retry_after`, which the outbox honours as the minimum wait.
"""

from layan.messaging.channels.base import SendError, Transport

from . import api

CALLBACK_TEXT_MAX = 40


class TelegramTransport(Transport):
    kind = "telegram"
    supports_choices = True
    # Config keys, their meaning and which are required: CHANNEL.config_schema in __init__.py.

    @property
    def token(self) -> str:
        return str((self.channel.config or {}).get("bot_token") or "")

    def send(self, message) -> str:
        if message.urn.scheme != "telegram":
            raise SendError("Alamat ini bukan obrolan Telegram.", permanent=True)
        body = {"chat_id": message.urn.path, "text": message.text, "disable_web_page_preview": True}
        if message.choices:
            body["reply_markup"] = inline_keyboard(message.choices)
        try:
            result = api.call(self.token, "sendMessage", body)
        except SendError as exc:
            raise self._classify(message, api.bot_error(exc), exc) from exc
        return str((result or {}).get("message_id") or "")

    def _classify(self, message, error: api.BotError, exc: SendError) -> SendError:
        if error.status == 403:
            from layan.messaging.services import opt_out

            opt_out(message.urn.identity, source="telegram-blocked", channel=message.channel)
            return SendError(f"Telegram 403: {error.description}", permanent=True)
        if error.status is None:
            return exc
        temporary = error.status == 429 or error.status >= 500
        return SendError(
            f"Telegram {error.status}: {error.description}", permanent=not temporary, retry_after=error.retry_after
        )

    def answer_callback(self, callback_query_id: str) -> None:
        """Stop the button's loading spinner in the citizen's app."""
        api.call(self.token, "answerCallbackQuery", {"callback_query_id": callback_query_id}, timeout=5.0)


def inline_keyboard(choices: list[str]) -> dict:
    """One button per row, labelled "1. name"; pressing it sends the number back as callback data."""
    rows = []
    for i, name in enumerate(choices, 1):
        label = f"{i}. {name}"
        if len(label) > CALLBACK_TEXT_MAX:
            label = label[: CALLBACK_TEXT_MAX - 1].rstrip() + "…"
        rows.append([{"text": label, "callback_data": str(i)}])
    return {"inline_keyboard": rows}
