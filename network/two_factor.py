"""The second factor at sign-in: TOTP apps and single-use recovery codes (django-otp).

Who must use one is decided by `permissions.requires_second_factor()`; anyone who has set one
up is asked for it, too. After the password, such a user is only half signed in until a code
is confirmed: `SecondFactorMiddleware` sends them from every admin screen to the code (or
set-up) screen and treats them as anonymous everywhere else (public pages, APIs).

Recovery codes are stored as django-otp static tokens, but only as a digest: a database dump
gives nobody a working code. TOTP secrets are stored as django-otp stores them.
"""

import base64
import hashlib
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp import verify_token as otp_verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import permissions

#: How many recovery codes a user gets at a time, and how they look ("abcd-efgh-jkmn-pqrs").
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
_RECOVERY_LENGTH = 16  # about 79 random bits
TOTP_DEVICE_NAME = "Authenticator"
#: Wrong codes in a row after which the screen says how long to wait (the wait doubles each time).
THROTTLE_NOTICE_AFTER = 3
RECOVERY_DEVICE_NAME = "Recovery codes"

#: The authenticator-app secret of every demo user (`load_demo`, DEBUG only; in the README).
DEMO_TOTP_SECRET = "LOTSEDEMOLOTSEDEMOLOTSEDEMOLOTSE"
DEMO_TOTP_NAME = "Demo"

#: URL names of admin screens a half-signed-in user may open.
OPEN_URL_NAMES = frozenset(
    {
        "lotse_two_factor_verify",
        "lotse_two_factor_setup",
        "wagtailadmin_logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
    }
)


def is_verified(user):
    """Has this session confirmed a code (django-otp's middleware sets `is_verified`)?"""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def has_device(user):
    return user_has_device(user, confirmed=True)


def needs_code(user):
    """Must this signed-in user confirm a code before the session counts?"""
    if not user.is_authenticated or is_verified(user):
        return False
    return permissions.requires_second_factor(user) or has_device(user)


def totp_device(user):
    """The user's confirmed authenticator app, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_device(user):
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_totp_device(user):
    """The not yet confirmed device of a set-up in progress (its secret stays while it runs)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device):
    """The secret as people type it into an app: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(device):
    """The otpauth:// URI the QR code carries; the issuer is the site's name."""
    issuer = getattr(settings, "WAGTAIL_SITE_NAME", "Lotse").replace(":", "")
    label = f"{issuer}:{device.user.get_username()}"
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": device.digits})
    return "otpauth://totp/" + label.replace(" ", "%20") + "?" + query


def qr_svg(device):
    """The QR code as an inline SVG element: nothing is fetched from another server."""
    import segno

    code = segno.make(provisioning_uri(device), error="m")
    return code.svg_inline(scale=5, border=2, dark="#000", light="#fff", omitsize=False)


@transaction.atomic
def confirm_totp(request, device, token):
    """Confirm a set-up with the first code from the app: the new device replaces old ones.

    Returns fresh recovery codes (to be shown once), or None if the code is wrong.
    """
    if not device.verify_token(normalise_code(token)):
        return None
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return new_recovery_codes(user)


def normalise_code(code):
    return "".join((code or "").split()).replace("-", "").lower()


def recovery_digest(code):
    """What is stored of a recovery code: 16 hex digits (64 bits) of its SHA-256."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()[:16]


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes by new ones; returns them (this is the only time)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
        device.token_set.create(token=recovery_digest(raw))
    return codes


def is_app_code(token):
    """Codes from an app are 6 (or 8) digits; recovery codes have letters."""
    return token.isdigit() and len(token) <= 8


def devices_for_code(user, code):
    """The devices a code of this kind is checked against."""
    if is_app_code(normalise_code(code)):
        return list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    return list(StaticDevice.objects.devices_for_user(user, confirmed=True))


def verify(request, code):
    """Check a code from the app or a recovery code; on success the session counts as verified.

    Returns the device that accepted it, or None. Each device throttles wrong codes (django-otp
    doubles the wait after each failure); a used recovery code is deleted.
    """
    user = request.user
    token = normalise_code(code)
    if not token:
        return None
    attempt = token if is_app_code(token) else recovery_digest(token)
    for device in devices_for_code(user, token):
        accepted = otp_verify_token(user, device.persistent_id, attempt)
        if accepted is not None:
            otp_login(request, accepted)
            return accepted
    return None


def throttled_until(devices):
    """When the next code may be tried, once wrong codes made every one of `devices` wait."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed or device.throttling_failure_count < THROTTLE_NOTICE_AFTER:
            return None
        if data and data.get("locked_until"):
            waits.append(data["locked_until"])
    return min(waits) if waits else None


@transaction.atomic
def disable(user):
    """Remove every device (only for users who are not required to have one)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def verify_url(next_url=None):
    url = reverse("lotse_two_factor_verify")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def setup_url(next_url=None):
    url = reverse("lotse_two_factor_setup")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def demo_totp_key():
    """DEMO_TOTP_SECRET as django-otp stores keys (hex)."""
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


def demo_code():
    """The code the demo users' authenticator app shows now."""
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(demo_totp_key())):06d}"


def demo_hint(user):
    """With DEBUG on, the current code for a user whose app is the published demo secret (the
    demo's path through the second step); None otherwise."""
    if not settings.DEBUG:
        return None
    if not TOTPDevice.objects.filter(user=user, confirmed=True, key=demo_totp_key()).exists():
        return None
    return demo_code()


class _HalfSignedIn(AnonymousUser):
    """What the rest of the site sees of a session whose code is not confirmed yet."""

    otp_device = None

    def is_verified(self):
        return False


class SecondFactorMiddleware:
    """Holds back half-signed-in users; put it after django-otp's `OTPMiddleware`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if needs_code(user):
            response = self.hold_back(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def hold_back(self, request, user):
        admin_root = reverse("wagtailadmin_home")
        if not request.path_info.startswith(admin_root):
            # Public pages and APIs: the password alone opens nothing.
            request.user = _HalfSignedIn()

            async def auser():
                return request.user

            request.auser = auser
            return None
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in OPEN_URL_NAMES:
            return None
        if name == "wagtailadmin_login":
            next_url = request.GET.get("next") or admin_root
        else:
            next_url = request.get_full_path() if request.method == "GET" else admin_root
        if has_device(user):
            return redirect(verify_url(next_url))
        return redirect(setup_url(next_url))
