"""/api/v1/partner/…: included by the site's URLconf outside its language prefixes."""

from django.urls import path

from . import partner

app_name = "partner_api"

urlpatterns = [
    path("offers/", partner.OfferListView.as_view(), name="offers"),
    path("offers/<str:hsds_id>/", partner.OfferDetailView.as_view(), name="offer"),
]
