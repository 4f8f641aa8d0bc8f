"""Kabupaten-wide channels: which kecamatan office is the citizen talking to?

The citizen names it as the first word(s) ("KISAM SYARAT KTP"), or is asked once; the answer is
remembered on the contact (written by the inbound service, like every engine decision).
"""

from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from layan.offices.models import Office

from .builtin import menu_text
from .commands import is_command_word
from .context import Context

MATCH_CUTOFF = 85
MAX_NAME_WORDS = 3


def resolve_office(ctx: Context, words: list[str]):
    """Set ctx.office; return (remaining words, early reply or None)."""
    offices = list(
        Office.objects.filter(district__regency_id=ctx.channel.regency_id, is_active=True).select_related("district")
    )
    if not offices:
        return words, None
    pending = ctx.state()
    if not is_command_word(words[0]) and pending.get("kind") != "ask_office":
        office, used = match_office(words, offices)
        if office is not None:
            _remember(ctx, office)
            return words[used:], None
    if pending.get("kind") == "ask_office":
        office, used = match_office(words, offices, whole=True)
        if office is None:
            office, used = match_office(words, offices)
        if office is not None:
            _remember(ctx, office)
            ctx.forget()
            # "kisam syarat kk" as the answer carries its own question.
            question = words[used:] or pending.get("question") or []
            if not question:
                return [], _("Terima kasih. {office} tercatat.").format(office=office.name) + " " + menu_text(ctx)
            return question, None
        return words, ask_office(ctx, offices, pending.get("question") or words)
    remembered = next((o for o in offices if o.pk == ctx.contact.office_id), None)
    if remembered is not None:
        ctx.office = remembered
        return words, None
    return words, ask_office(ctx, offices, words)


def ask_office(ctx: Context, offices: list[Office], question: list[str]) -> str:
    ctx.remember({"kind": "ask_office", "question": question[:40]})
    names = ", ".join(o.district.name for o in offices)
    return _("Balas nama kecamatan Anda: {names}").format(names=names)


def match_office(words: list[str], offices: list[Office], *, whole: bool = False) -> tuple[Office | None, int]:
    """The office named by the first words (district name, fuzzy, or a slug prefix), and how many
    words it took. Ambiguous names match nothing."""
    max_words = len(words) if whole else MAX_NAME_WORDS
    scored: list = []
    for n in range(1, min(len(words), max_words) + 1):
        phrase = " ".join(words[:n])
        scored.extend((_score(phrase, office), n, office) for office in offices)
    if not scored:
        return None, 0
    top = max(s for s, _n, _o in scored)
    winners = {o.pk for s, _n, o in scored if s == top}
    if top < MATCH_CUTOFF or len(winners) != 1:
        return None, 0
    _s, n, office = max((t for t in scored if t[0] == top), key=lambda t: t[1])
    return office, n


def _score(phrase: str, office: Office) -> float:
    name = office.district.name.casefold().removeprefix("kecamatan ").strip()
    slug = office.slug.replace("-", " ")
    score = max(fuzz.ratio(phrase, name), fuzz.ratio(phrase, slug))
    if len(phrase) >= 4 and (name.startswith(phrase) or slug.startswith(phrase)):
        # "kisam" for "kisam tinggi": a prefix of the name counts as a strong match.
        score = max(score, 90.0 + len(phrase) / 100)
    return score


def _remember(ctx: Context, office: Office) -> None:
    ctx.office = office
    if ctx.contact.office_id != office.pk:
        ctx.contact_office = office
