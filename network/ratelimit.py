"""Rate limits for public and API endpoints, counted in a cache every worker process shares.

A fixed window per scope and client: the first request of a window `add`s the counter, later
ones `incr` it, both atomic in Redis and in `lotse.network.cache.DatabaseCache` (Django's own
database cache and DRF's throttles read and write back, so concurrent workers lose counts;
in a per-process LocMemCache each worker counted on its own). Clients are the signed-in user,
or else the address (IPv6 by its /64); only a digest keyed with SECRET_KEY reaches the cache.

`rate_limit(scope)` decorates plain views (429 page), `ScopedRateThrottle` serves DRF views
(429 JSON); both answer with `Retry-After`. Rates: `LOTSE_RATELIMIT_<SCOPE>` ("120/m").
"""

import hashlib
import hmac
import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

from lotse.conf import lotse_settings, template_context

logger = logging.getLogger(__name__)

#: Scope → the setting that holds its rate.
SCOPES = {
    "search": "LOTSE_RATELIMIT_SEARCH",
    "suggest": "LOTSE_RATELIMIT_SUGGEST",
    "hsds": "LOTSE_RATELIMIT_HSDS",
    "invitation": "LOTSE_RATELIMIT_INVITATION",
    "handover_api": "LOTSE_RATELIMIT_HANDOVER_API",
    "partner": "LOTSE_RATELIMIT_PARTNER",
}
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*$", re.IGNORECASE)
#: Cache backends whose counters each process keeps to itself, or that cannot count atomically.
NOT_SHARED = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
    "django.core.cache.backends.db.DatabaseCache",
)


def parse_rate(rate):
    """A rate such as "120/m", "1000/hour" or "5/10s" as (requests, seconds); "" → None."""
    if not rate:
        return None
    match = RATE.match(str(rate))
    if not match:
        raise ValueError(f"Not a rate: {rate!r} (expected e.g. '120/m' or '1000/hour')")
    count, multiple, unit = match.groups()
    return int(count), PERIODS[unit.lower()] * int(multiple or 1)


def rate_of(scope):
    return getattr(lotse_settings, SCOPES[scope])


def _networks(values):
    return [ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip()]


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the last untrusted hop.

    X-Forwarded-For is read only when the direct peer is one of LOTSE_TRUSTED_PROXIES (off by
    default): a client can write anything into that header, but not the hops proxies append.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = _networks(lotse_settings.LOTSE_TRUSTED_PROXIES)
    if not trusted or not _in(remote, trusted):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # a malformed hop: trust nothing further left
        if not _in(hop, trusted):
            return hop
    return remote


def _in(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_key(request):
    """Per user when signed in, per address (IPv6: its /64 network) otherwise."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "address:unknown"
    if ip.version == 6:
        return f"address:{ipaddress.ip_network(f'{ip}/64', strict=False).network_address}"
    return f"address:{ip}"


def get_cache():
    name = lotse_settings.LOTSE_RATELIMIT_CACHE
    return caches[name if name in settings.CACHES else "default"]


@dataclass(frozen=True)
class Usage:
    count: int
    limit: int
    retry_after: int

    @property
    def limited(self):
        return self.count > self.limit


def hit(request, scope, rate=None):
    """Count one request of `request`'s client in `scope`; None when the scope has no limit."""
    if not lotse_settings.LOTSE_RATELIMIT_ENABLED:
        return None
    parsed = parse_rate(rate if rate is not None else rate_of(scope))
    if parsed is None:
        return None
    limit, period = parsed
    now = time.time()
    window = int(now // period)
    client = hmac.new(
        settings.SECRET_KEY.encode(), client_key(request).encode(), hashlib.sha256
    ).hexdigest()[:32]
    key = f"lotse-rl:{scope}:{limit}/{period}:{window}:{client}"
    cache = get_cache()
    try:
        if cache.add(key, 1, timeout=period + 5):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=period + 5)
                count = 1
    except Exception:
        # An unreachable store must not take the site down with it; say so, without the client.
        logger.warning("Rate limit store unavailable; %s not limited", scope, exc_info=True)
        return None
    return Usage(count, limit, max(1, math.ceil((window + 1) * period - now)))


def retry_message(seconds):
    if seconds < 120:
        return ngettext(
            "Please try again in %(count)d second.",
            "Please try again in %(count)d seconds.",
            seconds,
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Please try again in %(count)d minute.",
        "Please try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}


def too_many_requests(request, usage):
    """The 429 page for people (plain views)."""
    response = TemplateResponse(
        request,
        "lotse_network/too_many_requests.html",
        {"retry_message": retry_message(usage.retry_after), **template_context()},
        status=429,
    )
    response["Retry-After"] = str(usage.retry_after)
    return response


def limited_response(request, scope):
    """Count the request; the 429 page if it is over the limit, None otherwise."""
    usage = hit(request, scope)
    if usage is not None and usage.limited:
        return too_many_requests(request, usage)
    return None


def rate_limit(scope):
    """View decorator: count every request in `scope`, answer 429 over the limit."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return limited_response(request, scope) or view(request, *args, **kwargs)

        return wrapped

    return decorator


class TooManyRequests(Throttled):
    default_detail = _("Too many requests.")

    def __init__(self, wait):
        super().__init__(detail=f"{self.default_detail} {retry_message(wait)}")
        self.wait = wait  # DRF's handler sends it as Retry-After


class ScopedRateThrottle(BaseThrottle):
    """DRF throttle over the shared counters; the scope is the view's `ratelimit_scope`."""

    scope = None

    def allow_request(self, request, view):
        scope = getattr(view, "ratelimit_scope", None) or self.scope
        usage = hit(request, scope)
        if usage is not None and usage.limited:
            # API paths carry no language prefix: the message follows Accept-Language.
            with translation.override(translation.get_language_from_request(request)):
                raise TooManyRequests(usage.retry_after)
        return True


@checks.register(checks.Tags.caches)
def check_shared_store(app_configs, **kwargs):
    """Warn when the counters would live in each process (limits then multiply by workers)."""
    name = lotse_settings.LOTSE_RATELIMIT_CACHE
    backend = settings.CACHES.get(name if name in settings.CACHES else "default", {}).get(
        "BACKEND", ""
    )
    if backend in NOT_SHARED:
        return [
            checks.Warning(
                f"Rate limits are counted in the cache {name!r} ({backend}), which worker "
                "processes do not share or cannot count in atomically.",
                hint="Use lotse.network.cache.DatabaseCache or Redis (README: Security).",
                id="lotse.ratelimit.W001",
            )
        ]
    for scope in SCOPES:
        try:
            parse_rate(rate_of(scope))
        except ValueError as error:
            return [checks.Error(str(error), id="lotse.ratelimit.E001")]
    return []
