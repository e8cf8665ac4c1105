"""API tokens stored only as digests, for DRF: Wagtail's `APIToken`, and the class that checks it.

Wagtail (8.0+) keeps each token as an HMAC-SHA256 digest keyed with SECRET_KEY, shows the token
once on creation, records its last use and lets it be revoked (`manage.py api_tokens list |
revoke`). A value read from the table — a dump, a backup — authenticates nothing, and without
SECRET_KEY it cannot even be checked against a guess. Rotating SECRET_KEY keeps tokens working
while the old key is in SECRET_KEY_FALLBACKS. Wagtail's own authentication class is for its
django-ninja API; `HashedTokenAuthentication` below does the same lookup for DRF.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from wagtail.models import APIToken

#: The name given to tokens made by `create_partner_token`.
PARTNER_TOKEN_NAME = "Partner API"


@transaction.atomic
def issue(user, name=PARTNER_TOKEN_NAME, replace=True):
    """A new token for `user`: (the APIToken row, the token — shown once, never stored).

    With `replace`, the user's earlier tokens of that name are revoked: one shown before may
    have been passed on.
    """
    if replace:
        revoke(APIToken.objects.filter(user=user, name=name))
    return APIToken.create_token(user=user, name=name)


def revoke(tokens):
    """Revoke the active tokens among `tokens` (a queryset); the number revoked."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def find(token):
    """The active APIToken for this token value, or None."""
    if not APIToken.validate_token_format(token):
        return None  # no database query for values that cannot be a token
    return (
        APIToken.objects.select_related("user")
        .filter(key_hash__in=APIToken.candidate_key_hashes(token), revoked_at__isnull=True)
        .first()
    )


class HashedTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <token>`, checked against Wagtail's stored digests.

    Subclasses DRF's class for its header parsing, its 401 with `WWW-Authenticate: Token` and
    the OpenAPI security scheme; only the lookup differs. The messages are DRF's own (and so
    translated by DRF's catalogues).
    """

    def authenticate_credentials(self, key):
        row = find(key)
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not row.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        interval = getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", 60)
        now = timezone.now()
        if interval is not None and (
            row.last_used_at is None or (now - row.last_used_at).total_seconds() >= interval
        ):
            APIToken.objects.filter(pk=row.pk).update(last_used_at=now)
        return row.user, row
