from django.urls import path

from . import views

app_name = "android"

urlpatterns = [
    path("webhook/", views.webhook, name="webhook"),
]
