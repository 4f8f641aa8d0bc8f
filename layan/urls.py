from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from layan.api.urls import api

admin.site.site_header = "Layan — administrasi kantor"
admin.site.site_title = "Layan"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Choosing one's own language is harmless, so the form needs no CSRF token: public pages then
    # carry no per-visitor token, set no cookie and are served whole from the page cache.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("layan.messaging.urls")),
    path("staf/", include("layan.telephone.urls")),
    path("", include("layan.announcements.urls")),
    path("", include("layan.letters.urls")),
    path("", include("layan.applications.urls")),
    path("", include("layan.queue.urls")),
    # Public pages last: /<office>/… catches everything else.
    path("", include("layan.web.urls")),
    path("", include("layan.catalogue.urls")),
]
