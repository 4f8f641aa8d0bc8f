"""Built-in keywords: SYARAT/INFO, LAYANAN, JAM, ALAMAT, MENU, STOP, MULAI."""

from itertools import groupby

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from layan.catalogue.models import Category, Service
from layan.messaging.gsm import PART_GSM, SINGLE_GSM, sms_parts
from layan.offices.hours import hour_runs

from . import memo
from .catalogue import answer_query
from .commands import command
from .context import Context

PAGE_BUDGET = 2 * PART_GSM


@command("SYARAT", "INFO", "PERSYARATAN")
def syarat(ctx: Context, args: str):
    return answer_query(ctx, args)


@command("MENU", "BANTUAN", "HELP", "TOLONG")
def menu(ctx: Context, args: str):
    return menu_text(ctx)


def menu_text(ctx: Context) -> str:
    """The help reply: every format in one 160-character SMS."""
    body = _("SYARAT/DAFTAR <layanan>, STATUS <kode>, LAYANAN, JAM, ALAMAT. STOP=berhenti info. Contoh: SYARAT KTP")
    for prefix in (f"{ctx.office.name}: " if ctx.office else "", "Layan: ", ""):
        if len(prefix + body) <= SINGLE_GSM:
            return prefix + body
    return body


@command("LAYANAN", "DAFTAR-LAYANAN")
def layanan(ctx: Context, args: str):
    pages = memo.remember(ctx.the_office, ("layanan", get_language()), lambda: _service_pages(ctx))
    if not pages:
        return _("Belum ada layanan yang terbit.")
    arg = args.split()[0] if args.split() else "1"
    page = int(arg) if arg.isdigit() and 1 <= int(arg) <= len(pages) else 1
    text = _("Layanan ({page}/{total}): ").format(page=page, total=len(pages)) + pages[page - 1]
    if page < len(pages):
        text += " " + _("Berikutnya: LAYANAN {next}.").format(next=page + 1)
    return text + " " + _("Ketik SYARAT <kode>.")


def _service_pages(ctx: Context) -> list[str]:
    """Codes grouped by category, packed greedily into pages of at most two SMS parts."""
    services = (
        Service.objects.published()
        .filter(office=ctx.office)
        .select_related("current_version")
        .order_by("current_version__category", "order", "code")
    )
    labels = dict(Category.choices)
    items: list[str] = []
    for category, group in groupby(services, key=lambda s: s.current_version.category):  # type: ignore[union-attr]
        codes = [s.code for s in group]
        items.append(f"[{labels.get(category, category)}]")
        items.extend(codes)
    pages: list[str] = []
    current = ""
    budget = PAGE_BUDGET - 70  # header and footer
    for item in items:
        candidate = f"{current} {item}".strip() if current else item
        if len(candidate) > budget and current:
            pages.append(current)
            candidate = item
        current = candidate
    if current:
        pages.append(current)
    return pages


@command("JAM", "BUKA", "JADWAL")
def jam(ctx: Context, args: str):
    # The shared office copy has hours and holidays prefetched: no query, and the text is built
    # once per revision, language and open/closed state.
    office = memo.cached_office(ctx.the_office)
    now_open = office.is_open_at(ctx.now)
    today = office.local_now(ctx.now).date()
    holiday = next((h.name for h in office.holidays.all() if h.date == today), "")
    return memo.remember(
        office, ("jam", get_language(), now_open, holiday), lambda: _hours_text(office, now_open, holiday)
    )


def _hours_text(office, now_open: bool, holiday: str = "") -> str:
    runs = hour_runs(office.opening_hours.all())
    if not runs:
        return _("Jam layanan belum diisi. Silakan hubungi kantor.")
    spans = [run.days("-") + " " + "/".join(f"{o:%H.%M}-{c:%H.%M}" for o, c in run.spans) for run in runs]
    status = _("Sekarang BUKA.") if now_open else _("Sekarang TUTUP.")
    if holiday:
        status = _("Hari ini libur ({holiday}): TUTUP.").format(holiday=holiday[:60])
    return _("Jam layanan {office}: {spans} {tz}. {status}").format(
        office=office.name, spans=", ".join(spans), tz=office.tz_abbreviation, status=status
    )


@command("ALAMAT", "LOKASI", "KANTOR")
def alamat(ctx: Context, args: str):
    return memo.remember(ctx.the_office, ("alamat", get_language()), lambda: _address_text(ctx.the_office))


def _address_text(office) -> str:
    parts = [f"{office.name}: {office.address or _('alamat belum diisi')}."]
    if office.phone:
        parts.append(_("Telp {phone}.").format(phone=office.phone))
    parts.append(_("Jam buka: ketik JAM."))
    return " ".join(parts)


@command("STOP", "BERHENTI", "UNREG", fuzzy=False, needs_office=False)
def stop(ctx: Context, args: str):
    ctx.opt_out = True
    return _(
        "Anda tidak akan menerima pengumuman lagi. Jawaban atas pertanyaan Anda tetap dikirim. "
        "Ketik MULAI untuk berlangganan kembali."
    )


@command("MULAI", "START", "DAFTAR", "REG", fuzzy=False, needs_office=False)
def mulai(ctx: Context, args: str):
    if args.split()[:1] == ["layanan"] and ctx.office is not None:
        return layanan(ctx, " ".join(args.split()[1:]))
    ctx.opt_out = False
    return _("Anda kembali menerima pengumuman. Ketik MENU untuk bantuan, STOP untuk berhenti.")


assert (
    sms_parts(_("SYARAT/DAFTAR <layanan>, STATUS <kode>, LAYANAN, JAM, ALAMAT. STOP=berhenti info. Contoh: SYARAT KTP"))
    == 1
)
