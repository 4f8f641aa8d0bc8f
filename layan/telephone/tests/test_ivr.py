"""The IVR state machine: every menu path, invalid digits, silence, paging and back."""

from layan.telephone.ivr import (
    MAX_MISSES,
    Expect,
    IvrMachine,
    KeepRecording,
    LookupRefused,
    OfficeInfo,
    SendSms,
    ServiceInfo,
    page_bounds,
)


def office(n_services: int = 3, *, is_open: bool = True) -> OfficeInfo:
    services = tuple(
        ServiceInfo(f"s{i}", f"Layanan {i}", (f"Dokumen {i}A", f"Dokumen {i}B"), "1 hari kerja", "Gratis", f"u/{i}")
        for i in range(1, n_services + 1)
    )
    return OfficeInfo(
        "Kecamatan Uji", services, is_open, ("Senin sampai Kamis pukul 08.00 sampai 15.30",), "Jl. Merdeka 1"
    )


def said(turn) -> str:
    return " ".join(p.text for p in turn.prompts)


def test_call_starts_with_welcome_and_main_menu():
    turn = IvrMachine(office()).start()
    assert [p.key for p in turn.prompts] == ["welcome", "menu"]
    assert "Kecamatan Uji" in said(turn)
    assert turn.expect == Expect.DIGITS and turn.max_digits == 1


def test_requirements_path_lists_services_and_speaks_the_answer():
    m = IvrMachine(office(), caller="+6281234567890")
    m.start()
    listing = m.on_digits("1")
    assert "Tekan 1 untuk Layanan 1" in said(listing) and "Tekan 3 untuk Layanan 3" in said(listing)
    assert "berikutnya" not in said(listing)
    answer = m.on_digits("2")
    text = said(answer)
    assert "Dokumen 2A" in text and "1 hari kerja" in text and "Gratis" in text
    assert "Tekan 1 untuk menerima lewat SMS" in text


def test_sms_offer_sends_the_requirements_and_returns_to_menu():
    m = IvrMachine(office(), caller="+6281234567890")
    m.start()
    m.on_digits("1")
    m.on_digits("1")
    turn = m.on_digits("1")
    (effect,) = turn.effects
    assert isinstance(effect, SendSms) and effect.service_code == "s1"
    assert "Dokumen 1A; Dokumen 1B" in effect.text and "u/1" in effect.text
    assert [p.key for p in turn.prompts] == ["sms_sent", "menu"]
    assert m.path == ["menu", "syarat", "syarat:s1", "sms", "menu"]


def test_sms_is_not_offered_when_the_number_is_withheld():
    m = IvrMachine(office(), caller="")
    m.start()
    m.on_digits("1")
    answer = m.on_digits("1")
    assert "SMS" not in said(answer)
    repeat = m.on_digits("1")  # "1" means nothing here without a number
    assert repeat.prompts[0].key == "invalid" and not repeat.effects


def test_answer_can_be_repeated_and_left():
    m = IvrMachine(office(), caller="+6281234567890")
    m.start()
    m.on_digits("1")
    first = m.on_digits("3")
    assert said(m.on_digits("2")) == said(first)
    assert m.on_digits("0").prompts[-1].key == "menu"


def test_long_catalogue_is_paged_with_nine_for_next_and_zero_for_back():
    m = IvrMachine(office(20))
    m.start()
    page1 = said(m.on_digits("1"))
    assert "Tekan 8 untuk Layanan 8." in page1 and "Layanan 9." not in page1
    assert "Tekan 9 untuk layanan berikutnya" in page1
    page2 = said(m.on_digits("9"))
    assert "Tekan 1 untuk Layanan 9." in page2 and "Tekan 8 untuk Layanan 16." in page2
    page3 = said(m.on_digits("9"))
    # The last four fit on one page: no "next" there.
    assert "Tekan 4 untuk Layanan 20." in page3 and "berikutnya" not in page3
    assert "Dokumen 18A" in said(m.on_digits("2"))
    m.on_digits("0")  # back to the main menu from the answer
    m.on_digits("1")
    m.on_digits("9")
    assert "Tekan 1 untuk Layanan 1." in said(m.on_digits("0"))  # previous page
    assert m.on_digits("0").prompts[-1].key == "menu"  # first page: back to the menu


def test_nine_services_fit_one_page_and_nine_chooses_the_ninth():
    assert page_bounds(9, 0) == (0, 9, False)
    m = IvrMachine(office(9))
    m.start()
    m.on_digits("1")
    assert "Layanan 9" in said(m.on_digits("9"))


def test_digit_beyond_the_page_is_invalid():
    m = IvrMachine(office(3))
    m.start()
    m.on_digits("1")
    turn = m.on_digits("7")
    assert turn.prompts[0].key == "invalid" and "Tekan 1 untuk Layanan 1" in said(turn)


def test_status_path_asks_for_code_ending_with_hash_and_reports_not_found():
    m = IvrMachine(office())
    m.start()
    ask = m.on_digits("2")
    assert ask.terminator == "#" and ask.max_digits > 6 and ask.prompts[-1].key == "status_enter_code"
    turn = m.on_digits("042#")
    assert "Kode 0 4 2 tidak ditemukan" in said(turn) and turn.prompts[-1].key == "menu"
    assert m.path[-2] == "status:tidak-ditemukan"


def test_status_lookup_answer_is_spoken():
    m = IvrMachine(office(), lookup_status=lambda code: "selesai, dapat diambil" if code == "123" else None)
    m.start()
    m.on_digits("2")
    assert "Status permohonan 1 2 3: selesai, dapat diambil" in said(m.on_digits("123#"))


def test_a_refused_lookup_says_why_and_returns_to_the_menu():
    def refuse(code):
        raise LookupRefused("Maaf, terlalu banyak percobaan.")

    m = IvrMachine(office(), lookup_status=refuse)
    m.start()
    m.on_digits("2")
    turn = m.on_digits("12345678901234#")
    assert "terlalu banyak percobaan" in said(turn) and turn.prompts[-1].key == "menu"
    assert m.path[-2] == "status:ditolak"


def test_hours_path_says_open_now_hours_and_address_then_menu():
    m = IvrMachine(office(is_open=False))
    m.start()
    turn = m.on_digits("3")
    text = said(turn)
    assert "sedang tutup" in text and "Senin sampai Kamis pukul 08.00" in text and "Jl. Merdeka 1" in text
    assert turn.prompts[-1].key == "menu"
    assert "sedang buka" in said(IvrMachine(office(is_open=True)).on_digits("3"))


def test_voice_message_path_records_after_the_beep_and_says_goodbye():
    m = IvrMachine(office())
    m.start()
    rec = m.on_digits("0")
    assert rec.expect == Expect.RECORD and rec.beep and rec.timeout_s == 60
    done = m.on_recorded(12.5)
    assert done.expect == Expect.HANGUP and done.effects == (KeepRecording(),)
    assert [p.key for p in done.prompts] == ["record_thanks", "goodbye"]
    assert m.path == ["menu", "pesan", "pesan:tersimpan", "selesai"]


def test_empty_recording_goes_back_to_the_menu():
    m = IvrMachine(office())
    m.start()
    m.on_digits("0")
    turn = m.on_recorded(0.2)
    assert not turn.effects and turn.prompts[-1].key == "menu"


def test_invalid_digit_repeats_the_menu_then_goodbye():
    m = IvrMachine(office())
    m.start()
    for _ in range(MAX_MISSES - 1):
        turn = m.on_digits("7")
        assert [p.key for p in turn.prompts] == ["invalid", "menu"]
    assert m.on_digits("5").expect == Expect.HANGUP
    assert m.path[-1] == "selesai"


def test_silence_repeats_then_goodbye_and_a_valid_digit_resets_the_count():
    m = IvrMachine(office())
    m.start()
    assert m.on_digits("").prompts[0].key == "no_input"
    m.on_digits("")
    m.on_digits("3")  # valid: the count starts again
    assert m.on_digits("").expect == Expect.DIGITS
    m.on_digits("")
    assert m.on_digits("").prompts[-1].key == "goodbye"


def test_star_returns_to_the_main_menu_from_anywhere():
    m = IvrMachine(office(20))
    m.start()
    m.on_digits("1")
    m.on_digits("9")
    assert m.on_digits("*").prompts[-1].key == "menu"
    m.on_digits("2")
    assert m.on_digits("*").prompts[-1].key == "menu"


def test_empty_catalogue_says_so_and_stays_in_menu():
    m = IvrMachine(office(0))
    m.start()
    turn = m.on_digits("1")
    assert "Belum ada layanan" in said(turn) and turn.prompts[-1].key == "menu"
