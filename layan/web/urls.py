from django.urls import path

from . import board, editor, profile, tokens, views, workspace

app_name = "web"

PROFILE = "staf/<slug:office_slug>/profil/"

urlpatterns = [
    path(PROFILE, profile.profile, name="profile"),
    path(PROFILE + "kontak/", profile.edit_contacts, name="profile_contacts"),
    path(PROFILE + "jam/", profile.edit_hours, name="profile_hours"),
    path(PROFILE + "libur/", profile.add_holiday, name="profile_holiday_add"),
    path(PROFILE + "libur/isi/", profile.seed_holidays, name="profile_holiday_seed"),
    path(PROFILE + "libur/<int:pk>/", profile.edit_holiday, name="profile_holiday"),
    path(PROFILE + "fasilitas/", profile.add_facility, name="profile_facility_add"),
    path(PROFILE + "fasilitas/<int:pk>/", profile.edit_facility, name="profile_facility"),
    path(PROFILE + "staf/", profile.add_officer, name="profile_member_add"),
    path(PROFILE + "staf/<int:pk>/", profile.edit_member, name="profile_member"),
    path(PROFILE + "token/", tokens.tokens, name="profile_tokens"),
    path(PROFILE + "token/baru/", tokens.create_token, name="profile_token_create"),
    path(PROFILE + "token/<int:pk>/cabut/", tokens.revoke_token, name="profile_token_revoke"),
    path("", views.office_list, name="office_list"),
    # Staff paths first: /staf/ is a fixed prefix, never an office slug.
    path("staf/", workspace.start, name="staff_start"),
    path("staf/masuk/", workspace.StaffLoginView.as_view(), name="staff_login"),
    path("staf/keluar/", workspace.StaffLogoutView.as_view(), name="staff_logout"),
    path("staf/<slug:office>/", workspace.home, name="workspace"),
    # The SOP editor (staff; /staf/<office>/… never matches the one-segment office home below).
    path("staf/<slug:office>/layanan/", editor.service_list, name="editor_list"),
    path("staf/<slug:office>/layanan/<slug:code>/", editor.edit, name="editor"),
    path("staf/<slug:office>/layanan/<slug:code>/terbitkan/", editor.publish, name="editor_publish"),
    path("staf/<slug:office>/layanan/<slug:code>/tampil/", editor.visibility, name="editor_visibility"),
    path("staf/<slug:office>/layanan/<slug:code>/pratinjau/", editor.preview, name="editor_preview"),
    path("staf/<slug:office>/layanan/<slug:code>/pratinjau/poster.pdf", editor.preview_poster, name="editor_poster"),
    # The waiting room's display board (a TV on the office LAN): page, its poll, the spoken calls.
    path("<slug:office_slug>/antrian/papan/", board.board, name="board"),
    path("<slug:office_slug>/antrian/papan.json", board.board_json, name="board_json"),
    path("<slug:office_slug>/antrian/suara/<str:name>.wav", board.board_audio, name="board_audio"),
    path("<slug:office_slug>/", views.office_home, name="office_home"),
]
