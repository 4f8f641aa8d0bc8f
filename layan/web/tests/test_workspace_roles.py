"""Roles across the workspace: a viewer reads every staff page but each write view answers 403 and
shows no write button or form; staff of another office get 404 on every workspace URL."""

import pytest
from django.urls import reverse

from layan.announcements.services import publish_announcement
from layan.announcements.tests.helpers import create_draft
from layan.messaging.models import Contact
from layan.messaging.tests.helpers import ask, create_test_channel
from testkit.personas import PASSWORD


@pytest.fixture
def things(personas):
    ask(create_test_channel(personas.office), "apakah besok kantor buka pak")
    return {
        "contact": Contact.objects.get(),
        "draft": create_draft(personas.office),
        "public": publish_announcement(create_draft(personas.office, title="Sudah terbit")),
    }


def read_urls(slug, t) -> list[str]:
    return [
        reverse("web:workspace", args=[slug]),
        reverse("messaging:inbox", args=[slug]),
        reverse("messaging:conversation", args=[slug, t["contact"].uuid]),
        reverse("messaging:simulator", args=[slug]),
        reverse("phone:dashboard", args=[slug]),
        reverse("announcements:staff_list", args=[slug]),
        reverse("announcements:staff_edit", args=[slug, t["draft"].pk]),
        reverse("announcements:staff_edit", args=[slug, t["public"].pk]),
    ]


def write_posts(slug, t) -> list[tuple[str, dict]]:
    contact, draft, public = t["contact"].uuid, t["draft"].pk, t["public"].pk
    return [
        (reverse("messaging:take", args=[slug, contact]), {}),
        (reverse("messaging:done", args=[slug, contact]), {}),
        (reverse("messaging:conversation", args=[slug, contact]), {"text": "halo"}),
        (reverse("messaging:simulator", args=[slug]), {"text": "JAM"}),
        (reverse("phone:dashboard", args=[slug]), {"caller": "081200000000", "question": "jam buka"}),
        (reverse("announcements:staff_create", args=[slug]), {"title": "x", "body": "y"}),
        (reverse("announcements:staff_edit", args=[slug, draft]), {"title": "x", "body": "y"}),
        (reverse("announcements:staff_publish", args=[slug, draft]), {}),
        (reverse("announcements:staff_cancel", args=[slug, draft]), {}),
        (reverse("announcements:staff_edit", args=[slug, public]), {"title": "x", "body": "y"}),
        (reverse("announcements:staff_withdraw", args=[slug, public]), {}),
    ]


WRITE_LABELS = [
    "Ambil",
    "Tandai selesai",
    "Kirim balasan",
    "Kirim</button>",
    "Simpan</button>",
    "Buat pengumuman",
    "Terbitkan sekarang",
    "Simpan koreksi",
    "Tarik",
]


def test_viewer_reads_everything_but_writes_nothing(client, personas, things):
    assert client.login(username=personas.viewer.username, password=PASSWORD)
    slug = personas.office.slug
    for url in read_urls(slug, things):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        shown = [label for label in WRITE_LABELS if label in html]
        assert shown == [], (url, shown)
    for url, data in write_posts(slug, things):
        assert client.post(url, data).status_code == 403, url


def test_staff_of_another_office_get_404_everywhere(client, personas, things):
    assert client.login(username=personas.outsider.username, password=PASSWORD)
    slug = personas.office.slug
    for url in read_urls(slug, things):
        assert client.get(url).status_code == 404, url
    for url, data in write_posts(slug, things):
        assert client.post(url, data).status_code == 404, url
