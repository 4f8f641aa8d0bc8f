import pytest

from layan.letters import keys


@pytest.fixture
def office_key(personas, settings, tmp_path):
    """Office A's signing key, its private key file in a directory of this test."""
    settings.LAYAN_LETTER_KEY_DIR = tmp_path / "keys"
    record, _created = keys.ensure_key(personas.office)
    return record
