"""What the engine reads and returns: the `Context` of one inbound text, and its `EngineResult`.

A module of its own so that the engine's parts (commands, the catalogue answers, the kabupaten
resolution) and the inbound service can all import it without importing the dispatcher.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from layan.messaging import conf
from layan.messaging.models import Channel, Contact, ContactURN, ConversationState
from layan.offices.models import Office


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
    # What a message without text carried ("image", "audio", "location" …; see core.NON_TEXT_LABELS).
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
