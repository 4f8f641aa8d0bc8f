"""Schemas shared by every router: errors, pagination and the public path parameters."""

from typing import Any

from ninja import Field, Path, Schema

from layan.applications import tracking

# Path parameters are checked before any query runs: a code or slug can only be what a SlugField
# stores, so odd bytes (NUL, slashes, 10 kB strings) are a 422 here, never a database error.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_MAX_LENGTH = 60
DEMO_OFFICE_SLUG = "kisam-tinggi"
DEMO_SERVICE_CODE = "ktp-el"
# The demo application the fuzz test creates, so the tracking examples answer 200.
DEMO_TRACKING_NUMBER = 0x2A_1B2C_3D4E
DEMO_TRACKING_CODE = tracking.encode(DEMO_TRACKING_NUMBER)


class ErrorResponse(Schema):
    """A 4xx answer: one sentence in Bahasa Indonesia."""

    detail: str = Field(..., examples=["Kantor tidak ditemukan"])


class ValidationIssue(Schema):
    location: str = Field(..., description="Bagian permintaan: path atau query.", examples=["query"])
    field: str = Field(..., examples=["q"])
    message: str = Field(..., examples=["paling banyak 200 karakter"])
    type: str = Field(..., description="Kode kesalahan (pydantic), untuk program.")


class ValidationErrorResponse(Schema):
    """A 422 answer: a readable summary and one entry per invalid parameter."""

    detail: str = Field(..., examples=["Parameter 'q' paling banyak 200 karakter."])
    errors: list[ValidationIssue]


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=100, description="Jumlah butir per halaman (1–100).")
    # Bounded so a huge offset is a clear 422 rather than an integer overflow in the database.
    offset: int = Field(0, ge=0, le=100_000, description="Lewati sebanyak ini butir dari awal.")


ERROR_RESPONSES = {404: ErrorResponse, 422: ValidationErrorResponse}


def office_slug_path() -> Any:
    return Path(
        ...,
        pattern=SLUG_PATTERN,
        max_length=SLUG_MAX_LENGTH,
        description="Slug kantor, seperti pada alamat web kantor.",
        example=DEMO_OFFICE_SLUG,
    )


def service_code_path() -> Any:
    return Path(
        ...,
        pattern=SLUG_PATTERN,
        max_length=SLUG_MAX_LENGTH,
        description="Kode tetap layanan (dipakai juga di SMS dan alamat web).",
        example=DEMO_SERVICE_CODE,
    )


# Readable descriptions for the documented error answers (ninja would write "Not Found").
# Integer status keys: ninja merges these into its own response map, which is keyed by int.
NOT_FOUND_DOC = {"responses": {404: {"description": "Kantor, layanan atau versi tidak ditemukan"}}}
INVALID_DOC = {"responses": {422: {"description": "Parameter tidak sah; rinciannya di `errors`"}}}
ERROR_DOCS = {"responses": NOT_FOUND_DOC["responses"] | INVALID_DOC["responses"]}
