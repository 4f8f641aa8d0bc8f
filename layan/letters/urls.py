"""Letter URLs: the public key and the verification pages (public, /<office>/…), and the staff pages
(/staf/<office>/surat/…). Mounted before the public catalogue, whose `<office>/…` would catch them."""

from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("<slug:office_slug>/kunci-publik.pem", views.public_key, name="public_key"),
]
