"""The words each channel carries: an SMS that fits GSM-7 in a few parts, a chat message, a Page post."""

import re
import unicodedata

from layan.catalogue import links
from layan.messaging import conf as messaging_conf
from layan.messaging.gsm import is_gsm7, sms_parts, to_gsm7

CHAT_MAX_CHARS = 4000  # WhatsApp and Telegram both cap a text message at 4,096 characters.


def public_url(announcement) -> str:
    return links.absolute_url(announcement.get_absolute_url())


def gsm7_only(text: str) -> str:
    """`text` in the GSM-7 alphabet: punctuation mapped to ASCII, accents dropped, anything else
    (emoji, other scripts) removed — one such character would make every part UCS-2 (70 chars)."""
    text = to_gsm7(text)
    if is_gsm7(text):
        return text
    out = []
    for ch in text:
        if is_gsm7(ch):
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if is_gsm7(c))
        out.append(base)
    return "".join(out)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sms_text(announcement, *, max_parts: int | None = None) -> str:
    """'<title>. <body> <page url>' in GSM-7, the body shortened at a word so the whole message
    costs at most `max_parts` SMS parts (LAYAN_SMS_MAX_PARTS, 3). The link is always kept whole."""
    limit = max_parts or messaging_conf.sms_max_parts()
    suffix = " " + public_url(announcement)
    head = gsm7_only(_squash(f"{announcement.title}. {announcement.body}"))
    if sms_parts(head + suffix) <= limit:
        return head + suffix
    words = head.split(" ")
    # Binary search for the most words that still fit with "..." and the link.
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sms_parts(" ".join(words[:mid]) + "..." + suffix) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return (" ".join(words[:lo]).rstrip(" .,;:") + "..." + suffix).lstrip()


def chat_text(announcement) -> str:
    """WhatsApp/Telegram: the whole announcement (up to the chat limit) and the page link."""
    parts = [announcement.title, "", announcement.body.strip()]
    if announcement.link:
        parts += ["", announcement.link]
    tail = "\n\n" + public_url(announcement)
    text = "\n".join(parts)
    if len(text) + len(tail) > CHAT_MAX_CHARS:
        text = text[: CHAT_MAX_CHARS - len(tail) - 3].rstrip() + "..."
    return text + tail


def page_post_text(announcement) -> str:
    """The Facebook Page post (the announcement page is attached as its link)."""
    parts = [announcement.title, "", announcement.body.strip()]
    if announcement.link:
        parts += ["", announcement.link]
    return "\n".join(parts)
