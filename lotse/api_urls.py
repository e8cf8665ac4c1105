"""Lotse's APIs: what its schema view describes (`lotse.openapi.SchemaView`)."""

from django.urls import include, path

from network.health import HealthView

urlpatterns = [
    path("api/v1/health/", HealthView.as_view(), name="api-health"),
    path("api/v1/search/", include("search.api")),
    path("api/v1/", include("handover.api")),
    path("api/v1/partner/", include("directory.api.urls")),
    path("api/hsds/", include("directory.hsds.urls")),
]
