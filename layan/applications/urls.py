"""Application pages: public ones under /<office>/…, staff ones under the fixed prefix /staf/<office>/permohonan/."""

from django.urls import path

from . import staff, views

app_name = "applications"

STAFF = "staf/<slug:office>/permohonan/"

urlpatterns = [
    path(STAFF, staff.queue, name="queue"),
    path(STAFF + "baru/", staff.register, name="register"),
    path(STAFF + "massal/", staff.bulk, name="bulk"),
    path(STAFF + "<int:pk>/", staff.detail, name="detail"),
    path(STAFF + "<int:pk>/status/", staff.status, name="status"),
    path(STAFF + "<int:pk>/tugaskan/", staff.assign, name="assign"),
    path(STAFF + "<int:pk>/nik/", staff.reveal_nik, name="reveal_nik"),
    path(STAFF + "<int:pk>/syarat/<int:check>/", staff.check, name="check"),
    path(STAFF + "<int:pk>/tanda-terima/", staff.receipt, name="receipt"),
    path(STAFF + "<int:pk>/berkas/<int:attachment>/", staff.download, name="download"),
    path("<slug:office_slug>/layanan/<slug:code>/ajukan/", views.apply, name="apply"),
    path("<slug:office_slug>/lacak/", views.lookup, name="lookup"),
    path("<slug:office_slug>/lacak/<str:tracking>/", views.track, name="track"),
    path("<slug:office_slug>/lacak/<str:tracking>/terkirim/", views.submitted, name="submitted"),
]
