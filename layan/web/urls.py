from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.office_list, name="office_list"),
    path("<slug:office_slug>/", views.office_home, name="office_home"),
]
