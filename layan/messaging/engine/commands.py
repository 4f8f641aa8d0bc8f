"""The keyword registry: one place where every SMS/chat command is declared.

    @command("SYARAT", "INFO")
    def syarat(ctx, args): ...

A handler gets the engine `Context` and the rest of the message, and returns reply texts
(`str` or `EngineReply`, one or a list) or None for silence. It only reads; a command that must
write (a registration's confirmation, a queue ticket) hands the write to `ctx.act(fn)`.

A domain app (applications, queue …) keeps its commands in a module of its own and imports it
from its AppConfig.ready(), so the messaging layer never names the apps above it:

    class QueueConfig(AppConfig):
        def ready(self):
            from . import commands  # noqa: F401  (registers ANTRI)
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

# Messaging's own modules whose import registers commands (domain apps: see above).
COMMAND_MODULES = [
    "layan.messaging.engine.builtin",
]
# Below this similarity a word is not taken as a command ("surat" is not SYARAT, "jm" is JAM).
FUZZY_CUTOFF = 75


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    handler: Callable
    # False for commands with consequences (STOP): a typo must not opt a citizen out.
    fuzzy: bool = True
    # False when the command works before the citizen's office is known (kabupaten-wide channel).
    needs_office: bool = True


REGISTRY: dict[str, Command] = {}
# Guided conversations (DAFTAR's questions, one per message): while the pending question
# (`ctx.state()`) is of a registered kind, its handler reads the message before any command:
# `handler(ctx, words)` returns the replies, or None to let the message through (the handler
# decides what becomes of its pending question). Registered like commands, from the app's module.
FLOWS: dict[str, Callable] = {}
_loaded = False


def command(*words: str, fuzzy: bool = True, needs_office: bool = True):
    def register(handler: Callable) -> Callable:
        cmd = Command(tuple(w.lower() for w in words), handler, fuzzy=fuzzy, needs_office=needs_office)
        for word in cmd.words:
            REGISTRY[word] = cmd
        return handler

    return register


def flow(kind: str):
    def register(handler: Callable) -> Callable:
        FLOWS[kind] = handler
        return handler

    return register


def load_commands() -> None:
    global _loaded
    if not _loaded:
        for path in COMMAND_MODULES:
            importlib.import_module(path)
        _loaded = True


def find_command(word: str) -> Command | None:
    """The command `word` names, exactly or with a small typo (lower-case input)."""
    load_commands()
    if word in REGISTRY:
        return REGISTRY[word]
    if len(word) < 2 or len(word) > 12 or word.isdigit():
        return None
    fuzzy_words = [w for w, cmd in REGISTRY.items() if cmd.fuzzy]
    best = process.extractOne(word, fuzzy_words, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return REGISTRY[best[0]] if best else None


def is_command_word(word: str) -> bool:
    load_commands()
    return word in REGISTRY
