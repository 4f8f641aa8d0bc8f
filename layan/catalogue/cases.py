"""Cases of a request ("hilang", "rusak", "baru", "pindah" …): which requirements apply to whom.

A requirement's `condition` is free text written by the office ("jika rusak/ganti data", "jika
hilang", "untuk perubahan", "bila mutasi"), and some documents name their case in brackets
("Buku nikah (KK baru)"). `CASE_WORDS` maps the words of those texts and of a citizen's question
(on the stems of `search_text`, so "ilang", "kehilangan" and "hilang" meet) to a few cases. A
question naming a case ("ktp sy ilang") then gets that case's items first and not the items of
other cases: someone who lost their KTP is not told to bring it.

Conditions that name no case ("bila ada", "bila tidak ada surat lahir") stay on every answer, with
the condition shown.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import search_text
from .models import Requirement

# Case -> stems (search_text.analyse) that name it, in a condition or in a question.
CASE_WORDS: dict[str, frozenset[str]] = {
    "hilang": frozenset({"hilang"}),
    "rusak": frozenset({"rusak", "patah", "sobek", "robek", "luntur", "hancur"}),
    "ubah": frozenset({"ubah", "ganti", "tambah", "koreksi"}),
    "baru": frozenset({"baru", "pertama", "17"}),
    "pindah": frozenset({"pindah", "pindahan", "mutasi", "datang"}),
}
CASE_LABELS = {
    "hilang": gettext_lazy("hilang"),
    "rusak": gettext_lazy("rusak"),
    "ubah": gettext_lazy("perubahan data"),
    "baru": gettext_lazy("baru/pertama kali"),
    "pindah": gettext_lazy("pindah"),
}
_BRACKETED = re.compile(r"\(([^)]*)\)")


def cases_in(text: str) -> frozenset[str]:
    """The cases a text names: "ktp sy ilang" -> {"hilang"}, "bikin ktp baru umur 17" -> {"baru"}."""
    terms = set(search_text.analyse(text))
    terms.update(w for w in search_text.normalise(text).split() if w.isdigit())
    return frozenset(case for case, words in CASE_WORDS.items() if terms & words)


def requirement_cases(requirement: Requirement) -> frozenset[str]:
    """The cases a requirement is for, from its condition and a bracketed part of its document."""
    return cases_in(" ".join([requirement.condition, *_BRACKETED.findall(requirement.document)]))


def case_label(cases: Iterable[str]) -> str:
    return "/".join(str(CASE_LABELS[c]) for c in CASE_WORDS if c in cases)


@dataclass(frozen=True, slots=True)
class RequirementText:
    """One requirement in a few words, in parts so that only the document is ever shortened."""

    before: str  # "fotokopi "
    document: str  # "Kartu Keluarga"
    after: str  # " asli", " 2 lembar", " (jika hilang)"

    def text(self, document: str | None = None) -> str:
        return f"{self.before}{self.document if document is None else document}{self.after}"


def requirement_text(requirement: Requirement) -> RequirementText:
    """'fotokopi Kartu Keluarga', 'KTP-el lama (jika rusak/ganti data)', 'KK asli (untuk perubahan)'."""
    document = " ".join(requirement.document.split())
    lowered = document.casefold()
    before = after = ""
    form = requirement.form
    if form == Requirement.Form.COPY and "fotokopi" not in lowered:
        before = _("fotokopi") + " "
    elif form == Requirement.Form.ORIGINAL and "asli" not in lowered:
        after = " " + _("asli")
    elif form == Requirement.Form.ORIGINAL_AND_COPY:
        before = _("asli+fotokopi") + " "
    if requirement.count > 1:
        after += " " + _("%(count)d lembar") % {"count": requirement.count}
    condition = " ".join(requirement.condition.split())
    if condition:
        after += f" ({condition})"
    return RequirementText(before, document, after)


def for_cases(
    requirements: Sequence[Requirement], cases: frozenset[str]
) -> tuple[list[Requirement], int, frozenset[str]]:
    """The requirements to tell a citizen whose question names `cases`: those of the named cases
    first, then those for everybody; the number left out (those of other cases only); the cases
    that shaped the answer (empty when none did).

    A service whose requirements name no case, or a question naming none, lists every requirement;
    so does a question whose case no requirement is for ("kk hilang" where the office lists nothing
    for a loss: better everything than too little), except a first request ("baru"), which by its
    nature needs none of the items for losing, damaging or changing a document.
    """
    by_requirement = [(r, requirement_cases(r)) for r in requirements]
    named = frozenset().union(*(c for _, c in by_requirement))
    if not cases or not named or not (cases & named or "baru" in cases):
        return list(requirements), 0, frozenset()
    first = [r for r, c in by_requirement if c & cases]
    general = [r for r, c in by_requirement if not c]
    return first + general, len(requirements) - len(first) - len(general), cases
