"""Each office's Ed25519 key pair.

The private key is a PEM file `<LAYAN_LETTER_KEY_DIR>/<office-slug>.key` (mode 0600, directory 0700),
never a database row: a stolen database backup cannot sign letters. It is created by
`manage.py letter_keys` and by `manage.py setup` when missing, never silently while signing (several
web servers must share the same file, see docs/letters.md). The public half is recorded in
`SigningKey` so the verification page and `verify_letter` check each letter with the key it was
signed with, and it is published at /<office>/kunci-publik.pem.
"""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from layan.offices.models import Office

from .models import SigningKey
from .verifier import load_public_key, public_key_fingerprint, public_key_pem


class KeyMissing(Exception):
    """The office has no private key file here (setup was not run, or the file was not copied)."""


def key_path(office: Office) -> Path:
    return Path(settings.LAYAN_LETTER_KEY_DIR) / f"{office.slug}.key"


def _write_new(path: Path, content: bytes) -> bool:
    """Write `content` to `path` only if it does not exist (O_EXCL: two processes never make two keys)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    return True


def load_private_key(office: Office) -> Ed25519PrivateKey:
    path = key_path(office)
    try:
        pem = path.read_bytes()
    except FileNotFoundError:
        raise KeyMissing(
            _("Kunci tanda tangan kantor belum ada di server (%(path)s): jalankan 'manage.py letter_keys'.")
            % {"path": path}
        ) from None
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyMissing(_("Berkas kunci %(path)s bukan kunci Ed25519.") % {"path": path})
    return key


@transaction.atomic
def ensure_key(office: Office) -> tuple[SigningKey, bool]:
    """The office's signing key, creating the private key file if it is missing; (key, created).

    An existing file is never replaced. Its public half is (re)recorded, so a key file restored from
    a backup onto a fresh database is published again."""
    created = _write_new(
        key_path(office),
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )
    public = load_private_key(office).public_key()
    record, _new = SigningKey.objects.get_or_create(
        fingerprint=public_key_fingerprint(public),
        defaults={"office": office, "public_key": public_key_pem(public).decode("ascii")},
    )
    return record, created


def current_key(office: Office) -> SigningKey | None:
    """The public key the office signs with now: the one of its key file, as recorded."""
    try:
        public = load_private_key(office).public_key()
    except KeyMissing:
        return None
    return SigningKey.objects.filter(office=office, fingerprint=public_key_fingerprint(public)).first()


def public_key_of(record: SigningKey) -> Ed25519PublicKey:
    return load_public_key(record.public_key.encode("ascii"))
