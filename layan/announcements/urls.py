"""Announcement URLs. Mounted before the public catalogue, whose `<office>/…` would catch the
public paths; staff pages sit under /staf/ like the other staff pages."""

from django.urls import path

from layan.offices.http import public_page

from . import feeds, views

app_name = "announcements"

urlpatterns = [
    path("staf/<slug:office>/pengumuman/", views.staff_list, name="staff_list"),
    path("staf/<slug:office>/pengumuman/baru/", views.staff_create, name="staff_create"),
    path("staf/<slug:office>/pengumuman/<int:pk>/", views.staff_edit, name="staff_edit"),
    path("staf/<slug:office>/pengumuman/<int:pk>/terbitkan/", views.staff_publish, name="staff_publish"),
    path("staf/<slug:office>/pengumuman/<int:pk>/batalkan/", views.staff_cancel, name="staff_cancel"),
    path("staf/<slug:office>/pengumuman/<int:pk>/tarik/", views.staff_withdraw, name="staff_withdraw"),
    path("<slug:office_slug>/pengumuman/", views.public_list, name="list"),
    path("<slug:office_slug>/pengumuman/feed.xml", public_page(feeds.AnnouncementFeed()), name="rss"),
    path("<slug:office_slug>/pengumuman/atom.xml", public_page(feeds.AnnouncementAtomFeed()), name="atom"),
    path("<slug:office_slug>/pengumuman/<int:pk>/", views.public_detail, name="detail"),
]
