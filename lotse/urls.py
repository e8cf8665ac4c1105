"""Every public URL of Lotse, for one include in the host site's urls.py:

    path("", include("lotse.urls")),  # before Wagtail's page-serving catch-all

Admin screens come through Wagtail's `register_admin_urls` hook; public pages are Wagtail
pages of the directory tree. Inside `i18n_patterns` the invitation page is served per language.
"""

from django.urls import include, path

from .openapi import SchemaView

urlpatterns = [
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("", include("lotse.api_urls")),
    path("", include("lotse.network.urls")),
]
