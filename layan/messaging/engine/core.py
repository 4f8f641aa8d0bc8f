"""Dispatch: kecamatan resolution, pending numbered choices, keywords, then free text."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from layan.messaging import conf
from layan.messaging.gsm import sms_form
from layan.messaging.models import Channel, Contact, ContactURN, ConversationState
from layan.offices.models import Office

from . import text as textlib
from .commands import find_command, is_command_word, load_commands


@dataclass
class EngineReply:
    text: str
    choices: list[str] = field(default_factory=list)


@dataclass
class EngineResult:
    replies: list[EngineReply]
    office: Office | None
    # True when a person must answer (the engine could not): the message waits in the staff inbox.
    needs_staff: bool = False


@dataclass
class Context:
    """One inbound text being answered.

    The engine only reads. What it decides to change (the pending question, the contact's
    kecamatan, opt-out) is recorded here and written by the inbound service once the answer is
    complete, together with the messages: an engine that fails half-way leaves nothing behind,
    and a batch of messages writes all of it in a few statements.
    """

    channel: Channel
    urn: ContactURN
    contact: Contact
    text: str
    office: Office | None = None
    now: dt.datetime = field(default_factory=timezone.now)
    # What a message without text carried ("image", "audio", "location" …; see NON_TEXT_LABELS).
    media: str = ""
    max_parts: int = field(default_factory=conf.sms_max_parts)
    needs_staff: bool = False
    # Decisions for the inbound service to write:
    state_changed: bool = False  # the pending question is now `_state` (None: no question)
    contact_office: Office | None = None  # the kecamatan this contact talks to, newly known
    opt_out: bool | None = None  # True: STOP, False: MULAI
    _state: ConversationState | None = None
    _state_loaded: bool = False

    @property
    def the_office(self) -> Office:
        """The office being talked to; commands run only once it is known (see `dispatch`)."""
        assert self.office is not None
        return self.office

    # Pending question for this URN (numbered choices, "which kecamatan?"), expiring.
    def state(self) -> dict:
        if not self._state_loaded:
            # Usually select_related with the URN (no query); otherwise one lookup.
            try:
                self._state = self.urn.conversation
            except ConversationState.DoesNotExist:
                self._state = None
            self._state_loaded = True
        st = self._state
        if st is None or st.expires_at <= self.now:
            return {}
        if st.office_id is not None and self.office is not None and st.office_id != self.office.pk:
            return {}
        return st.data

    def remember(self, data: dict) -> None:
        self.state()
        expires = self.now + dt.timedelta(seconds=conf.conversation_ttl_seconds())
        # A new object: the one cached on the URN stays true until the answer is complete.
        self._state = ConversationState(urn_id=self.urn.pk, office=self.office, data=data, expires_at=expires)
        self.state_changed = True

    def forget(self) -> None:
        self.state()
        if self._state is not None:  # an expired row goes too
            self._state = None
            self.state_changed = True

    @property
    def new_state(self) -> ConversationState | None:
        """The pending question to store when `state_changed` (None: delete it)."""
        return self._state


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
        from .regency import resolve_office

        words, early = resolve_office(ctx, words)
        if early is not None or ctx.office is None:
            return _result(ctx, early)
        if not words:
            from .builtin import menu_text

            return _result(ctx, menu_text(ctx))
    return _result(ctx, dispatch(ctx, words))


def _non_text(ctx: Context) -> EngineResult:
    if ctx.office is None and ctx.channel.office_id is not None:
        ctx.office = ctx.channel.office
    ctx.needs_staff = True
    # Within one SMS (160 GSM-7 characters), like every reply that may go out by SMS.
    return _result(
        ctx,
        _(
            "Maaf, kami hanya bisa membaca pesan teks. Ketik MENU untuk pilihan layanan, atau tulis "
            "pertanyaan Anda. Petugas juga akan melihat kiriman Anda."
        ),
    )


def dispatch(ctx: Context, words: list[str]):
    """Route `words` (already normalised) for a known office."""
    from .catalogue import answer_choice, answer_query

    pending = ctx.state()
    if len(words) == 1 and words[0].isdigit() and pending.get("kind") == "choices":
        return answer_choice(ctx, int(words[0]), pending)
    cmd = find_command(words[0])
    if cmd is not None and not (len(words) > 1 and not is_command_word(words[0]) and _looks_like_question(words)):
        return cmd.handler(ctx, " ".join(words[1:]))
    return answer_query(ctx, " ".join(words), free_text=True)


def _looks_like_question(words: list[str]) -> bool:
    # A fuzzy command match on the first of many words is trusted only for keyword-ish commands:
    # "jam" typed as "jm buka" is fine, but long free text starting with a near-miss is a question.
    return len(words) > 4


def _result(ctx: Context, out) -> EngineResult:
    if out is None:
        out = []
    elif isinstance(out, (str, EngineReply)):
        out = [out]
    replies = []
    for item in out:
        reply = item if isinstance(item, EngineReply) else EngineReply(str(item))
        reply.text, _parts = sms_form(reply.text, ctx.max_parts)
        if reply.text.strip():
            replies.append(reply)
    return EngineResult(replies, ctx.office, needs_staff=ctx.needs_staff)
