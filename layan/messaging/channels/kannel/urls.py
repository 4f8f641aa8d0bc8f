from django.urls import path

from . import views

app_name = "kannel"

urlpatterns = [
    path("receive/", views.receive, name="receive"),
    path("dlr/", views.delivery_report, name="delivery_report"),
]
