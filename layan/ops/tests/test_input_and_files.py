"""Bad input is one clear Indonesian line, public pages only read, log lines stay bounded, and
files under var/ are private."""

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from layan.announcements.services import create_announcement, publish_announcement
from layan.offices.models import Office
from layan.offices.services import OfficeError, create_office
from testkit.personas import create_service

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["../x", "a/b", "Kisam-Tinggi", "kisam_tinggi", "-x", "x--y", "x" * 61, ""])
def test_create_office_refuses_invalid_slugs_in_one_indonesian_line(personas, slug, client):
    district = personas.office.district.code
    with pytest.raises(CommandError) as error:
        call_command("create_office", district, f"--slug={slug}")
    message = str(error.value)
    assert "\n" not in message and "tidak sah" in message and "huruf kecil, angka dan tanda hubung" in message
    with pytest.raises(OfficeError):
        create_office(district, slug=slug)
    assert not Office.objects.filter(slug=slug).exists()
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_import_catalogue_reports_a_file_that_is_not_utf8_in_one_line(personas, tmp_path):
    path = tmp_path / "katalog.yaml"
    path.write_bytes("layan_catalogue: 1\nservices:\n- name: Surat keterangan usaha ­– Rp 0\n".encode("cp1252"))
    with pytest.raises(CommandError) as error:
        call_command("import_catalogue", personas.office.slug, str(path))
    message = str(error.value)
    assert "\n" not in message and "bukan teks UTF-8" in message and "Tidak ada yang disimpan" in message


@pytest.fixture
def public_urls(personas) -> list[str]:
    office = personas.office
    create_service(office, "sktm")
    announcement = publish_announcement(create_announcement(office, title="Rapat desa", body="Sabtu pagi."))
    base = f"/{office.slug}"
    return [
        "/",
        f"{base}/",
        f"{base}/layanan/sktm/",
        f"{base}/cari?q=sktm",
        f"{base}/pengumuman/",
        f"{base}/pengumuman/{announcement.pk}/",
        f"{base}/pengumuman/feed.xml",
        f"{base}/pengumuman/atom.xml",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_public_pages_answer_only_get_and_head(public_urls, method, settings):
    settings.PUBLIC_BASE_URL = "https://layan.example.go.id"
    client = Client(enforce_csrf_checks=True)  # as a real browser: no token, no session
    for url in public_urls:
        assert client.get(url).status_code == 200, url
        assert client.head(url).status_code == 200, url
        response = getattr(client, method)(url)
        assert response.status_code == 405, (url, response.status_code)
        assert response.headers["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_pdfs_answer_only_get_and_head(public_urls):
    client = Client(enforce_csrf_checks=True)
    for url in ("/kisam-tinggi/panduan.pdf", "/kisam-tinggi/layanan/sktm/poster.pdf"):
        assert client.post(url).status_code == 405, url


@pytest.mark.django_db
def test_404_log_lines_are_bounded_and_single_line(client, caplog):
    long_path = "/" + "a" * 5000 + "/"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(long_path).status_code == 404
        assert client.get("/x%0Alayan: palsu/").status_code == 404
    lines = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert len(lines) == 2
    assert len(lines[0]) < 260 and lines[0].endswith("…(+4802)")
    assert "\n" not in lines[1] and "palsu" in lines[1]


@pytest.mark.slow
def test_files_under_var_are_private(tmp_path):
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LAYAN_SQLITE_PATH")}
    env |= {"LAYAN_VAR_DIR": str(var), "LAYAN_DEMO": "1"}
    old = os.umask(0o022)  # a usual login shell
    try:
        for argv in (["setup", "--demo"], ["backup"], ["guidebook", "kisam-tinggi", "-o", str(tmp_path / "p.pdf")]):
            result = subprocess.run(
                [sys.executable, "manage.py", *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
            )
            assert result.returncode == 0, result.stdout + result.stderr
    finally:
        os.umask(old)
    paths = [var, *var.rglob("*")]
    assert any(p.name == "layan.sqlite3" for p in paths) and any(p.parent.name == "backups" for p in paths)
    assert any(p.name == "demo-secret.txt" for p in paths) and any(p.suffix == ".pdf" for p in paths)
    public = [f"{p} {stat.filemode(p.stat().st_mode)}" for p in paths if p.stat().st_mode & 0o077]
    assert public == []


def test_setup_makes_an_old_var_dir_private(tmp_path):
    from layan.ops.management.commands.setup import _make_private

    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    database = var / "layan.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o644)
    _make_private(var, database)
    assert stat.S_IMODE(var.stat().st_mode) == 0o700 and stat.S_IMODE(database.stat().st_mode) == 0o600
