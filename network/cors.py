"""CORS for Lotse's public read-only APIs: the HSDS API and the offer search (with suggest).

Any web page may read them (the UK HSDS profile asks for it): `Access-Control-Allow-Origin:
*` on every answer of those views, errors and throttled answers included, so a client can
read why; the OPTIONS preflight answers for GET and HEAD. Never with credentials: there is
no `Access-Control-Allow-Credentials`, so browsers send no cookies, and the views sign
nobody in anyway.

A mixin on exactly those views, not a middleware and not django-cors-headers: a host site
mounts Lotse's URLs under paths of its own choosing (a `CORS_URLS_REGEX` would have to
follow them) and may already run django-cors-headers with settings for its own APIs, which
Lotse must neither need nor change. This way everything that needs a login (handover and
partner APIs, the admin, contacts) carries no CORS header from Lotse, wherever it is mounted.
"""

ALLOW_METHODS = "GET, HEAD, OPTIONS"
#: Request headers a cross-origin client may send (beyond the CORS-safelisted ones).
ALLOW_HEADERS = "Accept, Accept-Language, Content-Language, Content-Type"
#: Response headers a cross-origin client may read: when to retry after a 429.
EXPOSE_HEADERS = "Retry-After"
#: Seconds a browser may cache the preflight answer.
MAX_AGE = "86400"


def is_preflight(request):
    return request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META


class PublicCORSMixin:
    """For DRF views anyone may read from any origin, without credentials."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
        if is_preflight(request):
            response["Access-Control-Allow-Methods"] = ALLOW_METHODS
            response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
            response["Access-Control-Max-Age"] = MAX_AGE
        return response
