"""Messaging URLs under fixed prefixes that cannot be office slugs: /staf/… and /channels/…"""

from django.urls import include, path

from . import simulator, views
from .channels import url_modules

app_name = "messaging"

urlpatterns = [
    path("staf/<slug:office>/pesan/", views.inbox, name="inbox"),
    path("staf/<slug:office>/pesan/<uuid:contact>/", views.conversation, name="conversation"),
    path("staf/<slug:office>/pesan/<uuid:contact>/ambil/", views.take, name="take"),
    path("staf/<slug:office>/pesan/<uuid:contact>/selesai/", views.done, name="done"),
    path("staf/<slug:office>/simulator/", simulator.simulator, name="simulator"),
]

# Each kind's webhooks, from its declaration: /channels/<kind>/<channel uuid>/…
urlpatterns += [
    path(  # type: ignore[misc]
        f"channels/{kind}/<uuid:channel_uuid>/", include(module)
    )
    for kind, module in url_modules().items()
]
