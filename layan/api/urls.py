"""The JSON API: one NinjaAPI, each app's router mounted under /api/v1/."""

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path, reverse
from django.views.decorators.http import require_safe
from ninja import NinjaAPI

from .catalogue import router as catalogue_router
from .errors import api_path_not_found, install_error_handlers
from .offices import router as offices_router

DESCRIPTION = """\
API publik Layan: data kantor kecamatan dan standar pelayanan setiap layanannya
(14 komponen menurut PermenPAN-RB 15/2014), hanya versi yang sudah terbit.

* Data kantor dan layanan, antrian, pengajuan dan pelacakan permohonan: tanpa autentikasi;
  pengajuan dan pelacakan dibatasi per alamat jaringan (429 dengan `Retry-After`).
* Endpoint staf (`/staff/…`): token API kantor, `Authorization: Bearer lyn_…`, dibuat admin kantor;
  hanya permohonan kantor pemilik token, dan token pemantau hanya membaca.
* Semua daftar memakai `limit` (1–100) dan `offset`.
* Kesalahan dijawab dalam JSON berbahasa Indonesia: `{"detail": "..."}`;
  parameter yang tidak sah dijawab 422 dengan rincian di `errors`.
"""

TAGS = [
    {"name": "kantor", "description": "Kantor kecamatan: alamat, kanal kontak, jam layanan, fasilitas."},
    {"name": "layanan", "description": "Katalog layanan dan standar pelayanannya, termasuk versi lama."},
    {"name": "antrian", "description": "Antrian loket: ambil nomor, papan panggilan."},
    {"name": "permohonan", "description": "Ajukan permohonan dan lacak statusnya dengan kode lacak."},
    {"name": "permohonan (staf)", "description": "Daftar, rincian dan perubahan status permohonan, dengan token API."},
]


class LayanAPI(NinjaAPI):
    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        # The index first; the catch-all last, so it only answers paths no operation matched
        # (e.g. a trailing slash or a typo).
        return (
            [path("", api_index, name="index"), *patterns, re_path(r"^.*$", api_path_not_found, name="not-found")],
            app_name,
            namespace,
        )


@require_safe
def api_index(request: HttpRequest) -> JsonResponse:
    """`/api/v1/`: where to start, as JSON (links to the OpenAPI document, its docs and the main lists)."""
    base = reverse("api:index")
    return JsonResponse(
        {
            "name": "Layan API",
            "version": "1",
            "description": "API publik Layan: data kantor kecamatan dan standar pelayanannya, hanya baca.",
            "links": {
                "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
                "docs": request.build_absolute_uri(reverse("api:openapi-view")),
                "offices": request.build_absolute_uri(base + "offices"),
                "office": request.build_absolute_uri(base) + "offices/{slug}",
                "services": request.build_absolute_uri(base) + "offices/{slug}/services",
                "service": request.build_absolute_uri(base) + "offices/{slug}/services/{code}",
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


api = LayanAPI(
    title="Layan API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_extra={"tags": TAGS},
)
install_error_handlers(api)
api.add_router("/", offices_router)
api.add_router("/", catalogue_router)
api.add_router("/", "layan.api.queue.router")
api.add_router("/", "layan.api.applications.router")
