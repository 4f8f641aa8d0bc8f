"""NIK-like numbers in free text shown to staff: one masking rule, used by templates through a filter."""

import pytest
from django.template import Context, Template

from layan.offices import privacy
from layan.offices.models import AuditEvent
from layan.offices.services import record_audit_event


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("NIK saya 1609123456780001 pak", "NIK saya 1609••••••••0001 pak"),
        ("nik: 1609 1234 5678 0001.", "nik: 1609••••••••0001."),
        ("KK 1609.1234.5678.0002, NIK 1609-1234-5678-0003", "KK 1609••••••••0002, NIK 1609••••••••0003"),
    ],
)
def test_nik_like_numbers_are_masked_wherever_they_are_typed(text, masked):
    assert privacy.mask_nik(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "hubungi 081234567890 atau +62 812-3456-7890",  # phone numbers have at most 15 digits
        "kode lacak 20261201-0042, jam 08.00-16.00",
        "syarat ktp",
        "",
    ],
)
def test_other_numbers_stay_as_they_are(text):
    assert privacy.mask_nik(text) == text


def test_the_template_filter_masks_and_still_escapes():
    template = Template("{% load privacy %}{{ note|mask_nik }}")
    html = template.render(Context({"note": "<b>NIK</b> 1609123456780001"}))
    assert html == "&lt;b&gt;NIK&lt;/b&gt; 1609••••••••0001"


def test_an_audit_event_names_who_did_what_to_which_row(personas):
    event = record_audit_event(
        personas.office, actor=personas.staff, action=AuditEvent.Action.VIEW_PHONE, target="call:7"
    )
    assert (event.office, event.actor, event.action, event.target) == (
        personas.office,
        personas.staff,
        "view_phone",
        "call:7",
    )
    assert event.created_at is not None
