"""What the engine reads and returns: the `Context` of one inbound text, and its `EngineResult`.

A module of its own so that the engine's parts (commands, the catalogue answers, the kabupaten
resolution) and the inbound service can all import it without importing the dispatcher.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from layan.messaging import conf
from layan.messaging.gsm import sms_form
from layan.messaging.models import Channel, Contact, ContactURN, ConversationState
from layan.offices.models import Office


@dataclass
class EngineReply:
    text: str
    choices: list[str] = field(default_factory=list)


# What a handler (or an action, see `Context.act`) returns: reply texts, one or a list, or None.
Replies = str | EngineReply | list[str | EngineReply] | None
Action = Callable[[], Replies]


def as_replies(out: Replies, max_parts: int) -> list[EngineReply]:
    """A handler's or an action's return value as the replies to send: in SMS form (GSM-7 where
    possible, at most `max_parts` parts), empty ones left out."""
    if out is None:
        items: list = []
    elif isinstance(out, (str, EngineReply)):
        items = [out]
    else:
        items = list(out)
    replies = []
    for item in items:
        reply = item if isinstance(item, EngineReply) else EngineReply(str(item))
        reply.text, _parts = sms_form(reply.text, max_parts)
        if reply.text.strip():
            replies.append(reply)
    return replies


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

    A command with consequences elsewhere (a registration's confirmation, a queue ticket)
    records them with `act(fn)`; see there.
    """

    channel: Channel
    urn: ContactURN
    contact: Contact
    text: str
    office: Office | None = None
    now: dt.datetime = field(default_factory=timezone.now)
    # What a message without text carried ("image", "audio", "location" …; see core.NON_TEXT_LABELS).
    media: str = ""
    max_parts: int = field(default_factory=conf.sms_max_parts)
    needs_staff: bool = False
    # Decisions for the inbound service to write:
    state_changed: bool = False  # the pending question is now `_state` (None: no question)
    contact_office: Office | None = None  # the kecamatan this contact talks to, newly known
    opt_out: bool | None = None  # True: STOP, False: MULAI
    actions: list[Action] = field(default_factory=list)  # see `act`
    _state: ConversationState | None = None
    _state_loaded: bool = False

    def act(self, fn: Action) -> None:
        """Run `fn()` once the engine has answered, to write what this message causes.

        The inbound service calls it inside its transaction, in a savepoint shared by this
        message's actions (messages without any pay for none), in Bahasa Indonesia like the rest
        of the answer. `fn` may write through any domain service; it returns the reply text(s)
        (what `@command` handlers return), sent after the handler's own replies. If it raises,
        its writes and those of this message's other actions are rolled back, the engine's
        decisions are dropped, and the citizen gets the generic "petugas akan membalas" reply
        while the message waits in the staff inbox (as when the engine itself fails). A message
        that turns out to be a duplicate (a retried webhook) runs no action.
        """
        self.actions.append(fn)

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
