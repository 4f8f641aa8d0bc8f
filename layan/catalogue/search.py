"""Catalogue search: one function used by the pages, the API and every messaging channel.

A citizen writes "gmn bikin akte anak?" and gets "Surat Keterangan/Pengantar Kelahiran".
The text side (slang, stemming, stop words, synonyms) lives in `search_text.py`; this module
keeps an index per office and ranks.

Ranking
    Every published service version becomes a bag of terms. A term's weight in a service is
    that of the strongest field it occurs in (`FIELD_WEIGHTS`: keywords, name and code count
    fully, the output less, requirement documents little), and its IDF across the office's
    services makes rare words ("sporadik") count more than common ones ("surat").
    Each query term is a slot: the term itself or one of its weaker `RELATED` neighbours.
    The base score is the matched share of the query's IDF mass, words the catalogue has never
    seen lowering it a little (`UNKNOWN_WORD_MASS`). A keyword of the service contained whole in
    the query ("pindah datang", "surat miskin") adds a phrase share, so exact phrases win.
    Query words unknown to the index are corrected to the nearest index word when they are one
    edit away (two for long words), e.g. "ktpp", "kelahran", "domisil", "sktn".
    Scores are in 0..1; hits below `RELATIVE_CUTOFF` of the best are left out, and `clear_match`
    picks the top hit only when it is high and well ahead. Query words the index does not know
    lose a clitic ("ktpnya") or are split in two ("ahliwaris") when the parts are known.

Index and its invalidation
    The index of an office is built with two queries (services with their current version,
    then the requirements by prefetch) and cached in this process under
    `(office.pk, office.catalogue_revision)`, plus `created_at` so that a primary key reused
    after a rolled-back test transaction cannot find another office's index.
    Every publish bumps `catalogue_revision` in the same transaction
    (`services.publish_service_version`), so an office object loaded after the commit carries a
    new key and the next search rebuilds: a new version is found at once, in every process,
    without any cross-process signal. Callers must therefore pass an `Office` loaded for the
    current request or message, not one held for hours. Anything else that changes what is
    searchable (deactivating a service) must bump the revision too. Old keys age out of an LRU
    (`MAX_CACHED_INDEXES`).

Offices that publish the same texts share their terms
    Most kecamatan of a kabupaten start from one catalogue. The analysed part of an index (postings,
    IDF, phrases, vocabulary: about 270 KB for the 24 demo services) depends only on the texts, so it
    is kept once per distinct catalogue (`_shared_terms`, keyed by a hash of those texts) and an office's
    own index adds only its hits (codes, names, version ids) and its answers. A national
    installation (7,285 offices of one catalogue) then keeps every office warm in one web process;
    see bench/national.py.
"""

import dataclasses
import hashlib
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from layan.offices.models import Office

from . import search_text as text
from .models import Service

# How much a term counts in a service, by the field it occurs in (the strongest field wins).
FIELD_WEIGHTS = {
    "keywords": 1.0,
    "name": 1.0,
    "code": 1.0,
    "summary": 0.5,
    "output": 0.6,
    "requirements": 0.25,
}
# Fields weaker than this (requirements) count only WEAK_DOCUMENT_FREQUENCY towards a term's IDF.
WEAK_FIELD = 0.5
WEAK_DOCUMENT_FREQUENCY = 0.1
# IDF mass counted for a query word the catalogue has never seen ("jalan", "palembang").
UNKNOWN_WORD_MASS = 0.4
# Shares of the final score: the matched share of the query, the best keyword phrase found whole
# in the query, and how much of the service's name the query covers (which prefers "Domisili"
# over "Domisili Usaha" when the citizen never said "usaha").
QUERY_SHARE = 0.65
PHRASE_SHARE = 0.25
NAME_SHARE = 0.10
MIN_SCORE = 0.08
# Hits scoring below this share of the best hit are left out: "surat pindah" lists the two moving
# services, not eight others that merely say "surat".
RELATIVE_CUTOFF = 0.5
CLEAR_MIN_SCORE = 0.4
CLEAR_MIN_LEAD = 0.12
# Office indexes are small once their terms are shared (a few KB each): every kecamatan fits.
MAX_CACHED_INDEXES = 8192
# Distinct analysed catalogues (about 270 KB each for 24 services).
MAX_SHARED_TERMS = 256
MAX_CACHED_ANSWERS = 10_000
# A question fits in a few SMS; a pasted novel is cut here rather than analysed word by word.
MAX_QUERY_CHARS = 1000


@dataclass(frozen=True, slots=True)
class SearchHit:
    code: str
    name: str
    score: float  # 0..1, higher is better
    version_id: int


@dataclass
class _Index:
    hits: list[SearchHit]  # one per service, score 0, in catalogue order
    postings: dict[str, list[tuple[int, float]]]  # term -> [(service position, weight)]
    idf: dict[str, float]
    # term -> [(service position, keyword's term set, its IDF mass)] for each keyword holding the term
    phrases: dict[str, list[tuple[int, frozenset[str], float]]]
    name_shares: dict[str, list[tuple[int, float]]]  # term -> [(service position, share of the name's IDF)]
    vocabulary: list[str]  # normalised words of the strong fields, for typo correction
    known_words: frozenset[str]
    corrections: dict[str, str] = field(default_factory=dict)
    # (query, limit) -> hits: the same questions come again and again (SMS, chat, the search box).
    answers: dict[tuple[str, int], tuple[SearchHit, ...]] = field(default_factory=dict)


_indexes: OrderedDict[tuple, _Index] = OrderedDict()
# Digest of a catalogue's searchable texts -> an index holding its terms (its hits are not used).
_shared_terms: OrderedDict[bytes, _Index] = OrderedDict()
_lock = threading.Lock()


def search_services(office: Office, query: str, *, limit: int = 5) -> list[SearchHit]:
    """Published, active services of `office` ranked for a citizen's free-text `query`, best first."""
    index = _index_for(office)
    key = (query[:MAX_QUERY_CHARS], limit)
    hits = index.answers.get(key)
    if hits is None:
        if len(index.answers) > MAX_CACHED_ANSWERS:
            index.answers.clear()
        hits = index.answers[key] = tuple(_rank(index, key[0], limit))
    return list(hits)


def _rank(index: _Index, query: str, limit: int) -> list[SearchHit]:
    slots = _query_slots(index, query)
    if not slots:
        return []
    scores: dict[int, float] = {}
    mass = 0.0
    for alternatives in slots:
        # A slot counts once per service: through its best alternative there.
        best_mass = 0.0
        best_by_service: dict[int, float] = {}
        for term, weight in alternatives:
            idf = index.idf.get(term)
            if idf is None:
                continue
            best_mass = max(best_mass, idf * weight)
            for position, term_weight in index.postings[term]:
                value = idf * weight * term_weight
                if value > best_by_service.get(position, 0.0):
                    best_by_service[position] = value
        mass += best_mass or UNKNOWN_WORD_MASS
        for position, value in best_by_service.items():
            scores[position] = scores.get(position, 0.0) + value
    if not scores:
        return []
    query_terms = {term for alternatives in slots for term, weight in alternatives if weight >= 0.5}
    phrase_mass: dict[int, float] = {}
    name_cover: dict[int, float] = {}
    for term in query_terms:
        for position, phrase, phrase_idf in index.phrases.get(term, ()):
            if phrase_idf > phrase_mass.get(position, 0.0) and phrase <= query_terms:
                phrase_mass[position] = phrase_idf
        for position, share in index.name_shares.get(term, ()):
            name_cover[position] = name_cover.get(position, 0.0) + share
    ranked = []
    for position, raw in scores.items():
        score = (
            QUERY_SHARE * min(1.0, raw / mass)
            + PHRASE_SHARE * min(1.0, phrase_mass.get(position, 0.0) / mass)
            + NAME_SHARE * min(1.0, name_cover.get(position, 0.0))
        )
        if score >= MIN_SCORE:
            ranked.append((-round(score, 4), position))
    ranked.sort()
    if ranked:
        floor = -ranked[0][0] * RELATIVE_CUTOFF
        ranked = [(negative, position) for negative, position in ranked if -negative >= floor]
    hits = []
    for negative, position in ranked[:limit]:
        base = index.hits[position]
        hits.append(SearchHit(base.code, base.name, -negative, base.version_id))
    return hits


def clear_match(hits: list[SearchHit]) -> SearchHit | None:
    """The one hit confident enough to answer with directly, or None (offer choices instead).

    `hits` must come from `search_services` with `limit` >= 2, so that the lead can be seen.
    """
    if not hits or hits[0].score < CLEAR_MIN_SCORE:
        return None
    if len(hits) > 1 and hits[0].score - hits[1].score < CLEAR_MIN_LEAD:
        return None
    return hits[0]


def _query_slots(index: _Index, query: str) -> list[list[tuple[str, float]]]:
    """One list of (term, weight) alternatives per distinct query term."""
    terms = text.analyse(query, correct=lambda word: _correct(index, word))
    slots = []
    seen = set()
    for term in terms:
        if term in seen:
            continue
        seen.add(term)
        slots.append([(term, text.emphasis(term)), *text.related(term)])
    return slots


def _correct(index: _Index, word: str) -> str:
    """`word`, or the index word it is a typo of."""
    if word in index.known_words or len(word) < 4 or not word.isalpha() or text.is_stop_word(word):
        return word
    stem = text.stem(word)
    if stem in index.idf or text.related(stem):
        return word
    if word not in index.corrections:
        known = _known_base(index, word)
        if known is not None:
            index.corrections[word] = known
    if word in index.corrections:
        return index.corrections[word]
    # A short word one letter off is as likely another real word ("harga" ~ "warga", "buka" ~
    # "buku"): only abbreviations ("ktpp", "sktn") are corrected below six letters.
    if len(word) < 6 and sum(c in "aiueo" for c in word) > 1:
        return word
    if word not in index.corrections:
        if len(index.corrections) > 10_000:
            index.corrections.clear()
        limit = 1 if len(word) <= 6 else 2
        found = process.extractOne(word, index.vocabulary, scorer=OSA.distance, score_cutoff=limit)
        index.corrections[word] = found[0] if found else word
    return index.corrections[word]


def _is_known(index: _Index, word: str) -> bool:
    return word in index.known_words or word in text.SLANG or text.stem(word) in index.idf


def _known_base(index: _Index, word: str) -> str | None:
    """`word` without a clitic ("ktpnya" -> "ktp"), or split into two known words ("ahliwaris" ->
    "ahli waris", "kartukeluarga" -> "kartu keluarga"), when the catalogue knows the parts and
    the word is not an Indonesian root itself ("masalah" is not "masa" + "lah")."""
    if text.is_dictionary_word(word):
        return None
    for clitic in text.CLITICS:
        base = word.removesuffix(clitic)
        if base != word and len(base) >= 2 and _is_known(index, base):
            return base
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if head in index.known_words and _is_known(index, tail):
            return f"{head} {tail}"
        # "aktakelahirannya": the clitic comes off the second part
        for clitic in text.CLITICS:
            rest = tail.removesuffix(clitic)
            if rest != tail and len(rest) >= 3 and head in index.known_words and _is_known(index, rest):
                return f"{head} {rest}"
    return None


def _index_for(office: Office) -> _Index:
    # created_at guards against a primary key reused after a rolled-back transaction (tests).
    key = (office.pk, office.catalogue_revision, office.created_at)
    with _lock:
        index = _indexes.get(key)
        if index is not None:
            _indexes.move_to_end(key)
            return index
    # Built outside the lock: two threads may build the same index once, which is harmless.
    index = _build_index(office)
    with _lock:
        _indexes[key] = index
        while len(_indexes) > MAX_CACHED_INDEXES:
            _indexes.popitem(last=False)
    return index


def _build_index(office: Office) -> _Index:
    services = (
        Service.objects.published()
        .filter(office=office)
        .select_related("current_version")
        .prefetch_related("current_version__requirements")
        .order_by("order", "code")
    )
    hits: list[SearchHit] = []
    documents: list[dict[str, list[str]]] = []
    for service in services:
        version = service.current_version
        assert version is not None
        hits.append(SearchHit(service.code, version.name, 0.0, version.pk))
        documents.append(
            {
                "keywords": list(version.keywords),
                "name": [version.name],
                "code": [service.code.replace("-", " ")],
                "summary": [version.summary],
                "output": [version.output],
                "requirements": [f"{r.document} {r.condition} {r.note}" for r in version.requirements.all()],
            }
        )
    digest = hashlib.blake2b(repr(documents).encode(), digest_size=16).digest()
    with _lock:
        terms = _shared_terms.get(digest)
        if terms is not None:
            _shared_terms.move_to_end(digest)
    if terms is None:
        terms = _analyse(documents)
        with _lock:
            _shared_terms[digest] = terms
            while len(_shared_terms) > MAX_SHARED_TERMS:
                _shared_terms.popitem(last=False)
    # The office's own hits over the shared terms; `answers` stays per office (hits carry version ids).
    return dataclasses.replace(terms, hits=hits, answers={})


def _analyse(documents: list[dict[str, list[str]]]) -> _Index:
    """The terms of an index from each service's field texts, in catalogue order (hits left empty)."""
    weights: list[dict[str, float]] = []
    keywords: list[set[frozenset[str]]] = []
    names: list[set[str]] = []
    vocabulary: set[str] = set(text.SLANG)
    for fields in documents:
        term_weights: dict[str, float] = {}
        for field_name, texts in fields.items():
            for value in texts:
                if FIELD_WEIGHTS[field_name] >= WEAK_FIELD:
                    vocabulary.update(text.words(value))
                for term in text.analyse(value):
                    term_weights[term] = max(term_weights.get(term, 0.0), FIELD_WEIGHTS[field_name])
        names.append(set(text.analyse(fields["name"][0])))
        weights.append(term_weights)
        keywords.append({frozenset(text.analyse(k)) for k in fields["keywords"]} - {frozenset()})

    postings: dict[str, list[tuple[int, float]]] = {}
    for position, term_weights in enumerate(weights):
        for term, weight in term_weights.items():
            postings.setdefault(term, []).append((position, weight))
    count = len(documents)
    idf = {term: math.log(1 + count / _document_frequency(posts)) for term, posts in postings.items()}
    phrases: dict[str, list[tuple[int, frozenset[str], float]]] = {}
    for position, phrase_set in enumerate(keywords):
        for phrase in phrase_set:
            phrase_idf = sum(idf[t] for t in phrase)
            for term in phrase:
                phrases.setdefault(term, []).append((position, phrase, phrase_idf))
    name_shares: dict[str, list[tuple[int, float]]] = {}
    for position, name in enumerate(names):
        total = sum(idf[t] for t in name) or 1.0
        for term in name:
            name_shares.setdefault(term, []).append((position, idf[term] / total))
    vocabulary = {w for w in vocabulary if w.isalpha() and len(w) >= 3 and not text.is_stop_word(w)}
    return _Index(
        hits=[],
        postings=postings,
        idf=idf,
        phrases=phrases,
        name_shares=name_shares,
        vocabulary=sorted(vocabulary),
        known_words=frozenset(vocabulary),
    )


def _document_frequency(postings: list[tuple[int, float]]) -> float:
    # "KK" is a requirement of most services but the subject of one: occurrences in weak fields
    # barely lower a term's IDF, or the citizen's "kk rusak" would be about "rusak".
    return sum(weight if weight >= WEAK_FIELD else WEAK_DOCUMENT_FREQUENCY for _, weight in postings)
