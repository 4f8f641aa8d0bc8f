"""The Django floor: one view returning a small JSON body, with no middleware and no database.

What Django itself costs per request on this machine, between the raw WSGI app and Layan's pages.
"""

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only",
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402


def hello(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("", hello)]
app = get_wsgi_application()
