"""Staff pages of the telephone line, mounted under /staf/ (a fixed prefix: /<office>/ is public)."""

from django.urls import path

from . import views

app_name = "phone"

urlpatterns = [
    path("<slug:office>/telepon/", views.dashboard, name="dashboard"),
    path("<slug:office>/telepon/pesan/<int:pk>/audio.wav", views.voice_audio, name="voice_audio"),
    path("<slug:office>/telepon/pesan/<int:pk>/selesai/", views.voice_handled, name="voice_handled"),
    path("<slug:office>/telepon/panggilan/<int:pk>/", views.call_back, name="call_back"),
]
