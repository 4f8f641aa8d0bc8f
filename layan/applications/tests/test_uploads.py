"""Uploads: what a citizen may attach, and what an attacker cannot slip through (issue 11 item 9)."""

import io
import stat
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from layan.applications import uploads
from layan.applications.uploads import DocumentField, UploadRejected, clean_upload, store_upload


def jpeg(*, gps: bool = False, size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    if gps:
        exif[ExifTags.Base.Make] = "PonselKu"
        ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        ifd[ExifTags.GPS.GPSLatitudeRef] = "S"
        ifd[ExifTags.GPS.GPSLatitude] = (4.0, 31.0, 12.0)
        ifd[ExifTags.GPS.GPSLongitudeRef] = "E"
        ifd[ExifTags.GPS.GPSLongitude] = (104.0, 2.0, 30.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 128, 0, 255)).save(out, format="PNG")
    return out.getvalue()


def pdf(prefix: bytes = b"", suffix: bytes = b"", body: bytes = b"") -> bytes:
    """A small, well-formed one-page PDF (offsets in the xref table are exact)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + body + b">>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return prefix + bytes(out) + suffix


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("run.sh", "#!/bin/sh\necho pwned\n")
    return out.getvalue()


def clean(data: bytes, name: str = "dokumen"):
    return clean_upload(io.BytesIO(data), name=name, size=len(data))


def test_a_pdf_a_jpeg_and_a_png_are_accepted_by_their_content():
    assert clean(pdf(), "ktp.pdf").content_type == "application/pdf"
    assert clean(jpeg(), "foto.jpg").content_type == "image/jpeg"
    assert clean(png(), "scan.png").content_type == "image/png"
    # The name does not matter either way: a real PNG called .pdf is a PNG.
    assert clean(png(), "scan.pdf").extension == "png"


@pytest.mark.parametrize(
    "content",
    [
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200,  # a Linux program
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,  # a Windows program
        b"#!/bin/sh\nrm -rf /\n",
        b"<html><script>alert(1)</script></html>",
    ],
)
def test_a_renamed_program_or_page_is_refused(content):
    with pytest.raises(UploadRejected, match="Hanya berkas PDF, JPG atau PNG"):
        clean(content, "ktp.jpg")


def test_a_pdf_behind_an_html_prefix_is_refused():
    # Browsers and some PDF readers find a header anywhere in the first KiB; we want it at byte 0.
    with pytest.raises(UploadRejected):
        clean(pdf(prefix=b"<html><body><script>fetch('/staf/')</script>\n"), "surat.pdf")


def test_a_pdf_with_a_zip_appended_is_refused():
    with pytest.raises(UploadRejected, match="PDF rusak"):
        clean(pdf(suffix=zip_bytes()), "surat.pdf")


def test_a_pdf_with_a_zip_inside_its_last_bytes_is_refused():
    # A ZIP reader finds the directory near the end even when %%EOF comes after it.
    with pytest.raises(UploadRejected, match="PDF rusak"):
        clean(pdf(body=b"/Junk (" + zip_bytes().replace(b")", b"") + b") "), "surat.pdf")


def test_a_pdf_without_its_trailer_is_refused():
    with pytest.raises(UploadRejected, match="PDF rusak"):
        clean(pdf()[:-30], "surat.pdf")


def test_a_pdf_with_javascript_is_refused():
    action = b"/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> "
    with pytest.raises(UploadRejected, match="skrip"):
        clean(pdf(body=action), "surat.pdf")


@pytest.mark.parametrize("tail", [zip_bytes(), b"<script>alert(document.cookie)</script>"])
def test_a_jpeg_polyglot_is_stored_without_what_was_appended(tail):
    data = jpeg() + tail
    assert zipfile.is_zipfile(io.BytesIO(data)) == tail.startswith(b"PK")
    result = clean(data, "foto.jpg")
    assert result.content_type == "image/jpeg"
    assert tail not in result.content and b"PK\x03\x04" not in result.content and b"<script" not in result.content
    assert not zipfile.is_zipfile(io.BytesIO(result.content))
    assert Image.open(io.BytesIO(result.content)).size == (64, 48)


def test_gps_and_other_exif_are_removed_from_photos():
    original = jpeg(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has GPS
    result = clean(original, "foto.jpg")
    exif = Image.open(io.BytesIO(result.content)).getexif()
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert ExifTags.Base.Make not in exif
    assert b"Exif" not in result.content and b"PonselKu" not in result.content


def test_a_photo_taken_sideways_keeps_its_orientation_after_exif_is_dropped():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotate 90° clockwise to view
    out = io.BytesIO()
    Image.new("RGB", (60, 20)).save(out, format="JPEG", exif=exif)
    result = clean(out.getvalue())
    assert Image.open(io.BytesIO(result.content)).size == (20, 60)


def test_a_corrupt_image_is_refused_with_a_message():
    with pytest.raises(UploadRejected, match="Gambar rusak"):
        clean(b"\xff\xd8\xff\xe0" + b"\x00" * 100)


def test_an_oversized_file_is_refused(settings):
    settings.LAYAN_UPLOAD_MAX_BYTES = 1024
    big = pdf(body=b"/Pad (" + b"x" * 2000 + b") ")
    with pytest.raises(UploadRejected, match="terlalu besar: paling besar 1 KB"):
        clean(big)
    # A client that lies about the size is caught when reading.
    with pytest.raises(UploadRejected, match="terlalu besar"):
        clean_upload(io.BytesIO(big), name="x.pdf", size=10)


def test_the_limit_is_five_megabytes_by_default(settings):
    assert uploads.max_upload_bytes() == 5 * 1024 * 1024
    with pytest.raises(UploadRejected, match="paling besar 5 MB"):
        clean_upload(io.BytesIO(b"%PDF-"), name="x.pdf", size=5 * 1024 * 1024 + 1)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\ktp.pdf", "ktp.pdf"),
        ("/var/lib/layan/uploads/aa/x.pdf", "x.pdf"),
        ("..", "berkas"),
        ("ktp\x00.exe.pdf", "ktp.exe.pdf"),
        ("kartu keluarga.pdf", "kartu keluarga.pdf"),
    ],
)
def test_path_traversal_in_the_file_name_never_reaches_the_disk(settings, tmp_path, name, shown):
    settings.LAYAN_UPLOAD_DIR = tmp_path / "uploads"
    result = clean(pdf(), name)
    assert result.original_name == shown
    stored = store_upload(result)
    assert uploads.STORED_NAME.match(stored)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [tmp_path / "uploads" / stored[:2] / stored]
    assert files[0].read_bytes() == result.content


def test_stored_files_are_private_and_random(settings, tmp_path):
    settings.LAYAN_UPLOAD_DIR = tmp_path / "uploads"
    a, b = store_upload(clean(png(), "a.png")), store_upload(clean(png(), "a.png"))
    assert a != b
    path = uploads.stored_path(a)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "uploads").stat().st_mode) == 0o700
    with uploads.open_stored(a) as f:
        assert f.read().startswith(b"\x89PNG")
    uploads.remove_stored(a)
    assert not path.exists()


@pytest.mark.parametrize("name", ["../secret.pdf", "a/../../b.pdf", "ABCDEF.pdf", "0" * 32 + ".exe", ""])
def test_only_names_made_by_the_store_are_opened(name):
    with pytest.raises(ValueError):
        uploads.stored_path(name)


def test_the_upload_directory_may_not_be_a_static_one(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.LAYAN_UPLOAD_DIR = tmp_path / "static" / "uploads"
    with pytest.raises(ImproperlyConfigured):
        uploads.upload_root()


def test_the_default_upload_directory_is_private_under_var(settings):
    root = uploads.upload_root()
    assert root == (settings.VAR_DIR / "uploads").resolve()
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


def test_the_form_field_gives_the_citizen_the_reason():
    field = DocumentField()
    assert field.clean(None) is None
    upload = SimpleUploadedFile("ktp.jpg", b"MZ\x90\x00" + b"\x00" * 50, content_type="image/jpeg")
    with pytest.raises(UploadRejected) as info:
        field.clean(upload)
    assert "PDF, JPG atau PNG" in info.value.messages[0]
    ok = field.clean(SimpleUploadedFile("ktp.png", png(), content_type="application/octet-stream"))
    assert ok.content_type == "image/png" and ok.original_name == "ktp.png"
