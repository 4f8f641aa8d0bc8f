"""Two tiny views for test_ratelimit: one decorated, one raising RateLimited itself (JSON path),
before the site's own URLs."""

from django.http import HttpResponse
from django.urls import path

from layan.offices.ratelimit import TRACKING, check, limit_rate
from layan.urls import urlpatterns as site_urlpatterns


@limit_rate(TRACKING)
def decorated(request):
    return HttpResponse("ok")


def checks_inside(request):
    check(request, TRACKING)
    return HttpResponse("ok")


urlpatterns = [
    path("lacak/", decorated),
    path("api/v1/lacak/", checks_inside),
    *site_urlpatterns,  # the 429 page's layout links to the site
]
