import pytest

from layan.messaging.urns import URNError, mask_urn, normalize_phone, normalize_urn, parse_urn, tel_urn


@pytest.mark.parametrize(
    "written",
    ["081234567890", "6281234567890", "+62 812-3456-7890", "0812 3456 7890", "+6281234567890", "(0812) 3456-7890"],
)
def test_every_way_of_writing_a_number_is_one_contact(written):
    assert tel_urn(written) == "tel:+6281234567890"


def test_urn_with_scheme_is_normalised():
    assert normalize_urn("tel:0812-3456-7890") == "tel:+6281234567890"
    assert normalize_urn("TELEGRAM:12345") == "telegram:12345"
    assert parse_urn("whatsapp:+62 812 3456 7890") == ("whatsapp", "6281234567890")


@pytest.mark.parametrize("bad", ["", "abc", "12", "tel:", "gopher:123"])
def test_unusable_address_is_rejected_with_indonesian_message(bad):
    with pytest.raises(URNError) as exc:
        normalize_urn(bad)
    assert "tidak" in str(exc.value).lower() or "kosong" in str(exc.value).lower()


def test_landline_with_area_code():
    assert normalize_phone("(0735) 321123") == "+62735321123"


def test_phone_numbers_are_masked_in_lists():
    assert mask_urn("tel:+6281234567890") == "+62812•••••890"
    assert "12345678" not in mask_urn("telegram:123456789")
