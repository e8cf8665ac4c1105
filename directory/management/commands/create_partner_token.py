"""Give a partner editor a token for the partner API, shown once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from directory.models import OfferPage
from network import permissions


class Command(BaseCommand):
    help = (
        "Create a token for the partner API for USERNAME, replacing any earlier one, and "
        "print it. It is not shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    @transaction.atomic
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
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        self.stdout.write(token.key)
