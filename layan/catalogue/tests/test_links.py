"""Public addresses are printed in QR codes and guidebooks already in offices: they must not move."""

from layan.catalogue import links


def test_public_addresses_are_the_printed_ones(settings):
    settings.PUBLIC_BASE_URL = "https://layan.example.go.id"
    assert links.office_page_url("kisam-tinggi") == "https://layan.example.go.id/kisam-tinggi/"
    assert links.guidebook_url("kisam-tinggi") == "https://layan.example.go.id/kisam-tinggi/panduan.pdf"
    assert (
        links.service_page_url("kisam-tinggi", "ktp-el") == "https://layan.example.go.id/kisam-tinggi/layanan/ktp-el/"
    )
    assert (
        links.poster_url("kisam-tinggi", "ktp-el")
        == "https://layan.example.go.id/kisam-tinggi/layanan/ktp-el/poster.pdf"
    )
    assert (
        links.service_version_page_url("kisam-tinggi", "ktp-el", 2)
        == "https://layan.example.go.id/kisam-tinggi/layanan/ktp-el/versi/2/"
    )


def test_guidebook_qr_and_sms_carry_the_same_sop_address(settings, demo_office):
    from layan.catalogue import guidebook

    settings.PUBLIC_BASE_URL = "https://layan.example.go.id"
    service = demo_office.services.published().get(code="ktp-el")
    data = guidebook._service_data(service, demo_office)
    assert data["url"] == "https://layan.example.go.id/kisam-tinggi/layanan/ktp-el/"
    assert data["qr"] == guidebook.qr_svg("https://layan.example.go.id/kisam-tinggi/layanan/ktp-el/")
