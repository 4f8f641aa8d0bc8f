import pytest
from django.template import Context, Template

from layan.announcements.services import publish_announcement

from .helpers import create_draft

pytestmark = pytest.mark.django_db


def test_draft_and_other_offices_are_not_public(client, personas):
    draft = create_draft(personas.office, title="Rahasia draf")
    other = publish_announcement(create_draft(personas.other_office, title="Milik kecamatan lain"))
    slug = personas.office.slug
    listing = client.get(f"/{slug}/pengumuman/").content.decode()
    assert "Rahasia draf" not in listing and "Milik kecamatan lain" not in listing
    assert client.get(f"/{slug}/pengumuman/{draft.pk}/").status_code == 404
    assert client.get(f"/{slug}/pengumuman/{other.pk}/").status_code == 404
    assert b"Rahasia draf" not in client.get(f"/{slug}/pengumuman/feed.xml").content


def test_unknown_office_is_404(client, personas):
    assert client.get("/tidak-ada/pengumuman/").status_code == 404
    assert client.get("/tidak-ada/pengumuman/feed.xml").status_code == 404


def test_detail_page_is_indonesian_semantic_html(client, personas):
    announcement = publish_announcement(create_draft(personas.office, link="https://disdukcapil.example/ktp"))
    html = client.get(f"/{personas.office.slug}/pengumuman/{announcement.pk}/").content.decode()
    assert '<html lang="id">' in html
    assert "<article" in html and "<time datetime=" in html
    assert "Informasi lebih lanjut" in html and "https://disdukcapil.example/ktp" in html


def test_latest_block_shows_newest_and_refreshes_on_publish(personas, django_capture_on_commit_callbacks):
    office = personas.office
    template = Template("{% load announcements %}{% latest_announcements office %}")
    assert "Pengumuman terbaru" not in template.render(Context({"office": office}))
    with django_capture_on_commit_callbacks(execute=True):
        publish_announcement(create_draft(office, title="Vaksinasi gratis"))
    html = template.render(Context({"office": office}))
    assert "Pengumuman terbaru" in html and "Vaksinasi gratis" in html
