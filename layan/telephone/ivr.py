"""The telephone menu (IVR) as one pure state machine: digits in, prompts and effects out.

No I/O here: the drivers (SIP, FastAGI) play what a `Turn` says, collect what it expects and
feed the caller's digits back. Catalogue data arrives as plain `ServiceInfo` snapshots taken
when the call starts, and the tracking-code lookup is an injected function, so every path can
be tested in microseconds.

    menu ─1─▶ services(page) ─digit─▶ answer ─1─▶ (SMS) ─▶ menu
      │            │ 9 next page, 0 previous page / menu
      ├─2─▶ tracking digits (… #) ─▶ "kode tidak ditemukan" / status / refusal ─▶ menu
      ├─3─▶ hours + address ─▶ menu
      └─0─▶ record after the beep ─▶ thanks ─▶ goodbye (hang up)
    invalid digit or silence: say so and repeat; after MAX_MISSES in a row: goodbye.
    `*` anywhere returns to the main menu.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

MAX_MISSES = 3  # the first miss and the second are repeated; the third ends the call
MENU_TIMEOUT_S = 6.0
CODE_TIMEOUT_S = 12.0
CODE_MAX_DIGITS = 16
RECORD_MAX_S = 60

# Fixed prompts: an office may replace any of these with its own recording (PromptRecording).
# `{office}` is the office's name. Dynamic text (service names, hours) is always spoken by TTS.
FIXED_PROMPTS: dict[str, str] = {
    "welcome": "Selamat datang di layanan telepon {office}.",
    "menu": (
        "Tekan 1 untuk persyaratan layanan. Tekan 2 untuk status permohonan. "
        "Tekan 3 untuk jam layanan dan alamat kantor. Tekan 0 untuk meninggalkan pesan suara."
    ),
    "invalid": "Maaf, pilihan tidak dikenal.",
    "no_input": "Maaf, kami tidak menerima pilihan Anda.",
    "goodbye": "Terima kasih telah menghubungi {office}. Sampai jumpa.",
    "services_intro": "Pilih layanan.",
    "status_enter_code": (
        "Masukkan nomor lacak permohonan Anda, empat belas angka pada tanda terima, lalu tekan tanda pagar."
    ),
    "record_after_beep": (
        "Silakan tinggalkan pesan untuk kantor setelah bunyi bip, paling lama enam puluh detik. "
        "Tekan tanda pagar bila selesai."
    ),
    "record_thanks": "Terima kasih, pesan Anda sudah kami terima dan akan ditindaklanjuti petugas.",
    "record_empty": "Tidak ada pesan yang terekam.",
    "sms_sent": "Persyaratan sudah kami kirim lewat SMS ke nomor Anda.",
    "sms_failed": "Maaf, SMS tidak dapat dikirim saat ini.",
}
PROMPT_LABELS: dict[str, str] = {
    "welcome": "Salam pembuka",
    "menu": "Menu utama",
    "invalid": "Pilihan tidak dikenal",
    "no_input": "Tidak ada pilihan",
    "goodbye": "Penutup",
    "services_intro": "Pengantar daftar layanan",
    "status_enter_code": "Minta kode pelacakan",
    "record_after_beep": "Rekam setelah bunyi bip",
    "record_thanks": "Terima kasih atas pesan",
    "record_empty": "Pesan kosong",
    "sms_sent": "SMS terkirim",
    "sms_failed": "SMS gagal",
}


@dataclass(frozen=True)
class ServiceInfo:
    code: str
    name: str
    requirements: tuple[str, ...]
    time: str  # "1 hari kerja"
    fee: str  # "Gratis (tidak dipungut biaya)"
    url: str = ""


@dataclass(frozen=True)
class OfficeInfo:
    name: str
    services: tuple[ServiceInfo, ...]
    is_open_now: bool
    hours: tuple[str, ...]  # "Senin pukul 08.00 sampai 15.30"
    address: str = ""


@dataclass(frozen=True)
class Prompt:
    """Something to say: a fixed prompt (`key`, replaceable by a recording) or dynamic TTS text."""

    text: str
    key: str = ""


class Expect(StrEnum):
    DIGITS = "digits"
    RECORD = "record"
    HANGUP = "hangup"


@dataclass(frozen=True)
class SendSms:
    text: str
    service_code: str


@dataclass(frozen=True)
class KeepRecording:
    """The driver stores what it just recorded as a voice message for the office."""


@dataclass(frozen=True)
class Turn:
    """What the driver does next: play `prompts`, then collect per `expect`.

    `max_digits`/`terminator`/`timeout_s` describe digit collection (the caller may type ahead
    while prompts play). `effects` are performed by the driver before the next input.
    """

    prompts: tuple[Prompt, ...]
    expect: Expect
    max_digits: int = 1
    terminator: str = ""
    timeout_s: float = MENU_TIMEOUT_S
    beep: bool = False
    effects: tuple[SendSms | KeepRecording, ...] = ()


class State(StrEnum):
    MENU = "menu"
    SERVICES = "services"
    ANSWER = "answer"
    STATUS = "status"
    RECORD = "record"
    DONE = "done"


StatusLookup = Callable[[str], "str | None"]


class LookupRefused(Exception):  # noqa: N818 (reads as what happened)
    """Raised by a status lookup that will not answer this code (a typo in it, too many tries):
    its message is said to the caller instead of the status."""


def page_bounds(total: int, page: int) -> tuple[int, int, bool]:
    """(first index, end index, has next page) for `page` of a catalogue of `total` services.

    Keys 1–9 choose, but 9 means "next page" when more follow, so a page holds 9 services only
    when the rest of the catalogue fits; otherwise 8.
    """
    start = page * 8
    if total - start <= 9:
        return start, total, False
    return start, start + 8, True


def spell_digits(digits: str) -> str:
    """'042' -> '0 4 2' so TTS reads digit by digit, the way a caller typed them."""
    return " ".join(digits)


@dataclass
class IvrMachine:
    office: OfficeInfo
    caller: str = ""  # E.164 number when the network tells it; SMS is offered only then
    lookup_status: StatusLookup = field(default=lambda code: None)
    state: State = State.MENU
    page: int = 0
    service: ServiceInfo | None = None
    misses: int = 0
    path: list[str] = field(default_factory=list)
    sms_sent: bool = False

    # -- prompts ---------------------------------------------------------------------------
    def fixed(self, key: str) -> Prompt:
        return Prompt(FIXED_PROMPTS[key].format(office=self.office.name), key)

    def _menu_turn(self, *lead: Prompt) -> Turn:
        self.state, self.page, self.service = State.MENU, 0, None
        self.path.append("menu")
        return Turn((*lead, self.fixed("menu")), Expect.DIGITS)

    def _services_prompt(self) -> Prompt:
        start, end, has_next = page_bounds(len(self.office.services), self.page)
        parts = [f"Tekan {i - start + 1} untuk {s.name}." for i, s in enumerate(self.office.services[start:end], start)]
        if has_next:
            parts.append("Tekan 9 untuk layanan berikutnya.")
        parts.append("Tekan 0 untuk kembali.")
        return Prompt(" ".join(parts))

    def _services_turn(self) -> Turn:
        self.state = State.SERVICES
        lead = (self.fixed("services_intro"),) if self.page == 0 else ()
        return Turn((*lead, self._services_prompt()), Expect.DIGITS)

    def _answer_prompt(self) -> Prompt:
        s = self.service
        assert s is not None
        docs = " ".join(f"{n}. {doc}." for n, doc in enumerate(s.requirements, 1)) or "Tidak ada persyaratan khusus."
        options = "Tekan 1 untuk menerima lewat SMS. " if self.caller else ""
        options += "Tekan 2 untuk mendengar lagi. Tekan 0 untuk kembali ke menu utama."
        return Prompt(
            f"Persyaratan {s.name}: {docs} Jangka waktu pelayanan: {s.time}. Biaya: {s.fee}. {options}",
        )

    def _goodbye(self) -> Turn:
        self.state = State.DONE
        self.path.append("selesai")
        return Turn((self.fixed("goodbye"),), Expect.HANGUP)

    def _repeat(self, reason: str) -> Turn:
        """An invalid digit or silence: say so and ask again, or give up after MAX_MISSES."""
        self.misses += 1
        if self.misses >= MAX_MISSES:
            return self._goodbye()
        apology = self.fixed(reason)
        if self.state == State.MENU:
            return Turn((apology, self.fixed("menu")), Expect.DIGITS)
        if self.state == State.SERVICES:
            return Turn((apology, self._services_prompt()), Expect.DIGITS)
        if self.state == State.ANSWER:
            return Turn((apology, self._answer_prompt()), Expect.DIGITS)
        return self._status_turn(apology)

    def _status_turn(self, *lead: Prompt) -> Turn:
        self.state = State.STATUS
        return Turn(
            (*lead, self.fixed("status_enter_code")),
            Expect.DIGITS,
            max_digits=CODE_MAX_DIGITS,
            terminator="#",
            timeout_s=CODE_TIMEOUT_S,
        )

    def _hours_prompt(self) -> Prompt:
        now = "Saat ini kantor sedang buka." if self.office.is_open_now else "Saat ini kantor sedang tutup."
        hours = "; ".join(self.office.hours) or "belum diumumkan"
        address = f" Alamat kantor: {self.office.address}." if self.office.address else ""
        return Prompt(f"{now} Jam layanan: {hours}.{address}")

    # -- transitions -----------------------------------------------------------------------
    def start(self) -> Turn:
        return self._menu_turn(self.fixed("welcome"))

    def on_digits(self, digits: str) -> Turn:
        """The caller typed `digits` ("" = nothing before the timeout)."""
        if self.state in (State.DONE, State.RECORD):
            return self._goodbye()
        digits = digits.rstrip("#")
        if digits == "*":
            self.misses = 0
            return self._menu_turn()
        if not digits:
            return self._repeat("no_input")
        handler = {
            State.MENU: self._on_menu,
            State.SERVICES: self._on_services,
            State.ANSWER: self._on_answer,
            State.STATUS: self._on_status,
        }[self.state]
        turn = handler(digits)
        if turn is None:
            return self._repeat("invalid")
        self.misses = 0
        return turn

    def on_recorded(self, seconds: float) -> Turn:
        """The recording ended (by #, silence or the time limit) after `seconds` of audio."""
        if seconds < 1:
            self.path.append("pesan:kosong")
            return self._menu_turn(self.fixed("record_empty"))
        self.path.append("pesan:tersimpan")
        turn = self._goodbye()
        return Turn((self.fixed("record_thanks"), *turn.prompts), Expect.HANGUP, effects=(KeepRecording(),))

    def _on_menu(self, digit: str) -> Turn | None:
        if digit == "1":
            self.page = 0
            self.path.append("syarat")
            if not self.office.services:
                return self._menu_turn(Prompt("Belum ada layanan yang diterbitkan."))
            return self._services_turn()
        if digit == "2":
            self.path.append("status")
            return self._status_turn()
        if digit == "3":
            self.path.append("jam")
            return self._menu_turn(self._hours_prompt())
        if digit == "0":
            self.state = State.RECORD
            self.path.append("pesan")
            return Turn((self.fixed("record_after_beep"),), Expect.RECORD, beep=True, timeout_s=RECORD_MAX_S)
        return None

    def _on_services(self, digit: str) -> Turn | None:
        start, end, has_next = page_bounds(len(self.office.services), self.page)
        if digit == "0":
            if self.page == 0:
                return self._menu_turn()
            self.page -= 1
            return self._services_turn()
        if digit == "9" and has_next:
            self.page += 1
            return self._services_turn()
        if not digit.isdigit() or start + int(digit) > end:
            return None
        self.service = self.office.services[start + int(digit) - 1]
        self.state = State.ANSWER
        self.path.append(f"syarat:{self.service.code}")
        return Turn((self._answer_prompt(),), Expect.DIGITS)

    def _on_answer(self, digit: str) -> Turn | None:
        s = self.service
        assert s is not None
        if digit == "1" and self.caller:
            self.sms_sent = True
            self.path.append("sms")
            turn = self._menu_turn(self.fixed("sms_sent"))
            return Turn(turn.prompts, turn.expect, effects=(SendSms(sms_text(s), s.code),))
        if digit == "2":
            return Turn((self._answer_prompt(),), Expect.DIGITS)
        if digit == "0":
            return self._menu_turn()
        return None

    def _on_status(self, code: str) -> Turn | None:
        if not code.isdigit():
            return None
        try:
            status = self.lookup_status(code)
        except LookupRefused as refused:
            self.path.append("status:ditolak")
            return self._menu_turn(Prompt(str(refused)))
        self.path.append("status:ditemukan" if status else "status:tidak-ditemukan")
        if status is None:
            return self._menu_turn(Prompt(f"Kode {spell_digits(code)} tidak ditemukan."))
        return self._menu_turn(Prompt(f"Status permohonan {spell_digits(code)}: {status}."))


def sms_text(service: ServiceInfo) -> str:
    """The requirements as one SMS-sized text (plain ASCII punctuation keeps it in GSM-7)."""
    docs = "; ".join(service.requirements) or "-"
    text = f"Syarat {service.name}: {docs}. Waktu: {service.time}. Biaya: {service.fee}."
    if service.url:
        text += f" Info: {service.url}"
    return text
