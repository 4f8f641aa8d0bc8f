"""Channel registry: kind -> the module holding its Transport subclass.

Adding a channel is one folder (`transport.py`, `views.py`, `urls.py`, `tests/`) plus one line
here. Modules are imported lazily, by dotted path, so a missing or broken channel folder only
affects that channel.
"""

import importlib
import inspect

from .base import SendError, Transport

TRANSPORT_MODULES: dict[str, str] = {
    "test": "layan.messaging.channels.test.transport",
    "gammu": "layan.messaging.channels.gammu.transport",
    "kannel": "layan.messaging.channels.kannel.transport",
    "android": "layan.messaging.channels.android.transport",
    "facebook": "layan.messaging.channels.facebook.transport",
    "whatsapp": "layan.messaging.channels.whatsapp.transport",
    "telegram": "layan.messaging.channels.telegram.transport",
}

# Classes registered directly (tests and benchmarks inject fakes here); they win over modules.
_overrides: dict[str, type[Transport]] = {}
_cache: dict[str, type[Transport]] = {}

__all__ = ["SendError", "Transport", "TRANSPORT_MODULES", "get_transport_class", "register_transport"]


class UnknownChannelKind(LookupError):
    pass


def register_transport(kind: str, cls: type[Transport] | None) -> None:
    """Use `cls` for `kind` (None removes the override)."""
    if cls is None:
        _overrides.pop(kind, None)
    else:
        _overrides[kind] = cls
    _cache.pop(kind, None)


def get_transport_class(kind: str) -> type[Transport]:
    if kind in _overrides:
        return _overrides[kind]
    if kind in _cache:
        return _cache[kind]
    path = TRANSPORT_MODULES.get(kind)
    if path is None:
        raise UnknownChannelKind(kind)
    try:
        module = importlib.import_module(path)
    except ModuleNotFoundError as exc:
        raise UnknownChannelKind(kind) from exc
    for _name, obj in inspect.getmembers(module, inspect.isclass):
        if issubclass(obj, Transport) and obj is not Transport and getattr(obj, "kind", "") == kind:
            _cache[kind] = obj
            return obj
    raise UnknownChannelKind(kind)


def channel_url_modules() -> dict[str, str]:
    """kind -> dotted path of the channel's urls module, for the kinds whose folder has one."""
    from importlib.util import find_spec

    found = {}
    for kind, path in TRANSPORT_MODULES.items():
        urls = path.rsplit(".", 1)[0] + ".urls"
        try:
            if find_spec(urls) is not None:
                found[kind] = urls
        except ModuleNotFoundError:
            continue
    return found
