"""Reading what citizens type: case, spacing, '#' and '.' separators, any Unicode."""

import unicodedata

# Words that carry no meaning for a catalogue search ("gmn ngurus akte kelahiran anak sy").
FILLER_WORDS = frozenset(
    """
    syarat syarat2 persyaratan sarat syrat info informasi apa apakah saja aja gimana gmn bagaimana bgmn gmana
    cara caranya ngurus urus mengurus ngurusin bikin buat membuat bkn bkin mau ingin pengen pgn minta tolong
    mohon dong donk ya yg yang untuk utk buat bwt di ke dari dan atau sy saya aku gw gue kami kita pak bu bapak
    ibu min admin kak mas mbak halo hallo hai selamat pagi siang sore malam tanya nanya bertanya kalau kalo klo
    kl mengenai tentang soal perlu diperlukan dibutuhkan butuh berkas dokumen apaan nya
    """.split()
)


def normalize(text: str) -> str:
    """NFKC, lower case, separators (#, ., comma, …) to spaces, control characters dropped."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    out = []
    for ch in text:
        if ch.isalnum() or ch == "-":
            out.append(ch)
        else:
            out.append(" ")
    return " ".join("".join(out).split())


def words(text: str) -> list[str]:
    return [w.strip("-") for w in normalize(text).split() if w.strip("-")]


def search_terms(text: str) -> str:
    """The meaningful words of a free-text question, for the catalogue search."""
    kept = [w for w in words(text) if w not in FILLER_WORDS]
    return " ".join(kept)
