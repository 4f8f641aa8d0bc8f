"""What the phone menu reads and sends comes from the catalogue with each requirement's form and condition."""

import pytest

from layan.applications import tracking
from layan.applications.tests.helpers import submit
from layan.telephone.ivr import LookupRefused
from layan.telephone.lookup import lookup_application_status, office_info

pytestmark = pytest.mark.django_db


def test_the_phone_tells_each_requirement_with_its_form_and_condition(demo_office):
    ktp = next(s for s in office_info(demo_office).services if s.code == "ktp-el")
    assert "fotokopi Kartu Keluarga" in ktp.requirements
    assert "KTP-el lama (jika rusak/ganti data)" in ktp.requirements
    assert "Surat keterangan kehilangan dari kepolisian (jika hilang)" in ktp.requirements


# -- menu 2: the status by the tracking number's keypad digits ---------------------------------
def test_the_keypad_digits_find_the_status_without_personal_data(demo_office):
    application = submit(demo_office, demo_office.services.get(code="ktp-el"))
    spoken = lookup_application_status(demo_office, application.tracking_digits, caller_key="tel:+6281200000001")
    assert spoken is not None
    assert spoken.startswith("Pelayanan KTP-el") and "Diajukan" in spoken and "perkiraan selesai" in spoken
    assert application.applicant_name not in spoken and application.nik not in spoken


def test_unknown_digits_are_not_found_and_mistyped_ones_are_refused(demo_office):
    application = submit(demo_office, demo_office.services.get(code="ktp-el"))
    digits = application.tracking_digits
    other = tracking.encode_digits(application.tracking_number ^ 1)
    assert lookup_application_status(demo_office, other, caller_key="tel:+6281200000001") is None
    wrong = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    with pytest.raises(LookupRefused, match="salah ketik"):
        lookup_application_status(demo_office, wrong, caller_key="tel:+6281200000001")


def test_a_caller_trying_too_often_is_refused(demo_office, settings):
    settings.LAYAN_RATE_LIMITS = {**settings.LAYAN_RATE_LIMITS, "tracking": "2/10m"}
    application = submit(demo_office, demo_office.services.get(code="ktp-el"))
    for _ in range(2):
        lookup_application_status(demo_office, application.tracking_digits, caller_key="tel:+6281200000001")
    with pytest.raises(LookupRefused, match="terlalu banyak percobaan"):
        lookup_application_status(demo_office, application.tracking_digits, caller_key="tel:+6281200000001")
    assert lookup_application_status(demo_office, application.tracking_digits, caller_key="call:7")
