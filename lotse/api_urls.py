"""Lotse's APIs: what its schema view describes (`lotse.openapi.SchemaView`)."""

from django.urls import include, path

from lotse.network.health import HealthView

urlpatterns = [
    path("api/v1/health/", HealthView.as_view(), name="api-health"),
    path("api/v1/search/", include("lotse.search.api")),
    path("api/v1/", include("lotse.handover.api")),
    path("api/v1/partner/", include("lotse.directory.api.urls")),
    path("api/hsds/", include("lotse.directory.hsds.urls")),
]
