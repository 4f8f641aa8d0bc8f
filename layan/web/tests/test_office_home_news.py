from django.test import Client

from layan.announcements.services import create_announcement, publish_announcement


def test_a_published_announcement_shows_on_the_office_home_at_once(demo_office, django_capture_on_commit_callbacks):
    client = Client()
    assert "Pengumuman terbaru" not in client.get("/kisam-tinggi/").content.decode()
    announcement = create_announcement(
        demo_office, title="Pelayanan KTP keliling di Desa Balayan", body="Hari Sabtu pukul 08.00."
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_announcement(announcement)
    page = client.get("/kisam-tinggi/").content.decode()
    assert "Pengumuman terbaru" in page and "Pelayanan KTP keliling di Desa Balayan" in page
