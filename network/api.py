"""What every Lotse API view brings along, whatever the host site's REST_FRAMEWORK says.

A county's site may configure DRF for its own APIs (other authentication, no parsers of ours,
no drf-spectacular); Lotse's views set their sign-in, parsers and description themselves, so
they behave the same in any host.
"""

from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated

from . import inputs
from .openapi import AutoSchema
from .tokens import HashedTokenAuthentication


class LotseAPIMixin:
    """Signed in by token or session; bounded parsers (`inputs`); Lotse's OpenAPI schema."""

    authentication_classes = [SessionAuthentication, HashedTokenAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [inputs.JSONParser, inputs.FormParser, inputs.MultiPartParser]
    schema = AutoSchema()


class PublicAPIMixin(LotseAPIMixin):
    """Read-only public APIs: nobody signs in."""

    authentication_classes = []
    permission_classes = [AllowAny]
