"""Messaging URLs under fixed prefixes that cannot be office slugs: /staf/… and /channels/…"""

from django.urls import include, path

from . import views
from .channels import channel_url_modules
from .channels.test import views as simulator_views

app_name = "messaging"

urlpatterns = [
    path("staf/<slug:office>/pesan/", views.inbox, name="inbox"),
    path("staf/<slug:office>/pesan/<uuid:contact>/", views.conversation, name="conversation"),
    path("staf/<slug:office>/simulator/", simulator_views.simulator, name="simulator"),
]

# Each channel folder's webhooks: /channels/<kind>/<channel uuid>/…
urlpatterns += [
    path(  # type: ignore[misc]
        f"channels/{kind}/<uuid:channel_uuid>/", include(module)
    )
    for kind, module in channel_url_modules().items()
]
