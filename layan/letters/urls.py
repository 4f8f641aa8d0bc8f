"""Letter URLs: the public key and the verification page (public, /<office>/…), and the staff pages
(/staf/<office>/surat/…). Mounted before the public catalogue, whose `<office>/…` would catch them."""

from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("staf/<slug:office>/surat/", views.staff_list, name="staff_list"),
    path("staf/<slug:office>/surat/pengaturan/", views.settings_page, name="settings"),
    path("staf/<slug:office>/surat/pengaturan/penanda-tangan/", views.save_signer, name="save_signer"),
    path("staf/<slug:office>/surat/templat/<slug:code>/", views.template_page, name="template"),
    path("staf/<slug:office>/surat/permohonan/<int:application>/", views.for_application, name="for_application"),
    path("staf/<slug:office>/surat/<int:pk>/", views.staff_letter, name="staff_letter"),
    path("staf/<slug:office>/surat/<int:pk>/draf.pdf", views.draft_pdf, name="draft_pdf"),
    path("staf/<slug:office>/surat/<int:pk>/surat.pdf", views.signed_pdf, name="signed_pdf"),
    path("staf/<slug:office>/surat/<int:pk>/tandatangani/", views.sign, name="sign"),
    path("staf/<slug:office>/surat/<int:pk>/cabut/", views.revoke, name="revoke"),
    path("<slug:office_slug>/kunci-publik.pem", views.public_key, name="public_key"),
    path("<slug:office_slug>/verifikasi/", views.verify_any, name="verify_any"),
    path("<slug:office_slug>/verifikasi/verify_letter.py", views.verifier_script, name="verifier_script"),
    path("<slug:office_slug>/verifikasi/<str:token>/", views.verify, name="verify"),
]
