"""Security headers: Content-Security-Policy, Permissions-Policy, and no-store for personal data.

`ContentSecurityPolicyMiddleware` is django-csp's middleware with Lotse's default policy (the
project's `CONTENT_SECURITY_POLICY` replaces it), the report endpoint of
`LOTSE_CSP_REPORT_URI`, and two exceptions: Wagtail's admin renders inline `<script>`s from
its widgets and panels (choosers, inline panels, date pickers) and its vendor.js inserts
inline scripts and styles, all without a nonce, so Wagtail's admin pages allow inline script
and style (and carry no nonce, which would switch that off again) — except the views marked
`personal_data` (the handover screens), which keep the strict policy; and a response the view
allows to be framed by its own site (Wagtail's preview) gets `frame-ancestors 'self'`.

`SecurityHeadersMiddleware` adds the Permissions-Policy to every response and marks every
response that may carry personal data as not to be stored by any cache: the admin's pages,
whatever a signed-in user or an API client with credentials gets. Views that hand out
decrypted content say so themselves as well (`personal_data`, `never_cache`).
"""

from functools import wraps

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers

from lotse.conf import lotse_settings

#: Lotse's policy: only this site's own scripts, styles, fonts and images (and data: images);
#: nobody frames its pages; no plugins; forms post only here.
DEFAULT_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "frame-ancestors": [NONE],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
}
#: What Wagtail's admin needs beyond that (see the module docstring; blob: for image previews).
ADMIN_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
}
REPORT_GROUP = "lotse-csp"


def admin_prefixes():
    """Paths of Wagtail's admin (and Django's, if the site serves it)."""
    prefixes = []
    for name in ("wagtailadmin_home", "admin:index"):
        try:
            prefixes.append(reverse(name))
        except NoReverseMatch:
            continue
    return tuple(prefixes)


def is_admin(request):
    return request.path_info.startswith(admin_prefixes())


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None:
            configured = getattr(settings, "CONTENT_SECURITY_POLICY", None)
            parts.config = (configured or {}).get("DIRECTIVES") or dict(DEFAULT_DIRECTIVES)
        replace = dict(parts.replace or {})
        if is_admin(request) and not getattr(response, "_lotse_strict_csp", False):
            replace = {**ADMIN_REPLACE, **replace}
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            replace.setdefault("frame-ancestors", [SELF])
        report_uri = lotse_settings.LOTSE_CSP_REPORT_URI
        if report_uri:
            replace.setdefault("report-uri", [report_uri])
            replace.setdefault("report-to", [REPORT_GROUP])
        return PolicyParts(parts.config, parts.update, replace or None, parts.nonce)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        report_uri = lotse_settings.LOTSE_CSP_REPORT_URI
        if report_uri and "Content-Security-Policy" in response:
            response.headers.setdefault("Reporting-Endpoints", f'{REPORT_GROUP}="{report_uri}"')
        return response


def personal_data(view):
    """For views that show a person's data: no cache keeps the answer, and the strict policy
    holds inside the admin too (Lotse's own screens need no inline script or style)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response._lotse_strict_csp = True
        return response

    return wrapped


def carries_personal_data(request):
    """Admin pages, and whatever answers a signed-in user or a request with credentials."""
    if is_admin(request) or "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", lotse_settings.LOTSE_PERMISSIONS_POLICY)
        if carries_personal_data(request):
            add_never_cache_headers(response)
        if "no-store" in response.get("Cache-Control", ""):
            response.headers.setdefault("Pragma", "no-cache")
        return response
