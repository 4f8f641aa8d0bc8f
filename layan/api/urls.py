"""The JSON API: one NinjaAPI, each app's router mounted under /api/v1/."""

from ninja import NinjaAPI

from layan.catalogue.api import router as catalogue_router

api = NinjaAPI(
    title="Layan API",
    version="1",
    description="Katalog standar pelayanan kantor kecamatan (PermenPAN-RB 15/2014).",
    urls_namespace="api",
)
api.add_router("/", catalogue_router)
