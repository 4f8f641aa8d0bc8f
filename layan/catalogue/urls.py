from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.office_list, name="office_list"),
]
