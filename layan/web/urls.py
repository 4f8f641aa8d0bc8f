from django.urls import path

from . import views, workspace

app_name = "web"

urlpatterns = [
    path("", views.office_list, name="office_list"),
    # Staff paths first: /staf/ is a fixed prefix, never an office slug.
    path("staf/", workspace.start, name="staff_start"),
    path("staf/masuk/", workspace.StaffLoginView.as_view(), name="staff_login"),
    path("staf/keluar/", workspace.StaffLogoutView.as_view(), name="staff_logout"),
    path("staf/<slug:office>/", workspace.home, name="workspace"),
    path("<slug:office_slug>/", views.office_home, name="office_home"),
]
