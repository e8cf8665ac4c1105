"""Lotse's API description, served by its own schema view with its own settings.

The view carries drf-spectacular's settings itself (`custom_settings`), so a host site's
`SPECTACULAR_SETTINGS` (or none) changes nothing here, and it walks only Lotse's URL patterns,
so a host's own DRF or Wagtail API never appears in Lotse's description.
"""

from drf_spectacular.views import SpectacularAPIView

SCHEMA_SETTINGS = {
    "TITLE": "Lotse API",
    "DESCRIPTION": "Warm handovers between advisers and partner contacts; partner "
    "organisations' own systems keep their offers current (tag Partner).",
    "VERSION": "1.0.0",
    # 3.1: schemas are JSON Schema 2020-12, the dialect of the official HSDS 3.0 schemas.
    "OAS_VERSION": "3.1.0",
    "COMPONENT_SPLIT_REQUEST": True,
    # Only Lotse's /api/…: not Wagtail's admin API, nor a host site's DRF views.
    "PREPROCESSING_HOOKS": ["lotse.handover.api.api_endpoints_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lotse.network.openapi.clean_up",
        # The official HSDS 3.0 schemas, which the HSDS operations refer to.
        "lotse.directory.hsds.openapi.add_components",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DeclineReasonEnum": "lotse.handover.models.DeclineReason",
        "OutcomeEnum": "lotse.handover.models.Outcome",
        # Both APIs have a "status": without names here both would get hashed ones.
        "HandoverStatusEnum": "lotse.handover.models.Status",
        "OfferStatusEnum": "lotse.directory.services.OFFER_STATUSES",
    },
}


class SchemaView(SpectacularAPIView):
    custom_settings = SCHEMA_SETTINGS
    urlconf = "lotse.api_urls"
