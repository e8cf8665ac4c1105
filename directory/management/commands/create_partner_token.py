"""Give a partner editor a token for the partner API, shown once (only its digest is stored)."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from lotse.directory.models import OfferPage
from lotse.network import permissions, tokens
from lotse.network.management.base import LotseCommand


class Command(LotseCommand):
    help = (
        "Create a token for the partner API for USERNAME, revoking any earlier one, and "
        "print it. It is not shown again; `manage.py api_tokens list` shows its prefix, "
        "`api_tokens revoke` revokes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user “%(username)s”.") % {"username": username})
        if not permissions.model_permission(user, permissions.CHANGE, OfferPage):
            raise CommandError(
                _("“%(username)s” does not edit any organisation's offers.")
                % {"username": username}
            )
        # A new key each time: one that was shown before may have been passed on.
        _row, token = tokens.issue(user)
        self.stdout.write(token)
