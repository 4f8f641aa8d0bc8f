"""Applications on every chat and SMS channel: `STATUS <kode>` and the `DAFTAR <layanan>` flow.

    STATUS K7M-2QX-9PC     service, status and deadline (never personal data); rate-limited per
                           sender; the code may be typed loosely (case, spaces, dashes, O/0, I/L/1)
    DAFTAR KTP             asks, one message at a time, for the name, the NIK (checked), the desa
                           (a number from the list or its name), then asks to confirm; YA submits
                           through `services.submit_application` (in `ctx.act`) and the citizen
                           gets the code and the deadline; BATAL leaves at any step

DAFTAR alone (or DAFTAR INFO) still means what it meant before: receive announcements again
(messaging's MULAI). Registered from ApplicationsConfig.ready().
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from layan.catalogue.models import Service
from layan.catalogue.search import clear_match, search_services
from layan.messaging.engine import builtin, memo
from layan.messaging.engine import text as textlib
from layan.messaging.engine.commands import command, flow, is_command_word, load_commands
from layan.messaging.engine.context import Context
from layan.messaging.engine.regency import resolve_office
from layan.messaging.gsm import sms_parts, to_gsm7
from layan.messaging.models import Message
from layan.offices import ratelimit
from layan.regions.models import Village

from . import tracking
from .models import Channel
from .nik import validate_nik
from .notifications import gsm_text, notification_text, shorten
from .public import public_status, status_sms
from .queries import find_by_tracking
from .services import ApplicationError, submit_application

FLOW = "daftar"
# Words after DAFTAR that keep its old meaning (subscribe to announcements again).
OPT_IN_WORDS = frozenset({"info", "pengumuman", "ulang", "lagi", "berita"})
CANCEL_WORDS = frozenset({"batal", "batalkan", "cancel", "keluar"})
YES_WORDS = frozenset({"ya", "y", "yes", "iya", "ok", "oke", "benar", "setuju", "kirim"})
NO_WORDS = frozenset({"tidak", "tdk", "gak", "nggak", "no", "bukan", "salah"})
# Words a citizen puts before the code ("STATUS kode K7M…", "STATUS no. …").
CODE_FILLERS = frozenset({"kode", "kd", "no", "nomor", "nomer", "lacak", "permohonan", "saya"})
MAX_VILLAGE_CHOICES = 3
VILLAGE_MATCH = 80
NAME = re.compile(r"[^\W\d_][^\W\d_ .,'\-]*(?:[ .,'\-]+[^\W\d_]+)*[.]?")
CHANNEL_OF_SCHEME = {
    "tel": Channel.SMS,
    "whatsapp": Channel.WHATSAPP,
    "telegram": Channel.TELEGRAM,
    "facebook": Channel.FACEBOOK,
}

# The built-ins first: DAFTAR below replaces their DAFTAR (kept for its old meaning, see above).
load_commands()


# -- STATUS ----------------------------------------------------------------------------------
def code_text(raw: str) -> str:
    """The code part of a STATUS message, from the raw text: the engine's normaliser would fold
    repeated letters ("KKM" -> "km") and spoil a code."""
    rest = re.sub(r"^\W*[^\W\d_]+[\W_]*", "", raw.strip(), count=1)  # the command word
    tokens = [t for t in re.split(r"[\s#:,;/]+", rest) if t]
    while tokens and tokens[0].lower().rstrip(".") in CODE_FILLERS:
        tokens.pop(0)
    return " ".join(tokens)


def parse_code(text: str) -> int:
    """The tracking number in `text`; a code followed by other words is found too. Raises
    TrackingCodeError (Indonesian) when nothing in it is a valid code."""
    try:
        return tracking.parse(text)
    except tracking.TrackingCodeError as error:
        tokens = text.split()
        for end in range(len(tokens) - 1, 0, -1):
            number = tracking.try_parse(" ".join(tokens[:end]))
            if number is not None:
                return number
        raise error


@command("STATUS", "LACAK", "CEKSTATUS", needs_office=False)
def status(ctx: Context, args: str):
    text = code_text(ctx.text)
    if not text:
        return _("Ketik STATUS dan kode lacak dari tanda terima, contoh: STATUS K7M-2QX-9PC")
    usage = ratelimit.hit(ratelimit.TRACKING, f"urn:{ctx.urn.pk}")
    if usage.limited:
        return ratelimit.limited_message(usage)
    try:
        number = parse_code(text)
    except tracking.TrackingCodeError as exc:
        return str(exc)
    application = find_by_tracking(tracking.encode(number))
    if application is None:
        return _("Kode {code} tidak ditemukan. Periksa lagi kode pada tanda terima atau SMS kami.").format(
            code=tracking.encode(number)
        )
    return status_sms(public_status(application))


# -- DAFTAR ----------------------------------------------------------------------------------
@command("DAFTAR", fuzzy=False, needs_office=False)
def daftar(ctx: Context, args: str):
    words = args.split()
    if not words or words[0] in OPT_IN_WORDS or words[0] == "layanan":
        return builtin.mulai(ctx, args)
    if ctx.office is None:
        _rest, early = resolve_office(ctx, textlib.words(ctx.text))
        if ctx.office is None:
            return early
    hits = search_services(ctx.the_office, " ".join(words), limit=5)
    versions = memo.published_versions(ctx.the_office)
    code = next((c for c in versions if c == args.replace(" ", "-")), None)
    hit = clear_match(hits)
    if code is None and hit is not None:
        code = hit.code
    if code is not None:
        return _ask_name(ctx, code)
    if not hits:
        return _("Layanan '{what}' tidak ditemukan. Ketik LAYANAN untuk daftar kode, lalu DAFTAR <kode>.").format(
            what=to_gsm7(" ".join(words))[:40]
        )
    choices = [h.code for h in hits[:MAX_VILLAGE_CHOICES]]
    ctx.remember({"kind": FLOW, "step": "service", "codes": choices})
    lines = [_("Layanan yang mana?")]
    lines += [f"{i}. {_service_name(ctx, c, 60)}" for i, c in enumerate(choices, 1)]
    lines.append(_("Balas nomornya, atau BATAL."))
    return "\n".join(lines)


def _service_name(ctx: Context, code: str, limit: int = 50) -> str:
    version = memo.published_versions(ctx.the_office).get(code)
    return shorten(gsm_text(version.name), limit) if version is not None else code


def _ask_name(ctx: Context, code: str) -> str:
    ctx.remember({"kind": FLOW, "step": "name", "service": code})
    return _("Pendaftaran {service}. Balas dengan nama lengkap Anda sesuai KTP. Ketik BATAL untuk berhenti.").format(
        service=_service_name(ctx, code)
    )


def _villages(ctx: Context) -> list[Village]:
    return list(Village.objects.filter(district_id=ctx.the_office.district_id).order_by("name"))


def _ask_village(ctx: Context, data: dict, *, lead: str = "") -> str:
    """The desa question: every desa numbered when the list fits the SMS budget, else by name."""
    villages = _villages(ctx)
    listed = " ".join(f"{i}.{to_gsm7(v.name)}" for i, v in enumerate(villages, 1))
    question = f"{lead}{_('Desa/kelurahan Anda? Balas nomornya:')} {listed}"
    if villages and sms_parts(question) <= ctx.max_parts:
        data["villages"] = [v.pk for v in villages]
    else:
        question = f"{lead}{_('Balas nama desa/kelurahan tempat tinggal Anda.')}"
        data.pop("villages", None)
    ctx.remember({**data, "step": "village"})
    return question


def _confirm_text(ctx: Context, data: dict) -> str:
    village = Village.objects.filter(pk=data["village"]).first()
    nik = data["nik"]
    return _("Periksa: {service}; {name}; NIK {nik}; {village}. Balas YA untuk mengajukan, BATAL untuk batal.").format(
        service=_service_name(ctx, data["service"], 40),
        name=shorten(gsm_text(data["name"]), 60),
        nik=f"{nik[:4]}********{nik[-4:]}",
        village=to_gsm7(village.name) if village else "-",
    )


@flow(FLOW)
def daftar_step(ctx: Context, words: list[str]):
    """One answer of the DAFTAR flow; None lets another command through (and ends the flow)."""
    data = dict(ctx.state())
    first = words[0]
    if first in CANCEL_WORDS:
        ctx.forget()
        return _("Pendaftaran dibatalkan. Ketik MENU untuk bantuan.")
    if is_command_word(first) and first not in YES_WORDS | NO_WORDS:
        ctx.forget()  # the citizen moved on: the command is answered as usual
        return None
    step = data.get("step")
    if step == "service":
        return _on_service(ctx, data, words)
    if step == "name":
        return _on_name(ctx, data)
    if step == "nik":
        return _on_nik(ctx, data)
    if step == "village":
        return _on_village(ctx, data, words)
    if step == "confirm":
        return _on_confirm(ctx, data, words)
    ctx.forget()
    return None


def _on_service(ctx: Context, data: dict, words: list[str]):
    codes = data.get("codes", [])
    if len(words) == 1 and words[0].isdigit() and 1 <= int(words[0]) <= len(codes):
        return _ask_name(ctx, codes[int(words[0]) - 1])
    return _("Balas nomor layanan (1-{n}), atau BATAL.").format(n=len(codes))


def _on_name(ctx: Context, data: dict):
    name = " ".join(ctx.text.split())
    if not (2 <= len(name) <= 120) or not NAME.fullmatch(name):
        return _("Nama belum jelas. Balas nama lengkap sesuai KTP (huruf saja), atau BATAL.")
    ctx.remember({**data, "step": "nik", "name": name})
    return _("Terima kasih, {name}. Balas NIK Anda (16 angka di KTP).").format(name=shorten(gsm_text(name), 60))


def _on_nik(ctx: Context, data: dict):
    try:
        nik = validate_nik(ctx.text)
    except ValidationError as exc:
        return " ".join(exc.messages) + " " + _("Balas NIK lagi, atau BATAL.")
    return _ask_village(ctx, {**data, "nik": nik})


def _on_village(ctx: Context, data: dict, words: list[str]):
    listed = data.get("villages") or []
    if len(words) == 1 and words[0].isdigit():
        number = int(words[0])
        if 1 <= number <= len(listed):
            return _chosen_village(ctx, data, listed[number - 1])
        return _("Nomor itu tidak ada di daftar. Balas nomor desa (1-{n}), atau BATAL.").format(n=len(listed) or 1)
    villages = _villages(ctx)
    names = {v.pk: v.name.casefold() for v in villages}
    typed = " ".join(ctx.text.split()).casefold().removeprefix("desa ").removeprefix("kelurahan ")
    found = process.extract(typed, names, scorer=fuzz.WRatio, limit=MAX_VILLAGE_CHOICES, score_cutoff=VILLAGE_MATCH)
    if found and (len(found) == 1 or found[0][1] - found[1][1] >= 5 or found[0][0] == typed):
        return _chosen_village(ctx, data, found[0][2])
    if found:
        ids = [pk for _name, _score, pk in found]
        by_pk = {v.pk: v for v in villages}
        options = " ".join(f"{i}.{to_gsm7(by_pk[pk].name)}" for i, pk in enumerate(ids, 1))
        ctx.remember({**data, "villages": ids})
        return _("Desa yang mana? {options}. Balas nomornya.").format(options=options)
    return _ask_village(ctx, data, lead=_("Desa itu tidak ada di kecamatan ini.") + " ")


def _chosen_village(ctx: Context, data: dict, village_id: str) -> str:
    data = {**data, "step": "confirm", "village": village_id}
    data.pop("villages", None)
    ctx.remember(data)
    return _confirm_text(ctx, data)


def _on_confirm(ctx: Context, data: dict, words: list[str]):
    if words[0] in NO_WORDS:
        ctx.forget()
        return _("Pendaftaran dibatalkan. Untuk mengulang, ketik DAFTAR {service}.").format(service=data["service"])
    if words[0] not in YES_WORDS:
        return _("Balas YA untuk mengajukan, atau BATAL.")
    ctx.forget()
    usage = ratelimit.hit(ratelimit.APPLY, f"urn:{ctx.urn.pk}")
    if usage.limited:
        return ratelimit.limited_message(usage)
    ctx.act(lambda: submit_from_chat(ctx, data))
    return []  # answered by the action (not None: that would pass the message on)


def submit_from_chat(ctx: Context, data: dict):
    """The confirmed application, written inside the inbound transaction (`ctx.act`).

    The receipt notification that `submit_application` writes to this sender (code and
    deadline) is the answer: a second reply would say the same twice and cost a second SMS.
    Only when no channel could take that notification is the receipt the reply itself.
    """
    office = ctx.the_office
    service = Service.objects.filter(office=office, code=data["service"]).select_related("current_version").first()
    village = Village.objects.filter(pk=data["village"], district_id=office.district_id).first()
    if service is None:
        return _("Layanan ini tidak tersedia lagi untuk diajukan. Ketik LAYANAN untuk daftar layanan.")
    phone = ctx.urn.path if ctx.urn.scheme == "tel" else ""
    try:
        application = submit_application(
            office,
            service=service,
            applicant_name=data["name"],
            nik=data["nik"],
            village=village,
            phone=phone,
            urn=ctx.urn,
            channel=CHANNEL_OF_SCHEME.get(ctx.urn.scheme, Channel.SMS),
        )
    except ApplicationError as exc:
        return _("Maaf, belum bisa diajukan: {reason} Ketik DAFTAR {service} untuk mengulang.").format(
            reason=" ".join(exc.messages), service=data["service"]
        )
    notified = Message.objects.filter(
        urn=ctx.urn, direction=Message.Direction.OUT, text__contains=application.tracking_code
    ).exists()
    return None if notified else notification_text(application)
