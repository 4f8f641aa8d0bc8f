"""The channel registry is derived from the kinds' declarations, and everything that lists kinds agrees."""

import ast
import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from pydantic import BaseModel, ConfigDict, Field

from layan.announcements.models import AnnouncementDelivery
from layan.messaging import channels, urns
from layan.messaging import urls as messaging_urls
from layan.messaging.channels import (
    KINDS,
    ChannelType,
    ConfigError,
    Transport,
    channel_types,
    get_transport_class,
    register_type,
    sms_kinds,
    url_modules,
    urn_schemes,
    validate_config,
)
from layan.messaging.models import Channel

CHANNELS_DIR = Path(channels.__file__).parent


def test_every_kind_resolves_to_a_transport_a_schema_its_urls_and_its_commands():
    assert list(channel_types()) == list(KINDS)
    # A kind folder left out of KINDS would be silently ignored.
    assert {p.name for p in CHANNELS_DIR.iterdir() if (p / "__init__.py").exists()} == set(KINDS)
    commands = get_commands()
    for kind, declared in channel_types().items():
        transport = get_transport_class(kind)
        assert issubclass(transport, Transport) and transport.kind == kind
        assert issubclass(declared.config_schema, BaseModel)
        assert str(declared.label) and declared.urn_scheme
        if declared.urls:
            assert importlib.import_module(declared.urls).urlpatterns
        for command in declared.commands:
            assert commands.get(command) == f"layan.messaging.channels.{kind}", command
        assert f"layan.messaging.channels.{kind}" in settings.INSTALLED_APPS


def test_the_lists_that_name_kinds_all_read_the_registry():
    assert [value for value, _ in Channel._meta.get_field("kind").choices] == list(KINDS)
    # parse_urn accepts exactly the schemes the kinds declare.
    for scheme in urn_schemes():
        assert urns.parse_urn(f"{scheme}:12345")[0] == scheme
    with pytest.raises(urns.URNError):
        urns.parse_urn("sip:12345")
    # SMS kinds: in KINDS order, the office's real lines first and the simulator last (the telephone
    # line and SMS announcements prefer the first).
    assert sms_kinds() == [kind for kind in KINDS if channel_types()[kind].is_sms] and sms_kinds()[-1] == "test"
    assert {"gammu", "kannel", "android"} <= set(sms_kinds())
    # Each declared webhook URLconf is mounted at /channels/<kind>/<uuid>/.
    mounted = {str(p.pattern) for p in messaging_urls.urlpatterns}
    for kind in url_modules():
        assert f"channels/{kind}/<uuid:channel_uuid>/" in mounted
    # Announcement deliveries: SMS, the Facebook Page post, and each kind that declares it broadcasts.
    broadcast_kinds = {kind for kind, declared in channel_types().items() if declared.broadcasts}
    assert set(AnnouncementDelivery.Kind.values) == {"sms", "facebook_page"} | broadcast_kinds
    for kind in broadcast_kinds:
        assert AnnouncementDelivery.scheme_for(kind) == channel_types()[kind].urn_scheme
    assert AnnouncementDelivery.scheme_for("sms") == "tel" and AnnouncementDelivery.scheme_for("facebook_page") is None
    assert "facebook" in channel_types()  # the Page post goes through the facebook kind


def test_secret_keys_come_from_the_declarations():
    for kind, declared in channel_types().items():
        channel = Channel(kind=kind, config={key: "x" for key in declared.secret_keys})
        assert all(channel.masked_config()[key] == "••••" for key in declared.secret_keys)
        # A secret key is one the schema knows.
        assert declared.secret_keys <= set(declared.config_schema.model_fields), kind
    assert Channel(kind="gammu").is_secret_key("db_password")  # any *password* key, whatever the kind
    assert not Channel(kind="gammu").is_secret_key("phone_id")


class _FakeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    endpoint: str = Field(min_length=1)


class FakeTransport(Transport):
    kind = "merpati"

    def send(self, message) -> str:
        return "merpati-1"


@pytest.fixture
def fake_kind():
    declared = ChannelType(
        kind="merpati",
        label="Merpati pos",
        urn_scheme="merpati",
        config_schema=_FakeConfig,
        transport=f"{__name__}.FakeTransport",
    )
    register_type(declared)
    yield declared
    register_type(None, kind="merpati")


@pytest.mark.django_db
def test_a_new_kind_needs_no_migration_and_is_usable_at_once(fake_kind, capsys):
    assert ("merpati", "Merpati pos") in list(Channel._meta.get_field("kind").choices)
    assert get_transport_class("merpati") is FakeTransport
    assert "merpati" in urn_schemes() and urns.parse_urn("merpati:7")[0] == "merpati"
    Channel(kind="merpati", name="x", office=None).clean_fields(exclude=["office", "regency"])
    with pytest.raises(ConfigError, match="endpoint wajib diisi"):
        validate_config("merpati", {})
    call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    assert "No changes detected" in capsys.readouterr().out


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _kind_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:3] == ["layan", "messaging", "channels"] and len(parts) > 3 and parts[3] in KINDS:
        return parts[3]
    return None


def test_kind_packages_import_no_other_kind_and_the_core_imports_none():
    for kind in KINDS:
        for path in (CHANNELS_DIR / kind).rglob("*.py"):
            others = {_kind_of(m) for m in _imports(path)} - {None, kind}
            assert not others, f"{path} imports {others}"
    core = Path(channels.__file__).parents[1]
    for path in core.rglob("*.py"):
        if CHANNELS_DIR in path.parents or "tests" in path.parts or "migrations" in path.parts:
            continue
        assert not {_kind_of(m) for m in _imports(path)} - {None}, f"{path} imports a kind package"


def test_a_missing_field_is_named_in_one_indonesian_line():
    with pytest.raises(ConfigError) as err:
        validate_config("gammu", {})
    assert str(err.value) == "Konfigurasi kanal gammu ditolak: phone_id wajib diisi."
    with pytest.raises(ConfigError, match="secret_token formatnya tidak sesuai"):
        validate_config("telegram", {"bot_token": "1:x", "secret_token": "ada spasi"})
    with pytest.raises(ConfigError, match="url tidak dikenal"):
        validate_config(
            "android",
            {"url": "http://x", "base_url": "http://x", "username": "u", "password": "p", "webhook_secret": "s"},
        )
    assert validate_config("gammu", {"phone_id": "kt1"}) == {"phone_id": "kt1"}
