import pytest
from django.core.management import CommandError, call_command

from testkit.personas import create_service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def test_command_writes_the_guidebook_pdf(personas, tmp_path):
    create_service(personas.office, "sktm")
    output = tmp_path / "panduan.pdf"

    call_command("guidebook", "kisam-tinggi", "-o", str(output))

    assert output.read_bytes().startswith(b"%PDF")


def test_unknown_office_is_an_indonesian_error(db, tmp_path):
    with pytest.raises(CommandError, match="Kantor 'tidak-ada' tidak ditemukan"):
        call_command("guidebook", "tidak-ada", "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_unwritable_output_is_an_indonesian_error(personas, tmp_path):
    create_service(personas.office, "sktm")

    with pytest.raises(CommandError, match="Tidak dapat menulis"):
        call_command("guidebook", "kisam-tinggi", "-o", str(tmp_path / "tidak-ada" / "panduan.pdf"))
