"""Forms of the SOP editor: a version's 14 components, and its requirement and step rows."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layan.catalogue.models import Requirement, ServiceVersion
from layan.catalogue.services import CONTENT_FIELDS

# The components of PermenPAN-RB 15/2014, with the help an officer reads under each field.
HELP = {
    "name": _("Nama layanan seperti yang dikenal warga, mis. “Surat Keterangan Tidak Mampu”."),
    "category": _("Perizinan atau non-perizinan: menentukan kelompok di daftar layanan dan buku panduan."),
    "summary": _("Satu atau dua kalimat: untuk apa layanan ini dan siapa yang membutuhkannya."),
    "time_value": _("Komponen 3, jangka waktu: berapa lama sejak berkas lengkap sampai produk selesai."),
    "time_unit": _("Hari kerja, jam atau menit."),
    "time_note": _("Mis. “jika berkas lengkap dan blanko tersedia”."),
    "fee_idr": _("Komponen 4, biaya/tarif dalam rupiah: 0 berarti gratis; kosongkan jika diatur peraturan daerah."),
    "fee_note": _("Mis. dasar tarif atau cara membayar."),
    "output": _("Komponen 5, produk pelayanan: apa yang diterima warga, mis. “KTP-el”."),
    "complaint_handling": _("Komponen 6: ke mana dan bagaimana warga menyampaikan pengaduan, saran dan masukan."),
    "legal_basis": _("Komponen 7, dasar hukum: satu peraturan per baris, mis. “UU No. 23 Tahun 2006”."),
    "facilities": _("Komponen 8: sarana, prasarana dan/atau fasilitas yang dipakai untuk layanan ini."),
    "competence": _("Komponen 9: pengetahuan dan keterampilan yang harus dimiliki pelaksana."),
    "supervision": _("Komponen 10: siapa yang mengawasi pelaksanaan layanan di kantor dan bagaimana."),
    "staff_count": _("Komponen 11: jumlah pelaksana yang melayani."),
    "staff_note": _("Mis. jabatan para pelaksana."),
    "guarantee": _("Komponen 12: jaminan pelayanan yang dijanjikan kepada warga."),
    "security": _("Komponen 13: jaminan keamanan dan keselamatan pelayanan (mis. kerahasiaan data)."),
    "evaluation": _("Komponen 14: cara dan jadwal evaluasi kinerja pelaksana."),
    "keywords": _(
        "Kata yang dipakai warga saat bertanya lewat SMS atau pencarian, satu per baris: “akte”, “bikin kk”."
    ),
}
LIST_FIELDS = ["legal_basis", "keywords"]
MAX_LIST_ITEMS = 50
MAX_ITEM_LENGTH = 300


class LinesField(forms.CharField):
    """A list of strings edited as text, one item per line (empty lines are dropped)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        items = [line.strip() for line in text.splitlines() if line.strip()]
        if len(items) > MAX_LIST_ITEMS:
            raise ValidationError(_("Paling banyak %(n)d baris."), params={"n": MAX_LIST_ITEMS})
        if any(len(item) > MAX_ITEM_LENGTH for item in items):
            raise ValidationError(_("Satu baris paling panjang %(n)d huruf."), params={"n": MAX_ITEM_LENGTH})
        return items

    def has_changed(self, initial, data) -> bool:
        return self.to_python(data) != (initial or [])


class VersionForm(forms.ModelForm):
    legal_basis = LinesField(label=_("Dasar hukum"), required=False)
    keywords = LinesField(label=_("Kata kunci"), required=False)

    class Meta:
        model = ServiceVersion
        fields = CONTENT_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "complaint_handling": forms.Textarea(attrs={"rows": 3}),
            "facilities": forms.Textarea(attrs={"rows": 3}),
            "competence": forms.Textarea(attrs={"rows": 2}),
            "supervision": forms.Textarea(attrs={"rows": 2}),
            "guarantee": forms.Textarea(attrs={"rows": 2}),
            "security": forms.Textarea(attrs={"rows": 2}),
            "evaluation": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = HELP
        error_messages = {
            "name": {"required": _("Nama layanan wajib diisi.")},
            "time_value": {"required": _("Jangka waktu wajib diisi."), "invalid": _("Isi dengan angka.")},
            "output": {"required": _("Produk layanan wajib diisi.")},
            "complaint_handling": {"required": _("Penanganan pengaduan wajib diisi.")},
            "staff_count": {"required": _("Jumlah pelaksana wajib diisi."), "invalid": _("Isi dengan angka.")},
            "fee_idr": {"invalid": _("Isi dengan angka rupiah tanpa titik, mis. 50000.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.help_text = HELP.get(name, field.help_text)
        self.fields["legal_basis"].help_text = HELP["legal_basis"]
        self.fields["keywords"].help_text = HELP["keywords"]

    def content(self) -> dict:
        """The cleaned fields, in the form `save_draft` takes."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RowForm(forms.Form):
    """One ordered row. A row left entirely blank (a row just added and not filled in) is ignored."""

    TEXT_FIELDS: list[str] = []

    def has_changed(self) -> bool:
        return any((self.data.get(self.add_prefix(name)) or "").strip() for name in self.TEXT_FIELDS)

    def row(self) -> dict:
        return dict(self.cleaned_data)


class RequirementForm(RowForm):
    TEXT_FIELDS = ["document", "condition", "note"]

    document = forms.CharField(
        label=_("Dokumen/syarat"),
        max_length=300,
        error_messages={"required": _("Nama dokumen wajib diisi.")},
    )
    form = forms.ChoiceField(label=_("Bentuk"), choices=Requirement.Form.choices, initial=Requirement.Form.NONE)
    count = forms.IntegerField(
        label=_("Jumlah"),
        min_value=1,
        max_value=99,
        initial=1,
        error_messages={"required": _("Isi jumlah lembar."), "invalid": _("Isi dengan angka.")},
    )
    condition = forms.CharField(
        label=_("Berlaku jika"), max_length=200, required=False, help_text=_("mis. “jika hilang”; kosong: selalu.")
    )
    upload_accepted = forms.BooleanField(label=_("Boleh diunggah"), required=False)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)


class StepForm(RowForm):
    TEXT_FIELDS = ["actor", "action"]

    actor = forms.CharField(
        label=_("Pelaksana"), max_length=100, error_messages={"required": _("Pelaksana wajib diisi.")}
    )
    action = forms.CharField(
        label=_("Kegiatan"), max_length=400, error_messages={"required": _("Kegiatan wajib diisi.")}
    )
    duration_minutes = forms.IntegerField(
        label=_("Waktu (menit)"),
        min_value=0,
        max_value=100000,
        required=False,
        error_messages={"invalid": _("Isi dengan angka.")},
    )


RequirementFormSet = forms.formset_factory(RequirementForm, extra=0, max_num=100, absolute_max=100)
StepFormSet = forms.formset_factory(StepForm, extra=0, max_num=100, absolute_max=100)
