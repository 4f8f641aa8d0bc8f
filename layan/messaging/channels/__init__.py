"""Channel registry, derived from the kinds' own declarations.

Each kind is a package here (`gammu/`, `telegram/`, …) whose `__init__.py` declares `CHANNEL =
ChannelType(...)`: label, URN scheme, SMS or not, secret config keys, config schema, transport, webhook
URLs, commands. Adding a kind is one folder plus its name in `KINDS` below (docs/architecture.md, "How to
add a channel kind"). Every kind package is also a Django app (settings.INSTALLED_APPS reads `KINDS`), so
it may bring models, migrations and management commands.

The messaging core never imports a kind package by name: it asks this registry, which imports them by
dotted path. Kind packages never import each other; what two of them share sits beside them in a module
that is not a kind (`meta.py`).
"""

from __future__ import annotations

import functools
import importlib

from django.utils.functional import Promise
from pydantic import ValidationError

from .base import ChannelType, SendError, Transport

# The kinds, in the order staff see them and in which an office's SMS lines are preferred (the
# simulator last: it stands in for SMS only where an office has no real line).
KINDS: tuple[str, ...] = ("gammu", "kannel", "android", "facebook", "whatsapp", "telegram", "test")

__all__ = [
    "KINDS",
    "ChannelType",
    "ConfigError",
    "ImproperlyDeclared",
    "SendError",
    "Transport",
    "UnknownChannelKind",
    "app_modules",
    "channel_types",
    "get_channel_type",
    "get_transport_class",
    "kind_choices",
    "register_transport",
    "register_type",
    "secret_keys",
    "sms_kinds",
    "url_modules",
    "urn_schemes",
    "validate_config",
]


class UnknownChannelKind(LookupError):
    pass


class ConfigError(ValueError):
    """A channel config the kind's schema refuses; the message is one Indonesian line naming the field."""


class ImproperlyDeclared(RuntimeError):
    pass


# Declarations added at run time (tests); they come after the packages' own.
_extra_types: dict[str, ChannelType] = {}
_types: dict[str, ChannelType] | None = None
# Classes registered directly (tests and benchmarks inject fakes here); they win over the declarations.
_overrides: dict[str, type[Transport]] = {}
_cache: dict[str, type[Transport]] = {}


def app_modules() -> list[str]:
    """The kind packages as Django apps, for settings.INSTALLED_APPS (imports nothing)."""
    return [f"{__name__}.{kind}" for kind in KINDS]


def channel_types() -> dict[str, ChannelType]:
    """kind -> its declaration, in KINDS order (imported on first use)."""
    global _types
    if _types is None:
        found = {}
        for kind in KINDS:
            declared = getattr(importlib.import_module(f"{__name__}.{kind}"), "CHANNEL", None)
            if not isinstance(declared, ChannelType) or declared.kind != kind:
                raise ImproperlyDeclared(f"{__name__}.{kind} must declare CHANNEL = ChannelType(kind={kind!r}, ...)")
            found[kind] = declared
        _types = {**found, **_extra_types}
    return _types


def register_type(declared: ChannelType | None, *, kind: str = "") -> None:
    """Add a kind at run time (tests); `register_type(None, kind=...)` removes it again."""
    global _types
    if declared is None:
        _extra_types.pop(kind, None)
        _cache.pop(kind, None)
    else:
        _extra_types[declared.kind] = declared
    _types = None
    urn_schemes.cache_clear()


def get_channel_type(kind: str) -> ChannelType:
    try:
        return channel_types()[kind]
    except KeyError:
        raise UnknownChannelKind(kind) from None


def kind_choices() -> list[tuple[str, str | Promise]]:
    """`Channel.kind` choices. A callable, so that a new kind needs no migration."""
    return [(kind, declared.label) for kind, declared in channel_types().items()]


def sms_kinds() -> list[str]:
    """The kinds that reach a plain phone number, in KINDS order (the simulator "test" included)."""
    return [kind for kind, declared in channel_types().items() if declared.is_sms]


@functools.cache
def urn_schemes() -> frozenset[str]:
    """Every URN scheme a kind talks to (parse_urn refuses others)."""
    return frozenset(declared.urn_scheme for declared in channel_types().values())


def secret_keys(kind: str) -> frozenset[str]:
    declared = channel_types().get(kind)
    return declared.secret_keys if declared else frozenset()


def url_modules() -> dict[str, str]:
    """kind -> dotted path of its webhook URLconf, for the kinds that have one."""
    return {kind: declared.urls for kind, declared in channel_types().items() if declared.urls}


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
    path = get_channel_type(kind).transport
    module_name, _, class_name = path.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise UnknownChannelKind(kind) from exc
    if not (isinstance(cls, type) and issubclass(cls, Transport) and cls.kind == kind):
        raise UnknownChannelKind(kind)
    _cache[kind] = cls
    return cls


def validate_config(kind: str, config: dict) -> dict:
    """`config` checked against the kind's schema; returned unchanged when valid.

    Raises ConfigError with one Indonesian line naming the first wrong or missing field.
    """
    declared = get_channel_type(kind)
    try:
        declared.config_schema.model_validate(config)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "config"
        problem = _PROBLEMS.get(error["type"], "nilainya tidak sah")
        raise ConfigError(f"Konfigurasi kanal {kind} ditolak: {where} {problem}.") from None
    return config


# pydantic's error types, said in Indonesian (anything else: "nilainya tidak sah").
_PROBLEMS = {
    "missing": "wajib diisi",
    "extra_forbidden": "tidak dikenal untuk jenis ini",
    "string_too_short": "tidak boleh kosong",
    "string_too_long": "terlalu panjang",
    "string_pattern_mismatch": "formatnya tidak sesuai",
    "string_type": "harus berupa teks",
    "int_parsing": "harus bilangan bulat",
    "float_parsing": "harus angka",
    "greater_than_equal": "terlalu kecil",
    "literal_error": "bukan salah satu pilihan yang dikenal",
    "url_parsing": "bukan alamat URL yang sah",
    "url_scheme": "harus diawali http:// atau https://",
}
