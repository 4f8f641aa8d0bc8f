"""Dispatch: kecamatan resolution, pending numbered choices, keywords, then free text."""

import datetime as dt

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from layan.messaging.models import Message

from . import text as textlib
from .builtin import menu_text
from .catalogue import answer_choice, answer_query
from .commands import FLOWS, find_command, is_command_word, load_commands
from .context import Context, EngineResult, as_replies
from .regency import resolve_office

# How the staff inbox shows a message that has no text; the keys are what the channels say.
NON_TEXT_LABELS = {
    "image": "[gambar]",
    "audio": "[pesan suara]",
    "video": "[video]",
    "sticker": "[stiker]",
    "location": "[lokasi]",
    "document": "[dokumen]",
    "contacts": "[kartu kontak]",
}
NON_TEXT_OTHER = "[pesan tanpa teks]"


def non_text_label(media: str) -> str:
    return NON_TEXT_LABELS.get(media, NON_TEXT_OTHER)


def respond(ctx: Context) -> EngineResult:
    """Answer one inbound text. Empty text is deliberate silence, unless the message carried
    something else (a photo, a voice note …: `ctx.media`): then one short reply says what Layan
    reads, and an officer sees the message in the staff inbox.

    Citizens are answered in Bahasa Indonesia whatever the language of the request that carried
    the message (a webhook, or an officer's English browser in the simulator).
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _respond(ctx)


def _respond(ctx: Context) -> EngineResult:
    load_commands()
    words = textlib.words(ctx.text)
    if not words:
        if ctx.media:
            return _non_text(ctx)
        return EngineResult([], ctx.office)
    if ctx.office is None and ctx.channel.office_id is not None:
        ctx.office = ctx.channel.office
    first = find_command(words[0])
    if first is not None and not first.needs_office:
        return _result(ctx, first.handler(ctx, " ".join(words[1:])))
    if ctx.office is None:
        words, early = resolve_office(ctx, words)
        if early is not None or ctx.office is None:
            return _result(ctx, early)
        if not words:
            return _result(ctx, menu_text(ctx))
    return _result(ctx, dispatch(ctx, words))


# A burst of photos (an album is one message per photo) gets the non-text reply once.
NON_TEXT_REPLY_QUIET = dt.timedelta(minutes=10)


def _non_text(ctx: Context) -> EngineResult:
    if ctx.office is None and ctx.channel.office_id is not None:
        ctx.office = ctx.channel.office
    ctx.needs_staff = True
    # Within one SMS (160 GSM-7 characters), like every reply that may go out by SMS.
    reply = _(
        "Maaf, kami hanya bisa membaca pesan teks. Ketik MENU untuk pilihan layanan, atau tulis "
        "pertanyaan Anda. Petugas juga akan melihat kiriman Anda."
    )
    recently_told = Message.objects.filter(
        urn_id=ctx.urn.pk,
        direction=Message.Direction.OUT,
        created_at__gte=ctx.now - NON_TEXT_REPLY_QUIET,
        text=reply,
    ).exists()
    return _result(ctx, None if recently_told else reply)


def dispatch(ctx: Context, words: list[str]):
    """Route `words` (already normalised) for a known office."""
    pending = ctx.state()
    if len(words) == 1 and words[0].isdigit() and pending.get("kind") == "choices":
        return answer_choice(ctx, int(words[0]), pending)
    flow = FLOWS.get(pending.get("kind", ""))
    if flow is not None and (out := flow(ctx, words)) is not None:
        return out
    cmd = find_command(words[0])
    if cmd is not None and not (len(words) > 1 and not is_command_word(words[0]) and _looks_like_question(words)):
        return cmd.handler(ctx, " ".join(words[1:]))
    return answer_query(ctx, " ".join(words), free_text=True)


def _looks_like_question(words: list[str]) -> bool:
    # A fuzzy command match on the first of many words is trusted only for keyword-ish commands:
    # "jam" typed as "jm buka" is fine, but long free text starting with a near-miss is a question.
    return len(words) > 4


def _result(ctx: Context, out) -> EngineResult:
    return EngineResult(as_replies(out, ctx.max_parts), ctx.office, needs_staff=ctx.needs_staff)
