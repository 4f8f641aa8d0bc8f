"""How citizens write, turned into comparable terms: the text side of the catalogue search.

`analyse(text)` turns a message such as "tolooong pak, gmn bikin akte kelahran anak sy?" into the
terms the index is built from ("akta", "lahir", "anak", …). The same pipeline runs over the
catalogue (names, keywords, output, requirements), so both sides meet on the same terms:

1. `REWRITES`: regular expressions on the lowercased text for spellings that span punctuation
   ("e-ktp", "ktp-el", "rame2").
1b. `ENGLISH_PHRASES`: common English names of the services ("birth certificate", "ID card") to
   Indonesian, on the tokenised text; single English words follow in `ENGLISH` (step 3).
2. Tokens: letters and digits only; runs of three or more equal letters collapse ("tolooong");
   a trailing reduplication digit goes ("anak2", "jadi2").
3. `SLANG`: SMS abbreviations and everyday words to their standard form ("sy" -> "saya",
   "ilang" -> "hilang", "jualan" -> "dagang"). A value may be several words ("ortu").
4. An optional `correct(word)` callback fixes, against the index vocabulary, clitics Sastrawi
   cannot strip from words it does not know ("ktpnya", "iumknya": `CLITICS`), words run together
   ("ahliwaris", "kartukeluarga") and typos (rapidfuzz); done by search.py because only it knows
   the vocabulary.
5. Stems: `STEM_OVERRIDES` first (where Sastrawi errs: "menikah" -> "meni", "meninggal" ->
   "tinggal"), then Sastrawi, then `CANONICAL` joins words with one meaning ("kawin" -> "nikah").
6. `PHRASES`: two-term phrases whose meaning is not the sum of their words ("tidak mampu" ->
   "miskin", "belum nikah" -> "lajang"), matched across filler words ("belum pernah menikah").
7. `STOP_WORDS` go: greetings, pronouns, "syarat", "cara", "bikin", "mau" … words that carry no
   information about which service is meant. Words that tell services apart ("baru", "hilang",
   "datang", "beda") are deliberately not stop words.

`RELATED` (query side only) adds weaker neighbours of a term: "bayi" also means "lahir",
"mushola" also means "masjid". `EMPHASIS` (query side) makes action words outweigh the documents
they act on ("legalisir akta kelahiran" is a legalisation). All tables are data, so the office
team can read and extend them.
"""

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

# 1. Rewrites on the lowercased text, before tokenising; each runs only when its trigger occurs.
REWRITES: list[tuple[str, re.Pattern[str], str]] = [
    ("ktp", re.compile(r"\b(?:e\s*[-.]?\s*ktp|ktp\s*[-.]?\s*el)\b"), " ktp "),
    ("k.", re.compile(r"\bk\s*\.\s*k\b"), " kk "),
    ("-", re.compile(r"\b(\w+)-\1\b"), r" \1 "),  # "anak-anak"
    ("2", re.compile(r"(?<=[a-z])2\b"), " "),  # "rame2", "anak2": reduplication
]
TOKEN = re.compile(r"[a-z0-9]+")

# 1b. English names of services and documents (migrants' relatives, students, officers abroad),
# matched on the tokenised text before the word tables. Longest first.
ENGLISH_PHRASES: dict[str, str] = {
    "birth certificate": "akta kelahiran",
    "death certificate": "akta kematian",
    "family card": "kartu keluarga",
    "family register": "kartu keluarga",
    "id card": "ktp",
    "identity card": "ktp",
    "identification card": "ktp",
    "national id": "ktp",
    "moving letter": "surat pindah",
    "relocation letter": "surat pindah",
    "move out": "pindah keluar",
    "moving out": "pindah keluar",
    "moved out": "pindah keluar",
    "move in": "pindah datang",
    "moving in": "pindah datang",
    "moved in": "pindah datang",
    "certificate of poverty": "surat keterangan tidak mampu",
    "poverty certificate": "surat keterangan tidak mampu",
    "low income": "tidak mampu",
    "police clearance": "skck",
    "police record": "skck",
    "good conduct": "skck",
    "good behaviour": "skck",
    "good behavior": "skck",
    "criminal record": "skck",
    "building permit": "pbg",
    "construction permit": "pbg",
    "business permit": "izin usaha",
    "business license": "izin usaha",
    "business licence": "izin usaha",
    "crowd permit": "izin keramaian",
    "event permit": "izin keramaian",
    "public information": "informasi publik",
    "information request": "permohonan informasi",
    "village official": "perangkat desa",
    "village officials": "perangkat desa",
    "village head": "kepala desa",
    "land certificate": "sertifikat tanah",
    "land title": "sertifikat tanah",
    "sale deed": "akta jual beli",
    "deed of sale": "akta jual beli",
    "not married": "belum menikah",
    "never married": "belum menikah",
    "single status": "belum menikah",
}
_ENGLISH_PHRASE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, ENGLISH_PHRASES), key=len, reverse=True)) + r")\b")

# English words to Indonesian, after the phrases (may be several words).
ENGLISH: dict[str, str] = {
    "birth": "kelahiran",
    "born": "lahir",
    "baby": "bayi",
    "child": "anak",
    "children": "anak",
    "kid": "anak",
    "death": "kematian",
    "died": "meninggal",
    "dead": "meninggal",
    "deceased": "almarhum",
    "family": "keluarga",
    "card": "kartu",
    "identity": "ktp",
    "letter": "surat",
    "certificate": "surat keterangan",
    "statement": "pernyataan",
    "proof": "keterangan",
    "move": "pindah",
    "moving": "pindah",
    "moved": "pindah",
    "relocate": "pindah",
    "relocation": "pindah",
    "arrival": "datang",
    "poverty": "miskin",
    "poor": "miskin",
    "income": "penghasilan",
    "salary": "gaji",
    "earnings": "penghasilan",
    "marriage": "nikah",
    "married": "nikah",
    "marry": "nikah",
    "wedding": "nikah",
    "dispensation": "dispensasi",
    "unmarried": "lajang",
    "heir": "ahli waris",
    "heirs": "ahli waris",
    "inheritance": "waris",
    "land": "tanah",
    "plot": "tanah",
    "sale": "jual beli",
    "sell": "jual",
    "buy": "beli",
    "purchase": "beli",
    "deed": "akta",
    "ownership": "penguasaan",
    "possession": "penguasaan",
    "physical": "fisik",
    "permit": "izin",
    "license": "izin",
    "licence": "izin",
    "business": "usaha",
    "shop": "toko",
    "company": "perusahaan",
    "small": "kecil",
    "micro": "mikro",
    "building": "bangunan",
    "house": "rumah",
    "build": "bangun",
    "construction": "bangun",
    "residence": "domisili",
    "domicile": "domisili",
    "resident": "penduduk",
    "police": "polisi",
    "legalize": "legalisir",
    "legalise": "legalisir",
    "legalization": "legalisir",
    "legalisation": "legalisir",
    "legalized": "legalisir",
    "notarize": "legalisir",
    "certify": "legalisir",
    "certified": "legalisir",
    "stamp": "cap",
    "information": "informasi",
    "public": "publik",
    "request": "permohonan",
    "village": "desa",
    "official": "perangkat",
    "officials": "perangkat",
    "appointment": "pengangkatan",
    "appoint": "pengangkatan",
    "dismissal": "pemberhentian",
    "dismiss": "pemberhentian",
    "recommendation": "rekomendasi",
    "grant": "bantuan",
    "aid": "bantuan",
    "assistance": "bantuan",
    "donation": "bantuan",
    "mosque": "masjid",
    "party": "pesta",
    "celebration": "pesta",
    "concert": "konser",
    "music": "orgen",
    "crowd": "keramaian",
    "new": "baru",
    "lost": "hilang",
    "lose": "hilang",
    "missing": "hilang",
    "damaged": "rusak",
    "broken": "rusak",
    "replace": "ganti",
    "replacement": "ganti",
    "change": "ubah",
    "different": "beda",
    "wrong": "salah",
    "name": "nama",
    "less": "kurang",
    "days": "hari",
    "day": "hari",
    "school": "sekolah",
    "hospital": "rumah sakit",
    "scholarship": "beasiswa",
    "research": "penelitian",
    "thesis": "skripsi",
}
# English words that say nothing about the service (kept out of the catalogue's vocabulary of typos).
ENGLISH_STOP_WORDS = """
    i my me we our you your he she his her it its they their the a an of for to in on at by from with
    and or is are was were be been am do does did how what where when which who why can could would
    should will please need needs want wants get got getting make apply applying about after before
    this that these those there here just also as if so any some than more much hello hi thanks thank
    sir madam office requirements requirement documents document procedure process
""".split()
REPEATS = re.compile(r"([a-z])\1{2,}")

# 3. SMS abbreviations and slang -> standard Indonesian (may be several words).
SLANG: dict[str, str] = {
    # pronouns, question words, fillers (most end up as stop words; normalising keeps it simple)
    "sy": "saya",
    "sya": "saya",
    "aku": "saya",
    "ak": "saya",
    "gw": "saya",
    "gue": "saya",
    "gmn": "bagaimana",
    "gmna": "bagaimana",
    "gimana": "bagaimana",
    "bgmn": "bagaimana",
    "bgmana": "bagaimana",
    "yg": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "utk": "untuk",
    "untk": "untuk",
    "u": "untuk",
    "tuk": "untuk",
    "dr": "dari",
    "dri": "dari",
    "sm": "sama",
    "jg": "juga",
    "aja": "saja",
    "aj": "saja",
    "sj": "saja",
    "klo": "kalau",
    "kalo": "kalau",
    "kl": "kalau",
    "mw": "mau",
    "mo": "mau",
    "pengen": "mau",
    "pingin": "mau",
    "ingin": "mau",
    "tnya": "tanya",
    "nanya": "tanya",
    "tny": "tanya",
    "bs": "bisa",
    "bsa": "bisa",
    "hr": "hari",
    "tgl": "tanggal",
    "thn": "tahun",
    "th": "tahun",
    "bln": "bulan",
    "mgg": "minggu",
    "tp": "tapi",
    "krn": "karena",
    "karna": "karena",
    "udh": "sudah",
    "udah": "sudah",
    "sdh": "sudah",
    "dah": "sudah",
    "blm": "belum",
    "blom": "belum",
    "belom": "belum",
    "tdk": "tidak",
    "tak": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "g": "tidak",
    "slmt": "selamat",
    "met": "selamat",
    "makasih": "terima kasih",
    "makasi": "terima kasih",
    "mksh": "terima kasih",
    "trims": "terima kasih",
    "tks": "terima kasih",
    "ass": "assalamualaikum",
    "askum": "assalamualaikum",
    "assalamu": "assalamualaikum",
    "alaikum": "assalamualaikum",
    "p": "permisi",
    # verbs "make / take care of": all mean "I want this service"
    "bkn": "bikin",
    "bikinin": "bikin",
    "ngurus": "urus",
    "ngurusnya": "urus",
    "ngurusin": "urus",
    "urusin": "urus",
    "dibikin": "bikin",
    "cairin": "cair",
    # documents and services
    "akte": "akta",
    "akt": "akta",
    "srt": "surat",
    "ket": "keterangan",
    "ktrngn": "keterangan",
    "keterngan": "keterangan",
    "krtu": "kartu",
    "klrga": "keluarga",
    "kluarga": "keluarga",
    "ktpel": "ktp",
    "ektp": "ktp",
    "fotocopy": "fotokopi",
    "fotocopi": "fotokopi",
    "fc": "fotokopi",
    "copy": "fotokopi",
    "legalisirin": "legalisir",
    "dilegalisir": "legalisir",
    "legalisasi": "legalisir",
    "dilegalisasi": "legalisir",
    "leges": "legalisir",
    "sertipikat": "sertifikat",
    "sertifkat": "sertifikat",
    "sertif": "sertifikat",
    "serifikat": "sertifikat",
    "shm": "sertifikat",
    "pndh": "pindah",
    "pindh": "pindah",
    "ilang": "hilang",
    "ilng": "hilang",
    "hlang": "hilang",
    "ijin": "izin",
    "idzin": "izin",
    "rame": "ramai",
    "dispen": "dispensasi",
    "kawinan": "nikahan",
    "resepsi": "nikahan",
    "ortu": "orang tua",
    "org": "orang",
    "bpk": "bapak",
    "alm": "almarhum",
    "almh": "almarhum",
    "almarhumah": "almarhum",
    "jualan": "dagang",
    "berdagang": "dagang",
    "dagangan": "dagang",
    "msjd": "masjid",
    "mesjid": "masjid",
    "kades": "kepala desa",
}
# Clitics and particles stuck to a word ("ktpnya", "aktaku", "iumknya", "skckkah"), longest first:
# stripped by search.py when the word itself is unknown and what remains is known.
CLITICS = ("nya", "kah", "lah", "pun", "ku", "mu")

# 5a. Where Sastrawi's rules give the wrong root for words citizens use a lot.
STEM_OVERRIDES: dict[str, str] = {
    "menikah": "nikah",
    "meninggal": "mati",
    "meninggalnya": "mati",
    "peninggalan": "waris",
    "pengesahan": "sah",
    "pindahan": "pindahan",  # a word of its own: "I moved here"
    "nikahan": "nikahan",  # the wedding party, not the marriage
    "sunatan": "hajat",  # the party after a circumcision: a crowd permit, not a document
    "khitanan": "hajat",
    "mendirikan": "bangun",
}

# 5b. Roots with the same meaning for choosing a service.
CANONICAL: dict[str, str] = {
    "kawin": "nikah",
    "wafat": "mati",
    "tewas": "mati",
    "almarhum": "mati",
    "ajal": "mati",
    "legalisasi": "legalisir",
    "ijin": "izin",
    "akte": "akta",
    "single": "lajang",
    "jomblo": "lajang",
    "imb": "pbg",
    "sku": "skdu",
    "gaji": "hasil",
    "pendapatan": "hasil",
    "hajatan": "hajat",
    "organ": "orgen",
    "ppid": "informasi",
    "kadus": "perangkat",
    "sekdes": "perangkat",
    "kaur": "perangkat",
    "kasi": "perangkat",
}

# 6. Two-term phrases (on stems) that mean something else than their words.
PHRASES: dict[tuple[str, str], str] = {
    ("tidak", "mampu"): "miskin",
    ("kurang", "mampu"): "miskin",
    ("belum", "nikah"): "lajang",
    ("kartu", "keluarga"): "kk",
    ("kepala", "keluarga"): "kepala_keluarga",
    ("orang", "tua"): "ortu",
    ("rumah", "sakit"): "rumah_sakit",
    ("tanda", "tangan"): "ttd",
    ("mati", "dunia"): "mati",  # "meninggal dunia"
}
# Words that may sit inside a phrase without breaking it ("belum pernah menikah").
PHRASE_FILLERS = frozenset({"pernah", "begitu", "terlalu", "sangat", "juga", "lagi", "ada"})

# 7. Words that say nothing about which service is meant.
STOP_WORDS = frozenset(
    """
    saya kami kita anda dia mereka kamu engkau beliau nya ku mu
    apa apakah siapa kapan dimana mana kemana bagaimana berapa kenapa mengapa gimana
    yang dengan untuk dari ke di pada dan atau serta juga saja sama dalam oleh bagi
    ini itu tersebut sini situ sana
    adalah ialah akan sedang telah sudah masih belum tidak bisa boleh dapat harus perlu butuh
    mau minta tanya mohon tolong ingin hendak
    syarat cara prosedur proses langkah caranya syaratnya
    bikin buat urus bagaimana lakukan jadi
    min admin gan sis bro kak pak bu bapak ibu mas mbak om tante dik adik bang
    halo hallo hai hi helo pagi siang sore malam selamat permisi assalamualaikum salam
    wr wb warahmatullahi wabarakatuh terima kasih makasih maaf
    ya yah ok oke iya sip dong deh kok sih lah kah pun nih tuh loh lho kan ah eh
    kalau kalo jika apabila karena agar supaya biar tapi tetapi namun
    semua ada punya dulu
    lalu kemarin besok nanti sekarang ini tadi
    kantor kecamatan camat
    info informasinya
    """.split()
    + ENGLISH_STOP_WORDS
)

# Query-side neighbours: (term, weight) added next to a term; weights below 1 keep them secondary.
RELATED: dict[str, tuple[tuple[str, float], ...]] = {
    "bayi": (("lahir", 0.7), ("anak", 0.5)),
    "anak": (("lahir", 0.3),),
    "mushola": (("masjid", 0.8),),
    "musholla": (("masjid", 0.8),),
    "musala": (("masjid", 0.8),),
    "surau": (("masjid", 0.8),),
    "langgar": (("masjid", 0.8),),
    "gereja": (("masjid", 0.6),),
    "kebun": (("tanah", 0.7),),
    "sawah": (("tanah", 0.7),),
    "lahan": (("tanah", 0.8),),
    "pekarangan": (("tanah", 0.7),),
    "warung": (("usaha", 0.5),),
    "dagang": (("usaha", 0.5),),
    "pesta": (("ramai", 0.6),),
    "hajat": (("ramai", 0.6),),
    "nikahan": (("ramai", 0.6),),
    "orgen": (("ramai", 0.5),),
    "dangdut": (("ramai", 0.6), ("orgen", 0.5)),
    "konser": (("ramai", 0.7),),
    "pertunjukan": (("ramai", 0.7),),
    "kuliah": (("beasiswa", 0.3),),
    "petani": (("hasil", 0.3),),
    "pns": (("cpns", 0.8),),
    "tentara": (("tni", 0.8),),
    "polisi": (("polri", 0.4),),
    "akad": (("nikah", 0.8),),
    "skpwni": (("pindah", 0.5),),
    "ptsl": (("sertifikat", 0.5),),
    "fotokopi": (("legalisir", 0.3),),
    "cap": (("legalisir", 0.5),),
    "stempel": (("legalisir", 0.5),),
    "mahasiswa": (("data", 0.3),),
    "skripsi": (("data", 0.5), ("informasi", 0.5)),
    "penelitian": (("data", 0.5), ("informasi", 0.5)),
    "ttd": (("rekomendasi", 0.4),),
}

# Query-side weight of terms that say what is to be done with another document: in "legalisir
# akta kelahiran" or "nama beda di kk dan akta" the documents are only the object.
EMPHASIS: dict[str, float] = {"legalisir": 2.5, "beda": 2.0, "salah": 1.5}


@functools.lru_cache(maxsize=1)
def _stemmer():
    # Building Sastrawi's stemmer loads its dictionary: once per process.
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The root of one normalised word, with the overrides and canonical forms applied."""
    if word in STEM_OVERRIDES:
        root = STEM_OVERRIDES[word]
    elif len(word) <= 3 or word.isdigit() or not word.isalpha():
        root = word
    else:
        root = _stemmer().stem(word) or word
    return CANONICAL.get(root, root)


def is_dictionary_word(word: str) -> bool:
    """A root in Sastrawi's Indonesian dictionary ("masalah", "sekolah"): never a clitic or two
    words run together."""
    return bool(_stemmer().delegatedStemmer.dictionary.contains(word))


def normalise(text: str) -> str:
    """Any text a citizen types, as plain words: NFKC ("ＫＴＰ" -> "ktp"), case folded, rewritten
    spellings, punctuation and separators ("#", ".", ",") gone, repeated letters collapsed.

    The one normaliser: the catalogue search and the conversation engine's commands both read
    citizens' text through it.
    """
    text = REPEATS.sub(r"\1", unicodedata.normalize("NFKC", text or "").casefold())
    for trigger, pattern, replacement in REWRITES:
        if trigger in text:
            text = pattern.sub(replacement, text)
    return " ".join(TOKEN.findall(text))


def words(text: str) -> list[str]:
    """Normalised words with slang and English replaced by standard Indonesian."""
    out: list[str] = []
    plain = normalise(text)
    if " " in plain:
        plain = _ENGLISH_PHRASE.sub(lambda m: ENGLISH_PHRASES[m.group(1)], plain)
    for token in plain.split():
        if token.isdigit():
            continue  # dates and counts ("tgl 5", "3 bulan") say nothing about the service
        out.extend((SLANG.get(token) or ENGLISH.get(token) or token).split())
    return out


def analyse(text: str, correct: Callable[[str], str] | None = None) -> list[str]:
    """The meaningful terms of `text`, in order (duplicates kept)."""
    ws = words(text)
    if correct is not None:
        corrected = [correct(w) for w in ws]
        ws = [part for w in corrected for part in SLANG.get(w, w).split()]
    return terms_of_words(ws)


def terms_of_words(ws: Iterable[str]) -> list[str]:
    """Stems of normalised words, phrases joined, stop words gone."""
    stems = [stem(w) for w in ws]
    terms: list[str] = []
    i = 0
    while i < len(stems):
        j = i + 1
        while j < len(stems) and stems[j] in PHRASE_FILLERS:
            j += 1
        phrase = PHRASES.get((stems[i], stems[j])) if j < len(stems) else None
        if phrase:
            terms.append(phrase)
            i = j + 1
            continue
        if stems[i] not in STOP_WORDS and len(stems[i]) > 1:
            terms.append(stems[i])
        i += 1
    return terms


def is_stop_word(word: str) -> bool:
    return word in STOP_WORDS or stem(word) in STOP_WORDS


def related(term: str) -> tuple[tuple[str, float], ...]:
    return RELATED.get(term, ())


def emphasis(term: str) -> float:
    return EMPHASIS.get(term, 1.0)
