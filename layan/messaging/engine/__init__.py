"""The conversation engine: one per office, channel-independent.

`respond(ctx)` reads one inbound text and returns what to answer. It never writes: the messages,
and what it decided to change (a pending question, the contact's kecamatan, opt-out; recorded on
the `Context`), are written by the inbound service in its transaction.
"""

from .context import Context, EngineReply, EngineResult
from .core import respond

__all__ = ["Context", "EngineReply", "EngineResult", "respond"]
