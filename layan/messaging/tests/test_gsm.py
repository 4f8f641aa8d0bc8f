from hypothesis import given
from hypothesis import strategies as st

from layan.messaging.gsm import fit_sms, is_gsm7, sms_parts, split_sms, to_gsm7


def test_smart_punctuation_becomes_gsm7():
    text = "Syarat “KTP” – bawa KK… jangan lupa ’ya’ — terima kasih"
    clean = to_gsm7(text)
    assert is_gsm7(clean)
    assert clean == "Syarat \"KTP\" - bawa KK... jangan lupa 'ya' - terima kasih"


def test_part_counting_gsm7_and_ucs2():
    assert sms_parts("a" * 160) == 1
    assert sms_parts("a" * 161) == 2
    assert sms_parts("a" * 306) == 2
    assert sms_parts("a" * 307) == 3
    assert sms_parts("ä" * 160) == 1  # in the GSM-7 basic set
    assert sms_parts("😀" + "a" * 60) == 1  # UCS-2: 2 units for the emoji + 60
    assert sms_parts("😀" + "a" * 69) == 2
    assert sms_parts("€" * 80) == 1  # extension characters cost two septets
    assert sms_parts("€" * 81) == 2


def test_split_never_cuts_a_word():
    words = ["persyaratan", "kartu", "keluarga", "akta", "kelahiran"] * 30
    text = " ".join(words)
    parts = split_sms(text, 10)
    assert all(len(p) <= 153 for p in parts)
    for part in parts:
        for word in part.split():
            assert word in words


word = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Zs", "Cc"]), min_size=1, max_size=12)


@given(st.lists(word, max_size=200), st.integers(min_value=1, max_value=6))
def test_split_respects_limits_and_keeps_words(words, max_parts):
    text = " ".join(words)
    parts = split_sms(text, max_parts)
    assert len(parts) <= max_parts
    assert all(sms_parts(p) == 1 or len(parts) == 1 for p in parts)
    if " ".join(parts).split() != text.split():
        # Words are never cut, so a text whose raw length fits max_parts may still need more
        # word-aligned parts (long UCS-2 words waste the end of each part): then the tail is
        # dropped visibly, never silently.
        assert len(parts) == max_parts and parts[-1].endswith("...")
        kept = " ".join(parts)[:-3].split()
        assert kept == text.split()[: len(kept)] or kept[:-1] == text.split()[: len(kept) - 1]
    if len(text.split()) and sms_parts(text) <= 1:
        assert parts == [text]


@given(st.text(max_size=2000), st.integers(min_value=1, max_value=5))
def test_fit_sms_always_fits(text, max_parts):
    assert sms_parts(fit_sms(text, max_parts)) <= max_parts
