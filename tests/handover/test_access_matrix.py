"""Who sees and does what: nine kinds of user × every admin view and API endpoint.

Non-parties must never receive the summary or the citizen's details, in any response.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from handover.models import Handover, Status
from tests import factories

from .conftest import SECRETS

pytestmark = pytest.mark.django_db

ROLES = (
    "sender",
    "recipient",
    "deputy",
    "same_org",
    "other_org",
    "colleague",
    "coordinator",
    "superuser",
    "anonymous",
)
PARTIES = {"sender", "recipient", "deputy"}
RECEIVING = {"recipient", "deputy"}
METADATA = {"coordinator", "superuser"}
OUTSIDERS = {"same_org", "other_org", "colleague"}
ADVISERS = {"sender", "colleague"}
LOGIN = "login"  # anonymous users are sent to the admin login
DENIED = "denied"  # Wagtail answers PermissionDenied with a redirect to its dashboard
MATRIX_TALLY = []


def user_of(cast, role):
    return {
        "sender": cast.adviser,
        "recipient": cast.recipient.user,
        "deputy": cast.deputy.user,
        "same_org": cast.same_org.user,
        "other_org": cast.other_org.user,
        "colleague": cast.colleague,
        "coordinator": cast.coordinator,
        "superuser": cast.superuser,
        "anonymous": None,
    }[role]


def expect(role, parties=200, metadata=404, outsiders=404, anonymous=LOGIN, **special):
    if role in special:
        return special[role]
    if role == "anonymous":
        return anonymous
    if role in PARTIES:
        return parties
    return metadata if role in METADATA else outsiders


def admin_cases(role, h):
    """(label, method, url, expected status, status after) for the admin screens."""
    detail = reverse("handovers:detail", args=[h.pk])
    return [
        ("inbox", "get", reverse("handovers:inbox"), expect(role, 200, 200, 200), None),
        ("sent", "get", reverse("handovers:sent"), expect(role, 200, 200, 200), None),
        ("overview", "get", reverse("handovers:overview"), expect(role, DENIED, 200, DENIED), None),
        ("export", "get", reverse("handovers:export"), expect(role, DENIED, 200, DENIED), None),
        (
            "new",
            "get",
            reverse("handovers:add"),
            expect(role, DENIED, DENIED, DENIED, sender=200, colleague=200),
            None,
        ),
        ("detail", "get", detail, expect(role, 200, 200), None),
        (
            "consent",
            "get",
            reverse("handovers:consent", args=[h.pk]),
            expect(role, 200, DENIED),
            None,
        ),
        (
            "withdraw form",
            "get",
            reverse("handovers:withdraw", args=[h.pk]),
            expect(role, DENIED, DENIED, sender=200),
            None,
        ),
        (
            "hand over again",
            "get",
            reverse("handovers:again", args=[h.pk]),
            expect(role, DENIED, DENIED, sender=200),
            None,
        ),
        (
            "accept",
            "post",
            reverse("handovers:act", args=[h.pk, "accept"]),
            expect(role, 302, 302),
            Status.ACCEPTED if role in RECEIVING else Status.SENT,
        ),
        (
            "withdraw",
            "post",
            reverse("handovers:withdraw", args=[h.pk]),
            expect(role, DENIED, DENIED, sender=302),
            Status.WITHDRAWN if role == "sender" else Status.SENT,
        ),
    ]


def api_cases(role, h):
    base = f"/api/v1/handovers/{h.pk}/"
    anonymous = 403  # session authentication comes first: no WWW-Authenticate challenge
    return [
        ("api me", "get", "/api/v1/me/", expect(role, 200, 200, 200, anonymous), None),
        (
            "api contacts",
            "get",
            "/api/v1/contacts/",
            expect(role, 403, 403, 403, anonymous, sender=200, colleague=200),
            None,
        ),
        ("api list", "get", "/api/v1/handovers/", expect(role, 200, 200, 200, anonymous), None),
        ("api detail", "get", base, expect(role, 200, 200, 404, anonymous), None),
        (
            "api accept",
            "post",
            base + "transitions/",
            expect(role, 409, 409, 404, anonymous, recipient=200, deputy=200),
            Status.ACCEPTED if role in RECEIVING else Status.SENT,
        ),
        (
            "api withdraw",
            "post",
            base + "withdraw-consent/",
            expect(role, 409, 409, 404, anonymous, sender=200),
            Status.WITHDRAWN if role == "sender" else Status.SENT,
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(cast, role):
    user = user_of(cast, role)
    wrong = []
    checked = 0
    for family, cases in (("admin", admin_cases), ("api", api_cases)):
        probe = factories.make_handover(cast.adviser, cast.recipient, offer=cast.offer)
        for label, method, url, expected, status_after in cases(role, probe):
            # Each state-changing request gets a handover of its own.
            handover = probe
            if method == "post":
                handover = factories.make_handover(cast.adviser, cast.recipient)
                url = url.replace(f"/{probe.pk}/", f"/{handover.pk}/")
            if family == "api":
                client = APIClient()
                if user:
                    client.force_authenticate(user)
                data = {"action": "accept"} if "transitions" in url else {}
                response = getattr(client, method)(url, data, format="json")
            else:
                from django.test import Client

                client = Client()
                if user:
                    client.force_login(user)
                response = getattr(client, method)(url)
            checked += 1
            status = response.status_code
            if expected == LOGIN:
                ok = status == 302 and "/login/" in response.get("Location", "")
            elif expected == DENIED:
                ok = status == 302 and response.get("Location") == reverse("wagtailadmin_home")
            else:
                ok = status == expected
            if not ok:
                wrong.append(f"{label}: {status}, expected {expected}")
            body = response.content.decode(errors="replace")
            leaks = [s for s in SECRETS if s in body]
            shows_content = role in PARTIES and label in ("detail", "consent", "api detail")
            if shows_content:
                if "Zarah Leander-Quist" not in body:
                    wrong.append(f"{label}: the party does not see the content")
            elif leaks:
                wrong.append(f"{label}: leaks {leaks}")
            if status_after is not None:
                now = Handover.objects.get(pk=handover.pk).status
                if now != status_after:
                    wrong.append(f"{label}: status {now}, expected {status_after}")
            if label == "api list" and status == 200:
                ids = {item["id"] for item in response.json()}
                sees = role in PARTIES | METADATA
                if (probe.pk in ids) != sees:
                    wrong.append(f"api list: listed={probe.pk in ids}, expected {sees}")
            if label in ("inbox", "sent") and status == 200:
                link = reverse("handovers:detail", args=[probe.pk])
                listed = link in body
                sees = (label == "inbox" and role in RECEIVING) or (
                    label == "sent" and role == "sender"
                )
                if listed != sees:
                    wrong.append(f"{label}: listed={listed}, expected {sees}")
    MATRIX_TALLY.append((role, checked, len(wrong)))
    assert not wrong, "\n".join(wrong)
