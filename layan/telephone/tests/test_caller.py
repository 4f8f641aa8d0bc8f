"""The phone line reads and masks numbers with messaging's one rule, as the SMS side does."""

from layan.messaging.urns import mask_urn, normalize_phone
from layan.telephone.models import CallLog
from layan.telephone.services import normalize_caller


def test_a_caller_id_is_normalised_like_every_phone_number():
    for raw in ["0812-3456-7890", "62 812 3456 7890", "+6281234567890"]:
        assert normalize_caller(raw) == normalize_phone(raw) == "+6281234567890"
    for withheld in ["", "anonymous", "1001"]:
        assert normalize_caller(withheld) == ""


def test_the_call_log_masks_a_number_as_the_staff_inbox_does():
    call = CallLog(caller="+6281234567890")
    assert call.masked_caller == mask_urn("tel:+6281234567890") == "+62812•••••890"
