"""A tiny urlconf for the PDF view tests, independent of the app's own urls.py."""

from django.urls import include, path

from layan.catalogue import pdf_views

catalogue_patterns = (
    [
        path("<slug:office_slug>/panduan.pdf", pdf_views.guidebook_pdf, name="guidebook"),
        path("<slug:office_slug>/layanan/<slug:code>/poster.pdf", pdf_views.poster_pdf, name="poster"),
    ],
    "catalogue",
)

urlpatterns = [path("", include(catalogue_patterns))]
