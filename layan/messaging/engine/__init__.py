"""The conversation engine: one per office, channel-independent.

`respond(ctx)` reads one inbound text and returns what to answer. It never writes messages itself
(the inbound service does, in its transaction); it may remember a pending question for the URN.
"""

from .core import Context, EngineReply, EngineResult, respond

__all__ = ["Context", "EngineReply", "EngineResult", "respond"]
