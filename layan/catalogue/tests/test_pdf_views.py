import pytest
from django.urls import reverse

from testkit.personas import create_service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_guidebook_is_served_inline_as_pdf(client, personas):
    create_service(personas.office, "sktm")

    response = client.get(reverse("catalogue:guidebook", args=["kisam-tinggi"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="panduan-kisam-tinggi.pdf"'
    assert body(response).startswith(b"%PDF")


def test_poster_is_served_inline_as_pdf(client, personas):
    create_service(personas.office, "sktm")

    response = client.get(reverse("catalogue:poster", args=["kisam-tinggi", "sktm"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="poster-kisam-tinggi-sktm.pdf"'
    assert body(response).startswith(b"%PDF")


def test_unknown_or_inactive_office_is_404(client, personas):
    personas.other_office.is_active = False
    personas.other_office.save()

    response = client.get(reverse("catalogue:guidebook", args=["tidak-ada"]))
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    assert client.get(reverse("catalogue:guidebook", args=["muaradua-kisam"])).status_code == 404
    assert client.get(reverse("catalogue:poster", args=["tidak-ada", "sktm"])).status_code == 404


def test_poster_of_unknown_unpublished_or_other_office_service_is_404(client, personas):
    create_service(personas.office, "draf", publish=False)
    create_service(personas.other_office, "milik-tetangga")
    retired = create_service(personas.office, "lama")
    retired.is_active = False
    retired.save()

    for code in ("tidak-ada", "draf", "milik-tetangga", "lama"):
        response = client.get(reverse("catalogue:poster", args=["kisam-tinggi", code]))
        assert response.status_code == 404, code
