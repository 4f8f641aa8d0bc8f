import stat

import pytest
from django.core.management import call_command

from layan.letters import keys
from layan.letters.models import SigningKey
from layan.letters.verifier import load_public_key, public_key_fingerprint


@pytest.fixture
def key_dir(settings, tmp_path):
    settings.LAYAN_LETTER_KEY_DIR = tmp_path / "keys"
    return settings.LAYAN_LETTER_KEY_DIR


def test_the_command_creates_a_private_key_file_outside_the_database_once(personas, key_dir, capsys):
    call_command("letter_keys")
    path = key_dir / "kisam-tinggi.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_dir.stat().st_mode) == 0o700
    assert b"PRIVATE KEY" in path.read_bytes()
    record = SigningKey.objects.get(office=personas.office)
    assert "PRIVATE" not in record.public_key and "PUBLIC KEY" in record.public_key
    first = path.read_bytes()
    call_command("letter_keys")  # again: nothing replaced
    assert path.read_bytes() == first
    assert SigningKey.objects.filter(office=personas.office).count() == 1
    out = capsys.readouterr().out
    assert "kisam-tinggi: kunci dibuat" in out and "kisam-tinggi: kunci sudah ada" in out


def test_the_published_key_is_the_key_of_the_file(personas, key_dir):
    record, created = keys.ensure_key(personas.office)
    assert created
    assert record.fingerprint == public_key_fingerprint(keys.load_private_key(personas.office).public_key())
    assert keys.current_key(personas.office) == record


def test_a_missing_key_file_says_what_to_run(personas, key_dir):
    with pytest.raises(keys.KeyMissing, match="letter_keys"):
        keys.load_private_key(personas.office)
    assert keys.current_key(personas.office) is None


def test_the_public_key_is_published_at_a_stable_address(client, personas, key_dir):
    assert client.get("/kisam-tinggi/kunci-publik.pem").status_code == 404  # no key yet
    record, _created = keys.ensure_key(personas.office)
    response = client.get("/kisam-tinggi/kunci-publik.pem")
    assert response.status_code == 200
    assert response.content.decode() == record.public_key
    assert public_key_fingerprint(load_public_key(response.content)) == record.fingerprint
    assert client.post("/kisam-tinggi/kunci-publik.pem").status_code == 405
