"""What the phone menu reads and sends comes from the catalogue with each requirement's form and condition."""

import pytest

from layan.telephone.lookup import office_info

pytestmark = pytest.mark.django_db


def test_the_phone_tells_each_requirement_with_its_form_and_condition(demo_office):
    ktp = next(s for s in office_info(demo_office).services if s.code == "ktp-el")
    assert "fotokopi Kartu Keluarga" in ktp.requirements
    assert "KTP-el lama (jika rusak/ganti data)" in ktp.requirements
    assert "Surat keterangan kehilangan dari kepolisian (jika hilang)" in ktp.requirements
