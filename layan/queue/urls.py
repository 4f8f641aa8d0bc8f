"""Queue URLs: staff pages under /staf/<office>/ (the counter console, statistics) and the
citizen's pages under /<office>/antrian/ (kiosk, web ticket, booking, a ticket's status)."""

from django.urls import path

from . import console, public, rules, statistics, voice

app_name = "queue"

STAFF = "staf/<slug:office>/"
PUBLIC = "<slug:office_slug>/antrian/"

urlpatterns = [
    path(STAFF + "loket/", console.counters, name="counters"),
    path(STAFF + "loket/<int:number>/", console.console, name="console"),
    path(STAFF + "loket/<int:number>/<slug:action>/", console.act, name="act"),
    path(STAFF + "antrian/aturan/", rules.rules, name="rules"),
    path(STAFF + "antrian/statistik/", statistics.stats, name="stats"),
    path(STAFF + "antrian/statistik.csv", statistics.stats_csv, name="stats_csv"),
    path(STAFF + "antrian/suara/", voice.voice, name="voice"),
    path(STAFF + "antrian/suara/<str:word>.wav", voice.listen, name="voice_listen"),
    path(STAFF + "antrian/suara/<str:word>/hapus/", voice.delete_clip, name="voice_delete"),
    path(PUBLIC, public.web_ticket, name="web_ticket"),
    path(PUBLIC + "kiosk/", public.kiosk, name="kiosk"),
    path(PUBLIC + "kiosk/hadir/", public.kiosk_check_in, name="kiosk_check_in"),
    path(PUBLIC + "kiosk/<str:token>/", public.kiosk_ticket, name="kiosk_ticket"),
    path(PUBLIC + "kiosk/<str:token>/cetak/", public.kiosk_print, name="kiosk_print"),
    path(PUBLIC + "janji/", public.booking, name="booking"),
    path(PUBLIC + "janji/<str:booking_code>/", public.booked, name="booked"),
    path(PUBLIC + "nomor/<str:token>/", public.status, name="status"),
    path(PUBLIC + "nomor/<str:token>/tiket.pdf", public.ticket_pdf, name="ticket_pdf"),
]
