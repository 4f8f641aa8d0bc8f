"""One-off conversion of the study's simple catalogue (../shared/data/catalogue/*.yaml) into the
Layan catalogue format (data/catalogue/*.yaml), which structures every PermenPAN-RB 15/2014 component.

The simple format lists requirements and steps as sentences and leaves out complaint handling and
the eight management components; this script structures what it can read from the sentences and
fills the rest with the office-wide defaults below, which an office then edits in the admin.

    python tools/convert_shared_catalogue.py ../shared/data/catalogue/kisam-tinggi.yaml \\
        > data/catalogue/kisam-tinggi.yaml
"""

import re
import sys

import yaml

COMPLAINT_HANDLING = (
    "Pengaduan, saran dan masukan dapat disampaikan langsung di loket pengaduan atau kotak saran, "
    "lewat SMS, WhatsApp, telepon, Facebook kantor, atau laman Layan. Setiap pengaduan dicatat dan "
    "diberi nomor; petugas menanggapi paling lambat 3 hari kerja. Bila belum puas, pengadu dapat "
    "meneruskannya kepada Camat."
)
MANAGEMENT = {
    "facilities": "Loket pelayanan terpadu, ruang tunggu hijau dengan area bermain anak, area merokok terpisah, "
    "komputer, printer dan jaringan internet, buku panduan SOP, jalur landai dan kursi prioritas.",
    "competence": "Memahami peraturan layanan ini, mampu mengoperasikan komputer dan aplikasi layanan, "
    "berkomunikasi dengan ramah dan jelas.",
    "supervision": "Pengawasan melekat oleh atasan langsung (Kepala Seksi) dan Sekretaris Camat; "
    "Camat memeriksa laporan pelayanan setiap bulan.",
    "staff_count": 2,
    "staff_note": "1 petugas loket dan 1 petugas pemroses",
    "guarantee": "Pelayanan diberikan sesuai standar pelayanan ini, sebagaimana Maklumat Pelayanan "
    "yang dipajang di ruang pelayanan.",
    "security": "Data dan berkas pemohon dijaga kerahasiaannya (UU 27/2022); produk layanan "
    "ditandatangani pejabat berwenang dan dapat diverifikasi keasliannya.",
    "evaluation": "Evaluasi kinerja pelaksana setiap tiga bulan oleh Camat berdasarkan hasil Survei "
    "Kepuasan Masyarakat dan pengaduan yang masuk.",
}
CONDITION = re.compile(r"\s*\(((?:jika|bila|untuk|apabila|kalau)\b[^)]*)\)\s*$", re.IGNORECASE)


def merge_split_items(items: list[str]) -> list[str]:
    """Join items the source split on commas inside parentheses: '(KTP', 'ijazah', 'SKCK)'."""
    out: list[str] = []
    for item in items:
        if out and out[-1].count("(") > out[-1].count(")"):
            out[-1] = f"{out[-1]}, {item}"
        else:
            out.append(item)
    return out


def requirement(text: str) -> dict:
    form = "-"
    condition = ""
    m = CONDITION.search(text)
    if m:
        condition = m.group(1).strip()
        text = text[: m.start()].strip()
    low = text.lower()
    if low.startswith("fotokopi "):
        form, text = "fotokopi", text[len("fotokopi ") :]
        text = text[0].upper() + text[1:]
    elif re.search(r"\basli\b", low) and "fotokopi" in low:
        form = "asli-dan-fotokopi"
    elif re.search(r"\basli\b", low):
        form = "asli"
    upload = form in ("fotokopi", "asli-dan-fotokopi") or any(
        w in low for w in ("ktp", "kartu keluarga", "akta", "surat pengantar", "buku nikah")
    )
    return {"document": text, "form": form, "count": 1, "condition": condition, "upload": upload, "note": ""}


ACTORS = [
    ("pemohon", "Pemohon"),
    ("kepala desa", "Kepala desa"),
    ("camat", "Camat"),
    ("sekcam", "Sekretaris Camat"),
    ("petugas", "Petugas"),
    ("disdukcapil", "Petugas"),
]


def step(text: str) -> dict:
    low = text.lower()
    actor = "Petugas"
    for word, name in ACTORS:
        if low.startswith(word):
            actor = name
            break
    else:
        if "camat" in low and ("tanda" in low or "terbit" in low or "rekomendasi" in low):
            actor = "Camat"
        elif low.startswith(("serahkan", "ajukan", "isi", "bawa", "datang")):
            actor = "Pemohon"
    return {"actor": actor, "action": text, "minutes": None}


def convert(source: dict) -> dict:
    src_office = source["office"]
    office = {
        "name": src_office["name"],
        "timezone": src_office.get("timezone", "Asia/Jakarta"),
        "address": src_office.get("address", ""),
        "phone": src_office.get("contact_channels_demo", {}).get("phone", ""),
        "sms_number": src_office.get("contact_channels_demo", {}).get("sms", ""),
        "whatsapp_number": src_office.get("contact_channels_demo", {}).get("sms", ""),
        "email": "",
        "facebook_page": src_office.get("contact_channels_demo", {}).get("facebook_page", ""),
        "telegram_username": "",
        "head_title": "Camat",
        "head_name": "",
        "maklumat": (
            "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang "
            "telah ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai "
            "peraturan perundang-undangan yang berlaku."
        ),
        "opening_hours": src_office.get("opening_hours", []),
        "facilities": [
            {"code": f["code"], "name": f["name"], "description": ""} for f in src_office.get("facilities", [])
        ],
    }
    services = []
    for s in source["services"]:
        if "duration_days" in s:
            time = {"value": s["duration_days"], "unit": "working_days"}
        else:
            time = {"value": s["duration_hours"], "unit": "hours"}
        time["note"] = s.get("duration_note", "")
        services.append(
            {
                "code": s["code"],
                "name": s["name"],
                "category": s["category"],
                "summary": "",
                "requirements": [requirement(r) for r in merge_split_items(s["requirements"])],
                "steps": [step(t) for t in s["steps"]],
                "time": time,
                "fee": {"idr": s.get("fee_idr"), "note": s.get("fee_note", "")},
                "output": s["output"],
                "complaint_handling": COMPLAINT_HANDLING,
                "legal_basis": s["legal_basis"],
                "management": dict(MANAGEMENT),
                "keywords": s.get("keywords", []),
            }
        )
    return {"layan_catalogue": 1, "office": office, "services": services}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as fh:
        data = convert(yaml.safe_load(fh))
    header = (
        "# Demo catalogue of Kecamatan Kisam Tinggi (Kab. OKU Selatan), Layan catalogue format 1.\n"
        "# Converted by tools/convert_shared_catalogue.py from the study's catalogue; complaint handling\n"
        "# and the management components are office-wide defaults. Service codes are stable ids.\n"
    )
    sys.stdout.write(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110))
