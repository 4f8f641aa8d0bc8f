"""The JSON API: one NinjaAPI, each app's router mounted under /api/v1/."""

from django.urls import re_path
from ninja import NinjaAPI

from .catalogue import router as catalogue_router
from .errors import api_path_not_found, install_error_handlers
from .offices import router as offices_router

DESCRIPTION = """\
API publik Layan: data kantor kecamatan dan standar pelayanan setiap layanannya
(14 komponen menurut PermenPAN-RB 15/2014), hanya versi yang sudah terbit.

* Tanpa autentikasi, hanya baca.
* Semua daftar memakai `limit` (1–100) dan `offset`.
* Kesalahan dijawab dalam JSON berbahasa Indonesia: `{"detail": "..."}`;
  parameter yang tidak sah dijawab 422 dengan rincian di `errors`.
"""

TAGS = [
    {"name": "kantor", "description": "Kantor kecamatan: alamat, kanal kontak, jam layanan, fasilitas."},
    {"name": "layanan", "description": "Katalog layanan dan standar pelayanannya, termasuk versi lama."},
]


class LayanAPI(NinjaAPI):
    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        # Last, so it only answers paths no operation matched (e.g. a trailing slash or a typo).
        return [*patterns, re_path(r"^.*$", api_path_not_found, name="not-found")], app_name, namespace


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
