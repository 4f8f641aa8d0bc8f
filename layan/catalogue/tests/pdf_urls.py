"""The project's URLs with the two PDF routes pointing straight at `pdf_views`.

The view tests use this so they exercise these views whatever the app's urls.py wires; the rest
of the project's routes stay because the 404 page and the base template reverse them.
"""

from django.urls import URLResolver, include, path

from layan import urls as project_urls
from layan.catalogue import pdf_views
from layan.catalogue import urls as catalogue_urls

PDF_ROUTES = [
    path("<slug:office_slug>/panduan.pdf", pdf_views.guidebook_pdf, name="guidebook"),
    path("<slug:office_slug>/layanan/<slug:code>/poster.pdf", pdf_views.poster_pdf, name="poster"),
]
catalogue_routes = PDF_ROUTES + [
    p for p in catalogue_urls.urlpatterns if getattr(p, "name", None) not in {"guidebook", "poster"}
]

urlpatterns = [
    p for p in project_urls.urlpatterns if not (isinstance(p, URLResolver) and p.namespace == catalogue_urls.app_name)
] + [path("", include((catalogue_routes, catalogue_urls.app_name)))]
