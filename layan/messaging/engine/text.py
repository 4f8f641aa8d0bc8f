"""Reading what citizens type: the words of a message, and those that can name a service."""

from layan.catalogue.search_text import normalise

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


def words(text: str) -> list[str]:
    """The citizen's words, through the catalogue's normaliser (digits kept: "LAYANAN 2")."""
    return normalise(text).split()


def search_terms(text: str) -> str:
    """The meaningful words of a free-text question, for the catalogue search."""
    kept = [w for w in words(text) if w not in FILLER_WORDS]
    return " ".join(kept)
