"""STATUS and DAFTAR as a citizen writes them, by SMS or chat, against the Kisam Tinggi demo."""

import csv
import uuid

import pytest
from django.conf import settings

from layan.applications.models import Application, Channel, Status
from layan.applications.services import change_status
from layan.messaging.gsm import is_gsm7, sms_parts
from layan.messaging.models import ConversationState, Message
from layan.messaging.tests.helpers import CITIZEN, ask, create_test_channel
from layan.regions.models import Village
from testkit.personas import create_user

from .helpers import NIK, submit

WHATSAPP = "whatsapp:6281311112222"


@pytest.fixture
def channel(demo_office):
    """The demo's SMS channel, with every desa of Kisam Tinggi (the demo has one)."""
    with (settings.DATA_DIR / "wilayah" / "villages.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            if row["district_code"] == demo_office.district.code:
                Village.objects.get_or_create(
                    code=row["code"],
                    defaults={"district": demo_office.district, "name": row["name"], "kind": row["kind"]},
                )
    return create_test_channel(demo_office)


@pytest.fixture
def officer(demo_office):
    return create_user("petugas", demo_office)


@pytest.fixture
def application(demo_office):
    ktp = demo_office.services.get(code="ktp-el")
    return submit(demo_office, ktp)


def received(urn: str = CITIZEN) -> list[str]:
    """Every message the citizen got (replies and notifications), oldest first."""
    return list(
        Message.objects.filter(urn__identity=urn, direction=Message.Direction.OUT)
        .order_by("id")
        .values_list("text", flat=True)
    )


def chat(channel, text: str, urn: str = CITIZEN) -> str:
    """What the citizen receives for `text`: its replies and whatever it caused (notifications)."""
    before = len(received(urn))
    ask(channel, text, urn=urn, provider_id=uuid.uuid4().hex)  # the same text twice is two messages
    out = received(urn)[before:]
    for message in out:
        assert sms_parts(message) <= 3 and is_gsm7(message), message
    return "\n".join(out)


# -- STATUS ----------------------------------------------------------------------------------
def test_status_tells_service_status_and_deadline_without_personal_data(channel, application):
    reply = chat(channel, f"STATUS {application.tracking_code}")
    assert application.tracking_code in reply
    assert "Pembuatan KTP-el" in reply or "KTP" in reply
    assert "Diajukan" in reply and "perkiraan selesai" in reply
    assert "Siti" not in reply and NIK not in reply and "Balayan" not in reply
    assert sms_parts(reply) == 1


@pytest.mark.parametrize(
    "typed",
    [
        "status {code}",
        "STATUS {compact}",
        "Status: {lower}",
        "#status#{code}",
        "STATUS kode {spaced}",
        "STATUS {code} tolong dicek",
        "statsu {code}",
        "LACAK {code}",
        "STATUS {digits}",
    ],
)
def test_status_reads_the_code_however_it_is_typed(channel, application, typed):
    code = application.tracking_code
    text = typed.format(
        code=code,
        compact=code.replace("-", ""),
        lower=code.lower(),
        spaced=code.replace("-", " "),
        digits=application.tracking_digits,
    )
    assert "Diajukan" in chat(channel, text)


def test_status_reads_o_as_zero_and_l_as_one(channel, application):
    code = application.tracking_code
    if "0" not in code and "1" not in code:
        Application.objects.filter(pk=application.pk).update(tracking_number=1)  # "000-000-01x"
        application.refresh_from_db()
        code = application.tracking_code
    mistyped = code.replace("0", "O").replace("1", "l")
    assert "Diajukan" in chat(channel, f"STATUS {mistyped}")


def test_status_of_a_mistyped_code_says_so(channel, application):
    code = application.tracking_code
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert "salah ketik" in chat(channel, f"STATUS {wrong}")
    assert "terdiri dari 9" in chat(channel, "STATUS ABC")


def test_status_of_an_unknown_code_says_not_found(channel, application):
    Application.objects.filter(pk=application.pk).update(tracking_number=application.tracking_number ^ 1)
    assert "tidak ditemukan" in chat(channel, f"STATUS {application.tracking_code}")


def test_status_without_a_code_explains_the_format(channel):
    assert "STATUS K7M-2QX-9PC" in chat(channel, "STATUS")


def test_status_follows_the_workflow(channel, application, officer):
    change_status(application, to=Status.DIVERIFIKASI, actor=officer)
    change_status(application, to=Status.DIPROSES, actor=officer)
    assert "Diproses" in chat(channel, f"STATUS {application.tracking_code}")
    change_status(application, to=Status.SELESAI, actor=officer)
    reply = chat(channel, f"STATUS {application.tracking_code}")
    assert "Selesai" in reply and "KTP asli" in reply and "perkiraan" not in reply


def test_status_is_rate_limited_per_sender(channel, application, settings):
    settings.LAYAN_RATE_LIMITS = {**settings.LAYAN_RATE_LIMITS, "tracking": "3/10m"}
    for _ in range(3):
        assert "Diajukan" in chat(channel, f"STATUS {application.tracking_code}")
    refused = chat(channel, f"STATUS {application.tracking_code}")
    assert "Terlalu banyak permintaan" in refused and "Diajukan" not in refused
    # Guessing codes counts too, and another sender keeps its own budget.
    assert "Diajukan" in chat(channel, f"STATUS {application.tracking_code}", urn=WHATSAPP)


def test_menu_mentions_daftar_and_status_in_one_sms(channel):
    reply = chat(channel, "MENU")
    assert "DAFTAR" in reply and "STATUS" in reply and sms_parts(reply) == 1


# -- DAFTAR ----------------------------------------------------------------------------------
def register(channel, *answers: str, urn: str = CITIZEN) -> list[str]:
    return [chat(channel, text, urn=urn) for text in answers]


def test_daftar_asks_name_nik_desa_confirms_and_replies_with_the_code(channel, demo_office):
    start, nik_q, desa_q, confirm, done = register(channel, "DAFTAR KTP", "Budi Santoso", NIK, "1", "YA")
    assert "Pendaftaran" in start and "nama lengkap" in start and "BATAL" in start
    assert "Budi Santoso" in nik_q and "NIK" in nik_q
    assert "1.Air Alun" in desa_q and "Balayan" in desa_q  # the office's desa, numbered
    assert "Budi Santoso" in confirm and "1609********0001" in confirm and "Air Alun" in confirm
    assert "YA" in confirm
    application = Application.objects.get()
    assert application.applicant_name == "Budi Santoso" and application.nik == NIK
    assert application.village.name == "Air Alun" and application.service.code == "ktp-el"
    assert application.channel == Channel.SMS and application.urn.identity == CITIZEN
    assert application.phone == "+6281234567890"
    # One message with the code and the deadline (the receipt), not two saying the same.
    assert done.count(application.tracking_code) == 2  # "Kode lacak: X … Cek: STATUS X"
    assert "Perkiraan selesai" in done and len(done.splitlines()) == 1
    assert not ConversationState.objects.filter(urn__identity=CITIZEN).exists()


def test_daftar_takes_the_desa_by_name_with_a_typo(channel):
    replies = register(channel, "daftar ktp", "Siti Aminah", NIK, "balayn")
    assert "Balayan" in replies[-1] and "YA" in replies[-1]


def test_an_ambiguous_desa_name_offers_numbered_choices(channel):
    *_, choices = register(channel, "DAFTAR KTP", "Siti Aminah", NIK, "simpang")
    assert "Simpang Empat" in choices and "Simpang Tiga" in choices
    number = "1" if choices.index("Simpang Empat") < choices.index("Simpang Tiga") else "2"
    assert "Simpang Empat" in chat(channel, number)
    chat(channel, "ya")
    assert Application.objects.get().village.name == "Simpang Empat"


def test_an_invalid_nik_is_explained_and_asked_again(channel):
    register(channel, "DAFTAR KTP", "Siti Aminah")
    short = chat(channel, "12345")
    assert "16 angka" in short and "Balas NIK lagi" in short
    wrong_region = chat(channel, "9999101205900001")
    assert "kode kecamatan" in wrong_region
    assert "Desa/kelurahan" in chat(channel, NIK)


def test_a_name_with_digits_is_asked_again(channel):
    register(channel, "DAFTAR KTP")
    assert "Nama belum jelas" in chat(channel, "B4di 123")


@pytest.mark.parametrize("step", range(5))
def test_batal_leaves_at_any_step(channel, step):
    register(channel, *["DAFTAR KTP", "Siti Aminah", NIK, "1"][:step] or ["DAFTAR KTP"])
    reply = chat(channel, "BATAL")
    assert "dibatalkan" in reply
    assert not ConversationState.objects.filter(urn__identity=CITIZEN).exists()
    assert "Budi" not in chat(channel, "ya") and not Application.objects.exists()


def test_tidak_at_the_confirmation_cancels(channel):
    register(channel, "DAFTAR KTP", "Siti Aminah", NIK, "1")
    assert "dibatalkan" in chat(channel, "tidak")
    assert not Application.objects.exists()


def test_another_command_during_the_flow_is_answered_and_ends_it(channel):
    register(channel, "DAFTAR KTP")
    reply = chat(channel, "JAM")
    assert "Jam layanan" in reply
    assert not ConversationState.objects.filter(urn__identity=CITIZEN).exists()


def test_an_unclear_service_offers_choices(channel):
    choices = chat(channel, "DAFTAR surat")
    assert "Layanan yang mana?" in choices and "1." in choices
    assert "nama lengkap" in chat(channel, "1")


def test_an_unknown_service_points_to_the_list(channel):
    assert "LAYANAN" in chat(channel, "DAFTAR zzzqqq")


def test_daftar_alone_still_subscribes_to_announcements(channel):
    assert "kembali menerima pengumuman" in chat(channel, "DAFTAR")


def test_daftar_on_whatsapp_records_the_channel_and_no_phone(channel):
    register(channel, "DAFTAR KTP", "Siti Aminah", NIK, "1", "ya", urn=WHATSAPP)
    application = Application.objects.get()
    assert application.channel == Channel.WHATSAPP and application.phone == ""


def test_submissions_are_rate_limited_per_sender(channel, settings):
    settings.LAYAN_RATE_LIMITS = {**settings.LAYAN_RATE_LIMITS, "apply": "1/h"}
    register(channel, "DAFTAR KTP", "Siti Aminah", NIK, "1", "YA")
    *_, refused = register(channel, "DAFTAR KTP", "Siti Aminah", NIK, "1", "YA")
    assert "Terlalu banyak permintaan" in refused
    assert Application.objects.count() == 1


def test_every_reply_of_the_flow_fits_the_sms_budget(channel, settings):
    settings.LAYAN_SMS_MAX_PARTS = 1
    replies = register(channel, "DAFTAR KTP", "Siti Aminah", NIK)
    # One part only: the desa list no longer fits, so the desa is asked by name.
    assert all(sms_parts(r) == 1 for r in replies)
    assert "nama desa" in replies[-1]
    assert "Balayan" in chat(channel, "Balayan")
