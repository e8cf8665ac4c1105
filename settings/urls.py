"""URLs of the demo site: Wagtail's admin, Lotse, and public pages in German and English.

Lotse needs only `path("", include("lotse.urls"))` before Wagtail's catch-all; its admin
screens come through Wagtail's hooks. Here it sits inside `i18n_patterns`, so the invitation
page has an English version at /en/ too.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Django's own admin is not served: every screen Lotse needs is in Wagtail's admin, whose
    # sign-in has the lockout and the second factor (django-axes also guards any other login).
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# German (the default) lives at /, English at /en/.
urlpatterns += i18n_patterns(
    path("", include("lotse.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
