"""YAML import and export of an office's catalogue (the Layan catalogue format, version 1).

Import is all-or-nothing: the whole file is validated first and every error names its field
(`layanan[3] (sktm).penanganan_pengaduan …`); only a valid file touches the database, in one
transaction. A service whose content differs from its current version gets a new published
version; an unchanged one is left alone, so importing the same file twice changes nothing.
Export writes the current published versions in the same format: export → import → export
gives the same text.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from layan.offices.hours import hour_runs
from layan.offices.models import Facility, Office, OpeningHours
from layan.offices.services import PROFILE_FIELDS, bump_catalogue_revision, mark_office_changed

from .models import Category, Group, Requirement, Service, ServiceVersion, Step
from .services import CONTENT_FIELDS as _CONTENT_KEYS
from .services import publish_service_version

FORMAT_VERSION = 1
# libyaml's C loader/dumper are ~10x faster than the pure-Python ones (the demo file: 1 s -> 0.1 s).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
DAY_NAMES = ["senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"]
# Field name in the file -> (model field, label in Bahasa Indonesia for error messages).
MANAGEMENT = {
    "facilities": "sarana, prasarana dan fasilitas",
    "competence": "kompetensi pelaksana",
    "supervision": "pengawasan internal",
    "staff_count": "jumlah pelaksana",
    "guarantee": "jaminan pelayanan",
    "security": "jaminan keamanan dan keselamatan",
    "evaluation": "evaluasi kinerja pelaksana",
}
MANAGEMENT_EXPORT_ORDER = [
    "facilities",
    "competence",
    "supervision",
    "staff_count",
    "staff_note",
    "guarantee",
    "security",
    "evaluation",
]
# The office profile as the file carries it: its name and zone, then what the office admin edits.
OFFICE_TEXT_FIELDS = ["name", "timezone", *PROFILE_FIELDS]


class CatalogueImportError(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def text(self, data: dict, key: str, where: str, label: str, *, required: bool = True, maxlen: int = 0) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.errors.append(f"{where}.{key}: {label} wajib diisi.")
            return ""
        if not isinstance(value, str | int | float):
            self.errors.append(f"{where}.{key}: {label} harus berupa teks.")
            return ""
        value = str(value).strip()
        if maxlen and len(value) > maxlen:
            self.errors.append(f"{where}.{key}: {label} paling panjang {maxlen} karakter.")
        return value

    def integer(self, data: dict, key: str, where: str, label: str, *, required: bool = True) -> int | None:
        value = data.get(key)
        if value is None:
            if required:
                self.errors.append(f"{where}.{key}: {label} wajib diisi.")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.errors.append(f"{where}.{key}: {label} harus bilangan bulat 0 atau lebih.")
            return None
        return value

    def string_list(self, data: dict, key: str, where: str, label: str, *, required: bool = False) -> list[str]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.errors.append(f"{where}.{key}: {label} harus berupa daftar teks.")
            return []
        if required and not value:
            self.errors.append(f"{where}.{key}: {label} wajib diisi (sedikitnya satu).")
        return [str(v).strip() for v in value if str(v).strip()]


def _parse_service(chk: _Checker, raw: Any, where: str) -> dict | None:
    if not isinstance(raw, dict):
        chk.errors.append(f"{where}: harus berupa pemetaan (kunci: nilai).")
        return None
    code = chk.text(raw, "code", where, "kode layanan", maxlen=60)
    if code:
        where = f"{where} ({code})"
    svc: dict[str, Any] = {"code": code}
    svc["name"] = chk.text(raw, "name", where, "nama layanan", maxlen=200)
    category = chk.text(raw, "category", where, "kategori")
    if category and category not in Category.values:
        chk.errors.append(f"{where}.category: kategori harus salah satu dari {', '.join(Category.values)}.")
    svc["category"] = category
    group = raw.get("group", "")
    if group and group not in Group.values:
        chk.errors.append(f"{where}.group: kelompok harus salah satu dari {', '.join(Group.values)}.")
    svc["group"] = group if isinstance(group, str) else ""
    svc["summary"] = chk.text(raw, "summary", where, "ringkasan", required=False)

    reqs = raw.get("requirements")
    svc["requirements"] = []
    if not isinstance(reqs, list) or not reqs:
        chk.errors.append(f"{where}.requirements: persyaratan wajib diisi (sedikitnya satu).")
    else:
        for i, item in enumerate(reqs):
            w = f"{where}.requirements[{i}]"
            if not isinstance(item, dict):
                chk.errors.append(f"{w}: harus berupa pemetaan dengan kunci document.")
                continue
            form = item.get("form", Requirement.Form.NONE)
            if form not in Requirement.Form.values:
                chk.errors.append(f"{w}.form: bentuk harus salah satu dari {', '.join(Requirement.Form.values)}.")
            count = chk.integer(item, "count", w, "jumlah", required=False)
            svc["requirements"].append(
                {
                    "order": i + 1,
                    "document": chk.text(item, "document", w, "nama dokumen", maxlen=300),
                    "form": form,
                    "count": count if count else 1,
                    "condition": chk.text(item, "condition", w, "syarat berlaku", required=False, maxlen=200),
                    "upload_accepted": bool(item.get("upload", False)),
                    "note": chk.text(item, "note", w, "catatan", required=False, maxlen=300),
                }
            )

    steps = raw.get("steps")
    svc["steps"] = []
    if not isinstance(steps, list) or not steps:
        chk.errors.append(f"{where}.steps: prosedur wajib diisi (sedikitnya satu langkah).")
    else:
        for i, item in enumerate(steps):
            w = f"{where}.steps[{i}]"
            if not isinstance(item, dict):
                chk.errors.append(f"{w}: harus berupa pemetaan dengan kunci actor dan action.")
                continue
            svc["steps"].append(
                {
                    "order": i + 1,
                    "actor": chk.text(item, "actor", w, "pelaksana", maxlen=100),
                    "action": chk.text(item, "action", w, "kegiatan", maxlen=400),
                    "duration_minutes": chk.integer(item, "minutes", w, "waktu (menit)", required=False),
                }
            )

    time = raw.get("time")
    if not isinstance(time, dict):
        chk.errors.append(f"{where}.time: jangka waktu pelayanan wajib diisi (value dan unit).")
        time = {}
    svc["time_value"] = chk.integer(time, "value", f"{where}.time", "jangka waktu")
    unit = time.get("unit")
    if time and unit not in ServiceVersion.TimeUnit.values:
        units = ", ".join(ServiceVersion.TimeUnit.values)
        chk.errors.append(f"{where}.time.unit: satuan waktu harus salah satu dari {units}.")
    svc["time_unit"] = unit
    svc["time_note"] = chk.text(time, "note", f"{where}.time", "keterangan waktu", required=False, maxlen=300)

    fee = raw.get("fee")
    if not isinstance(fee, dict) or "idr" not in fee:
        chk.errors.append(f"{where}.fee: biaya wajib diisi (idr: 0 untuk gratis, null jika sesuai perda).")
        fee = {}
    svc["fee_idr"] = chk.integer(fee, "idr", f"{where}.fee", "biaya", required=False)
    svc["fee_note"] = chk.text(fee, "note", f"{where}.fee", "keterangan biaya", required=False, maxlen=300)

    svc["output"] = chk.text(raw, "output", where, "produk pelayanan", maxlen=300)
    svc["complaint_handling"] = chk.text(raw, "complaint_handling", where, "penanganan pengaduan")
    svc["legal_basis"] = chk.string_list(raw, "legal_basis", where, "dasar hukum", required=True)

    management = raw.get("management")
    if not isinstance(management, dict):
        chk.errors.append(f"{where}.management: komponen pengelolaan (8 komponen) wajib diisi.")
        management = {}
    w = f"{where}.management"
    for key, label in MANAGEMENT.items():
        if key == "staff_count":
            svc[key] = chk.integer(management, key, w, label)
        else:
            svc[key] = chk.text(management, key, w, label)
    svc["staff_note"] = chk.text(management, "staff_note", w, "keterangan pelaksana", required=False, maxlen=200)
    svc["keywords"] = chk.string_list(raw, "keywords", where, "kata kunci")
    return svc


def _parse_days(spec: str) -> list[int] | None:
    """'Senin-Kamis' -> [0, 1, 2, 3]; 'Jumat' -> [4]; 'Senin, Rabu' -> [0, 2]."""
    days: list[int] = []
    for part in str(spec).lower().replace(" ", "").split(","):
        ends = part.split("-")
        if not all(e in DAY_NAMES for e in ends) or len(ends) > 2:
            return None
        first, last = DAY_NAMES.index(ends[0]), DAY_NAMES.index(ends[-1])
        if last < first:
            return None
        days.extend(range(first, last + 1))
    return days


def _parse_time(value: Any) -> dt.time | None:
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        return None


def _parse_office(chk: _Checker, raw: Any) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        chk.errors.append("office: harus berupa pemetaan.")
        return None
    office: dict[str, Any] = {}
    for key in OFFICE_TEXT_FIELDS:
        if key in raw:
            office[key] = chk.text(raw, key, "office", key, required=key == "name")
    hours: list[tuple[int, dt.time, dt.time]] = []
    for i, item in enumerate(raw.get("opening_hours") or []):
        w = f"office.opening_hours[{i}]"
        days = _parse_days(item.get("days", "")) if isinstance(item, dict) else None
        opens = _parse_time(item.get("open")) if isinstance(item, dict) else None
        closes = _parse_time(item.get("close")) if isinstance(item, dict) else None
        if days is None:
            chk.errors.append(f"{w}.days: hari tidak dikenali (contoh: Senin-Kamis, Jumat).")
        elif opens is None or closes is None or closes <= opens:
            chk.errors.append(f"{w}: jam buka/tutup harus HH:MM dan tutup setelah buka.")
        else:
            hours.extend((d, opens, closes) for d in days)
    office["opening_hours"] = hours
    facilities = []
    for i, item in enumerate(raw.get("facilities") or []):
        w = f"office.facilities[{i}]"
        if not isinstance(item, dict):
            chk.errors.append(f"{w}: harus berupa pemetaan dengan kunci code dan name.")
            continue
        facilities.append(
            {
                "code": chk.text(item, "code", w, "kode fasilitas", maxlen=60),
                "name": chk.text(item, "name", w, "nama fasilitas", maxlen=200),
                "description": chk.text(item, "description", w, "keterangan", required=False),
            }
        )
    office["facilities"] = facilities
    return office


def parse_catalogue(text: str) -> tuple[dict | None, list[dict]]:
    """Validate a catalogue file; raise CatalogueImportError listing every problem."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (baris {mark.line + 1}, kolom {mark.column + 1})" if mark else ""
        raise CatalogueImportError([f"Berkas YAML tidak valid{where}: {getattr(exc, 'problem', exc)}"]) from None
    if not isinstance(data, dict):
        raise CatalogueImportError(["Berkas harus berisi pemetaan dengan kunci 'services'."])
    chk = _Checker()
    if data.get("layan_catalogue", FORMAT_VERSION) != FORMAT_VERSION:
        chk.errors.append(f"layan_catalogue: versi format harus {FORMAT_VERSION}.")
    office = _parse_office(chk, data.get("office"))
    raw_services = data.get("services")
    if not isinstance(raw_services, list) or not raw_services:
        chk.errors.append("services: daftar layanan wajib diisi.")
        raw_services = []
    services = [s for i, raw in enumerate(raw_services) if (s := _parse_service(chk, raw, f"services[{i}]"))]
    codes = [s["code"] for s in services if s["code"]]
    for code in {c for c in codes if codes.count(c) > 1}:
        chk.errors.append(f"services: kode layanan '{code}' muncul lebih dari sekali.")
    if chk.errors:
        raise CatalogueImportError(chk.errors)
    return office, services


def _version_content(version: ServiceVersion) -> dict:
    content = {f: getattr(version, f) for f in _CONTENT_KEYS}
    content["requirements"] = [
        {f: getattr(r, f) for f in ("order", "document", "form", "count", "condition", "upload_accepted", "note")}
        for r in version.requirements.all()
    ]
    content["steps"] = [
        {f: getattr(s, f) for f in ("order", "actor", "action", "duration_minutes")} for s in version.steps.all()
    ]
    return content


def _apply_office(office: Office, data: dict) -> None:
    for key in OFFICE_TEXT_FIELDS:
        if key in data:
            setattr(office, key, data[key])
    office.save()
    if data["opening_hours"]:
        office.opening_hours.all().delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(office=office, weekday=d, opens=o, closes=c) for d, o, c in data["opening_hours"]
        )
    for order, fac in enumerate(data["facilities"]):
        Facility.objects.update_or_create(
            office=office,
            code=fac["code"],
            defaults={"name": fac["name"], "description": fac["description"], "order": order},
        )
    mark_office_changed(office)


def import_catalogue(office: Office, text: str, *, user=None, note: str = "") -> ImportResult:
    """Validate `text` (all-or-nothing) and apply it to `office`: new services published, changed ones
    republished, unchanged ones left alone."""
    return apply_catalogue(office, parse_catalogue(text), user=user, note=note)


@transaction.atomic
def apply_catalogue(
    office: Office, parsed: tuple[dict | None, list[dict]], *, user=None, note: str = ""
) -> ImportResult:
    """Apply a catalogue already validated by `parse_catalogue` (parse once, apply to many offices)."""
    office_data, services = parsed
    if office_data:
        _apply_office(office, office_data)
    result = ImportResult()
    existing = {s.code: s for s in office.services.select_related("current_version")}
    fresh = [(order, data) for order, data in enumerate(services) if data["code"] not in existing]
    if fresh:
        _create_published_services(office, fresh, user=user, note=note or "Impor YAML")
        result.created.extend(data["code"] for _, data in fresh)
    for order, data in enumerate(services):
        service = existing.get(data["code"])
        if service is None:
            continue
        if (service.order, service.group) != (order, data["group"]):
            service.order, service.group = order, data["group"]
            service.save(update_fields=["order", "group"])
            bump_catalogue_revision(office.pk)
        current = service.current_version
        content = {k: data[k] for k in _CONTENT_KEYS}
        if current is not None:
            existing_content = _version_content(current)
            if existing_content == content | {"requirements": data["requirements"], "steps": data["steps"]}:
                result.unchanged.append(service.code)
                continue
        service.versions.filter(status=ServiceVersion.Status.DRAFT).delete()
        draft = ServiceVersion.objects.create(service=service, office=office, **content)
        Requirement.objects.bulk_create(Requirement(version=draft, **r) for r in data["requirements"])
        Step.objects.bulk_create(Step(version=draft, **s) for s in data["steps"])
        publish_service_version(draft, user=user, note=note or "Impor YAML")
        (result.created if current is None else result.updated).append(service.code)
    return result


def _create_published_services(office: Office, fresh: list[tuple[int, dict]], *, user, note: str) -> None:
    """Version 1 of many new services in a handful of statements (what publishing each would write).

    A kabupaten loading twenty offices, and every test that loads the demo, would otherwise pay
    ~20 queries per service.
    """
    now = timezone.now()
    publisher = user if user is not None and user.is_authenticated else None
    created = Service.objects.bulk_create(
        [Service(office=office, code=data["code"], order=order, group=data["group"]) for order, data in fresh]
    )
    versions = ServiceVersion.objects.bulk_create(
        [
            ServiceVersion(
                service=service,
                office=office,
                number=1,
                status=ServiceVersion.Status.PUBLISHED,
                published_at=now,
                published_by=publisher,
                change_note=note,
                **{k: data[k] for k in _CONTENT_KEYS},
            )
            for service, (_, data) in zip(created, fresh, strict=True)
        ]
    )
    Requirement.objects.bulk_create(
        [
            Requirement(version=v, **r)
            for v, (_, data) in zip(versions, fresh, strict=True)
            for r in data["requirements"]
        ]
    )
    Step.objects.bulk_create(
        [Step(version=v, **st) for v, (_, data) in zip(versions, fresh, strict=True) for st in data["steps"]]
    )
    for service, version in zip(created, versions, strict=True):
        service.current_version = version
    Service.objects.bulk_update(created, ["current_version"])
    bump_catalogue_revision(office.pk)


def _export_service(service: Service) -> dict:
    v = service.current_version
    assert v is not None
    return {
        "code": service.code,
        "name": v.name,
        "category": v.category,
        "group": service.group,
        "summary": v.summary,
        "requirements": [
            {
                "document": r.document,
                "form": r.form,
                "count": r.count,
                "condition": r.condition,
                "upload": r.upload_accepted,
                "note": r.note,
            }
            for r in v.requirements.all()
        ],
        "steps": [{"actor": s.actor, "action": s.action, "minutes": s.duration_minutes} for s in v.steps.all()],
        "time": {"value": v.time_value, "unit": v.time_unit, "note": v.time_note},
        "fee": {"idr": v.fee_idr, "note": v.fee_note},
        "output": v.output,
        "complaint_handling": v.complaint_handling,
        "legal_basis": list(v.legal_basis),
        "management": {key: getattr(v, key) for key in MANAGEMENT_EXPORT_ORDER},
        "keywords": list(v.keywords),
    }


def _format_hours(office: Office) -> list[dict]:
    # "Senin-Kamis" ranges, in the file's own fixed day names (whatever the language), one entry per span.
    out: list[dict] = []
    for run in hour_runs(office.opening_hours.all()):
        days = DAY_NAMES[run.first].title() + (f"-{DAY_NAMES[run.last].title()}" if run.last != run.first else "")
        out.extend({"days": days, "open": f"{opens:%H:%M}", "close": f"{closes:%H:%M}"} for opens, closes in run.spans)
    return out


def export_catalogue(office: Office, *, include_office: bool = True) -> str:
    services = (
        office.services.filter(current_version__isnull=False)
        .select_related("current_version")
        .prefetch_related("current_version__requirements", "current_version__steps")
    )
    data: dict[str, Any] = {"layan_catalogue": FORMAT_VERSION}
    if include_office:
        data["office"] = {key: getattr(office, key) for key in OFFICE_TEXT_FIELDS} | {
            "opening_hours": _format_hours(office),
            "facilities": [
                {"code": f.code, "name": f.name, "description": f.description} for f in office.facilities.all()
            ],
        }
    data["services"] = [_export_service(s) for s in services]
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
