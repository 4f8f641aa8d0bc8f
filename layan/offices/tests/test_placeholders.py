"""While the office's address or numbers are still the demo's placeholders, the guidebook, the
posters and the staff pages say so; once an admin fills them in, the warning goes."""

import pytest
from django.urls import reverse

from layan.catalogue.guidebook import render_guidebook, render_poster
from layan.catalogue.tests.pdf_helpers import pdf_text
from testkit.personas import create_service

pytestmark = pytest.mark.django_db

# As data/catalogue/kisam-tinggi.yaml ships them.
DEMO_CONTACTS = {
    "address": "Kantor Camat Kisam Tinggi, Kabupaten OKU Selatan (alamat lengkap: isi oleh admin)",
    "phone": "(0735) 000000",
    "sms_number": "+62 812-0000-1608",
    "whatsapp_number": "+62 812-0000-1608",
}
REAL_CONTACTS = {
    "address": "Jl. Lintas Muaradua–Banding Agung, Simpang Sender",
    "phone": "(0735) 320 451",
    "sms_number": "+62 812-7310-1608",
    "whatsapp_number": "+62 812-7310-1608",
}


def set_contacts(office, contacts):
    for field, value in contacts.items():
        setattr(office, field, value)
    office.save()


def test_the_demo_placeholders_are_recognised_and_real_contacts_are_not(personas):
    office = personas.office
    set_contacts(office, DEMO_CONTACTS)
    assert office.placeholder_fields() == ["alamat", "telepon", "nomor SMS", "nomor WhatsApp"]
    set_contacts(office, REAL_CONTACTS)
    assert office.placeholder_fields() == []


def test_staff_pages_warn_while_the_profile_holds_placeholders(personas, client):
    office = personas.office
    client.force_login(personas.staff)
    url = reverse("messaging:inbox", args=[office.slug])
    set_contacts(office, DEMO_CONTACTS)
    assert "Profil kantor masih berisi contoh (alamat, telepon" in client.get(url).content.decode()
    set_contacts(office, REAL_CONTACTS)
    assert "Profil kantor masih berisi contoh" not in client.get(url).content.decode()


@pytest.mark.slow
@pytest.mark.real_component("pdftotext")
def test_guidebook_and_posters_carry_the_warning_on_every_page(personas, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    office = personas.office
    service = create_service(office, "sktm")
    set_contacts(office, DEMO_CONTACTS)
    service.office.refresh_from_db()
    guidebook = pdf_text(render_guidebook(office))
    poster = pdf_text(render_poster(service))
    warning = "CONTOH, JANGAN DICETAK: alamat, telepon, nomor SMS, nomor WhatsApp kantor masih isian contoh"
    assert guidebook.count(warning) >= 4  # cover, maklumat, contents, the service page ...
    assert warning in poster
    set_contacts(office, REAL_CONTACTS)
    assert "JANGAN DICETAK" not in pdf_text(render_guidebook(office))
    service.office.refresh_from_db()
    assert "JANGAN DICETAK" not in pdf_text(render_poster(service))
