"""Sessions that a database dump cannot hijack, and that end when left alone.

`SessionStore` (``SESSION_ENGINE = "lotse.network.sessions"``) is Django's database store, but the
table holds only a SHA-256 digest of each session key: the key itself lives in the browser's
cookie alone, so a key read from a backup or dump opens no session.

`SessionTimeoutMiddleware` signs a user out after `LOTSE_SESSION_IDLE_MINUTES` without a request
(sliding) and, however active, `LOTSE_SESSION_MAX_HOURS` after signing in.
"""

import hashlib
import logging
import time

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.conf import lotse_settings

#: Session entries: when the user signed in and when they were last seen (Unix seconds).
SIGNED_IN_AT = "_lotse_signed_in_at"
LAST_SEEN_AT = "_lotse_last_seen_at"
#: The last-seen time is written at most this often (seconds), not on every request.
LAST_SEEN_RESOLUTION = 60


def digest(session_key):
    """What the table stores instead of the key: 40 hex digits (160 bits) of its SHA-256.

    Keys are 32 random characters (about 165 bits), so an unsalted digest cannot be turned back
    into a key, and it fits Django's `session_key` column as it is.
    """
    return hashlib.sha256(session_key.encode()).hexdigest()[:40]


class SessionStore(DatabaseSessionStore):
    """Django's database session store, looking rows up by the digest of the key."""

    def _get_session_from_db(self):
        try:
            return self.model.objects.get(
                session_key=digest(self.session_key), expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            self._session_key = None

    async def _aget_session_from_db(self):
        try:
            return await self.model.objects.aget(
                session_key=digest(self.session_key), expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            self._session_key = None

    def exists(self, session_key):
        return self.model.objects.filter(session_key=digest(session_key)).exists()

    async def aexists(self, session_key):
        return await self.model.objects.filter(session_key=digest(session_key)).aexists()

    def create_model_instance(self, data):
        return self.model(
            session_key=digest(self._get_or_create_session_key()),
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    async def acreate_model_instance(self, data):
        return self.model(
            session_key=digest(await self._aget_or_create_session_key()),
            session_data=self.encode(data),
            expire_date=await self.aget_expiry_date(),
        )

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        if session_key is not None:
            self.model.objects.filter(session_key=digest(session_key)).delete()

    async def adelete(self, session_key=None):
        session_key = session_key or self.session_key
        if session_key is not None:
            await self.model.objects.filter(session_key=digest(session_key)).adelete()


@receiver(user_logged_in, dispatch_uid="lotse_session_signed_in_at")
def remember_sign_in(sender, request, user, **kwargs):
    """The absolute lifetime counts from this moment (a new sign-in starts it again)."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[SIGNED_IN_AT] = now
        session[LAST_SEEN_AT] = now


def expired(session, now):
    """Why a signed-in session must end now ("idle" or "lifetime"), or None."""
    idle = lotse_settings.LOTSE_SESSION_IDLE_MINUTES * 60
    lifetime = lotse_settings.LOTSE_SESSION_MAX_HOURS * 3600
    signed_in, seen = session.get(SIGNED_IN_AT), session.get(LAST_SEEN_AT)
    if signed_in is None or now - signed_in >= lifetime:
        # A session without the mark predates this middleware: it has to sign in again.
        return "lifetime"
    if seen is not None and now - seen >= idle:
        return "idle"
    return None


class SessionTimeoutMiddleware:
    """Signs out idle and too old sessions; put it after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get(SESSION_KEY) is not None:
            now = int(time.time())
            reason = expired(session, now)
            if reason is not None:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity.")
                    % {"minutes": lotse_settings.LOTSE_SESSION_IDLE_MINUTES}
                    if reason == "idle"
                    else _(
                        "You were signed out because your session is older than %(hours)s hours."
                    )
                    % {"hours": lotse_settings.LOTSE_SESSION_MAX_HOURS},
                )
            elif now - session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)
