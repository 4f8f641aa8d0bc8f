from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("<slug:office_slug>/cari", views.search, name="search"),
    path("<slug:office_slug>/panduan.pdf", views.guidebook, name="guidebook"),
    path("<slug:office_slug>/layanan/<slug:code>/", views.service_detail, name="service"),
    path("<slug:office_slug>/layanan/<slug:code>/versi/<int:number>/", views.service_version, name="service_version"),
    path("<slug:office_slug>/layanan/<slug:code>/poster.pdf", views.poster, name="poster"),
]
