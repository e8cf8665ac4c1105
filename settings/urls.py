"""URLs of the demo site: admin screens, and public pages in German and English."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from network.health import HealthView

urlpatterns = [
    # Scoped replacements of a few Wagtail admin screens first (see network/admin_urls.py).
    path("admin/", include("network.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    # Django's own admin is not served: every screen Lotse needs is in Wagtail's admin, whose
    # sign-in has the lockout and the second factor (django-axes also guards any other login).
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/health/", HealthView.as_view(), name="api-health"),
    path("api/v1/search/", include("search.api")),
    path("api/v1/", include("handover.api")),
    path("api/v1/partner/", include("directory.api.urls")),
    path("api/hsds/", include("directory.hsds.urls")),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# German (the default) lives at /, English at /en/.
urlpatterns += i18n_patterns(
    path("", include("network.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
