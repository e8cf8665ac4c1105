"""Public URLs of the network app; included inside the site's `i18n_patterns`."""

from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path(
        "einladung/<str:token>/",
        views.AcceptInvitationView.as_view(),
        name="invitation_accept",
    ),
]
