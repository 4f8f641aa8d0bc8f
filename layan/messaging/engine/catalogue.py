"""Answers from the catalogue: requirements, time and fee of a service, or numbered choices."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from layan.catalogue import cases as caselib
from layan.catalogue import links
from layan.catalogue.models import ServiceVersion
from layan.catalogue.search import CLEAR_MIN_SCORE, SearchHit, clear_match, search_services
from layan.messaging.gsm import sms_parts, to_gsm7

from . import memo
from . import text as textlib
from .context import Context, EngineReply

MAX_CHOICES = 3
MAX_QUERY_CHARS = 200


def answer_query(ctx: Context, query: str, *, free_text: bool = False):
    """SYARAT <query> or free text: a clear match answers, an unclear one offers choices, none
    goes to the staff inbox."""
    terms = textlib.search_terms(query)[:MAX_QUERY_CHARS]
    if not terms:
        if free_text:
            return _to_staff(ctx)
        return _("Ketik SYARAT dan nama layanan, contoh: SYARAT KTP atau SYARAT akta kelahiran. Daftar: ketik LAYANAN.")
    hits = search_services(ctx.the_office, terms, limit=5)
    if not hits:
        return _to_staff(ctx)
    hit = clear_match(hits)
    if hit is not None:
        ctx.forget()
        return service_reply(ctx, hit, cases=caselib.cases_in(query))
    if hits[0].score < CLEAR_MIN_SCORE:
        # Not even the best hit is a likely answer ("protes jalan rusak" shares one word with the
        # KTP service): the citizen may still pick one, and an officer sees the message too.
        ctx.needs_staff = True
    return _offer_choices(ctx, hits[:MAX_CHOICES], cases=caselib.cases_in(query))


def answer_choice(ctx: Context, number: int, pending: dict):
    codes = pending.get("codes", [])
    if not 1 <= number <= len(codes):
        numbers = ", ".join(str(i) for i in range(1, len(codes) + 1))
        return _("Pilihan tidak ada. Balas salah satu: {numbers}.").format(numbers=numbers)
    code = codes[number - 1]
    ctx.forget()
    return published_service_reply(ctx, code, cases=frozenset(pending.get("cases", ())))


def service_reply(ctx: Context, hit: SearchHit, *, cases: frozenset[str] = frozenset()):
    # The hit comes from the index of the same catalogue revision, so the service's published
    # version is the hit's version.
    return published_service_reply(ctx, hit.code, cases=cases)


def published_service_reply(ctx: Context, code: str, *, cases: frozenset[str] = frozenset()):
    """The answer for the published version of `code` (for the `cases` the question named),
    remembered per catalogue revision (no query once known); the staff inbox when the service
    is not published or hidden."""
    key = ("service", code, get_language(), ctx.max_parts, tuple(sorted(cases)))
    reply = memo.remember(ctx.the_office, key, lambda: _compose_published(ctx, code, cases))
    if reply is None:
        return _to_staff(ctx)
    return reply


def _compose_published(ctx: Context, code: str, cases: frozenset[str]) -> str | None:
    version = memo.published_versions(ctx.the_office).get(code)
    if version is None:
        return None
    return compose_service_reply(ctx, version, code, cases=cases)


def compose_service_reply(
    ctx: Context, version: ServiceVersion, code: str, *, cases: frozenset[str] = frozenset()
) -> str:
    """Requirements (numbered, each with its form and condition, condensed until the reply fits
    the SMS budget), time, fee and the link to the full SOP page, which is never cut.

    When the question named `cases` ("hilang", "baru" …), the requirements of those cases come
    first and those of other cases are only counted ("+1 syarat lain").
    """
    chosen, left_out, matched = caselib.for_cases(list(version.requirements.all()), cases)
    items = [caselib.requirement_text(r) for r in chosen]
    items = [caselib.RequirementText(to_gsm7(i.before), to_gsm7(i.document), to_gsm7(i.after)) for i in items]
    heading = _("Syarat")
    if matched:
        heading += f" ({to_gsm7(caselib.case_label(matched))})"
    name = _shorten(to_gsm7(version.name), 70)
    tail = "{time}: {t}. {fee}: {f}.\n{more}: {url}".format(
        time=_("Waktu"),
        t=version.time_display(),
        fee=_("Biaya"),
        f=_fee(version),
        more=_("Lengkap"),
        url=links.service_page_url(ctx.the_office.slug, code),
    )
    for limit in (None, 60, 40, 25):
        shown = [i.text(_shorten(i.document, limit)) for i in items]
        for keep in range(len(shown), -1, -1):
            listed = " ".join(f"{i}.{d}" for i, d in enumerate(shown[:keep], 1))
            rest = len(shown) - keep + left_out
            if rest:
                listed += " " + _("(+{n} syarat lain, lihat tautan)").format(n=rest)
            reply = f"{name}\n{heading}: {listed}\n{tail}"
            if sms_parts(reply) <= ctx.max_parts:
                return reply
    return f"{name}\n{tail}"


def _fee(version: ServiceVersion) -> str:
    if version.fee_idr is None:
        return _("sesuai perda")
    if version.fee_idr == 0:
        return _("gratis")
    return "Rp" + f"{version.fee_idr:,}".replace(",", ".")


def _shorten(text: str, limit: int | None) -> str:
    if limit is None or len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 2)
    return text[: cut if cut > 0 else limit - 3].rstrip(" ,;:-(") + "..."


def _offer_choices(ctx: Context, hits: list[SearchHit], *, cases: frozenset[str]) -> EngineReply:
    pending: dict = {"kind": "choices", "codes": [h.code for h in hits]}
    if cases:
        pending["cases"] = sorted(cases)
    ctx.remember(pending)
    lines = [_("Maksud Anda:")]
    lines += [f"{i}. {_shorten(to_gsm7(h.name), 60)}" for i, h in enumerate(hits, 1)]
    numbers = [str(i) for i in range(1, len(hits) + 1)]
    if len(numbers) == 1:
        lines.append(_("Balas 1"))
    else:
        lines.append(_("Balas {first} atau {last}").format(first=", ".join(numbers[:-1]), last=numbers[-1]))
    if ctx.needs_staff:
        lines.append(_("Bukan itu? Petugas kami akan membalas."))
    return EngineReply("\n".join(lines), choices=[h.name for h in hits])


def _to_staff(ctx: Context) -> str:
    ctx.needs_staff = True
    return _(
        "Terima kasih, pesan Anda kami terima. Petugas akan membalas secepatnya. "
        "Ketik MENU untuk bantuan atau LAYANAN untuk daftar layanan."
    )
