"""Who sees and does what: nine kinds of user × every admin view and API endpoint, plus a
sweep of the Wagtail and Django admin screens where handover data could surface (search,
history, usage, reports).

Non-parties must never receive the summary or the citizen's details, in any response. The
number of combinations checked is printed in pytest's terminal summary (see conftest.py).
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.handover import services
from lotse.handover.models import Handover, Status
from tests import factories

from .conftest import SECRETS
from .test_api import payload

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


def draft_of(cast):
    return services.save_draft(
        cast.adviser,
        recipient=cast.recipient,
        summary=SECRETS[0],
        citizen={"name": SECRETS[1], "phone": SECRETS[3]},
    )


def admin_cases(role, h, draft):
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
            "decline",
            "post",
            reverse("handovers:act", args=[h.pk, "decline"]),
            expect(role, 302, 302),
            Status.DECLINED if role in RECEIVING else Status.SENT,
        ),
        (
            "withdraw",
            "post",
            reverse("handovers:withdraw", args=[h.pk]),
            expect(role, DENIED, DENIED, sender=302),
            Status.WITHDRAWN if role == "sender" else Status.SENT,
        ),
        (
            "consent preview",
            "post",
            reverse("handovers:consent_preview"),
            expect(role, DENIED, DENIED, DENIED, sender=400, colleague=400),
            None,
        ),
        (
            "save draft",
            "post",
            reverse("handovers:add"),
            expect(role, DENIED, DENIED, DENIED, sender=302, colleague=302),
            None,
        ),
        (
            "draft detail",
            "get",
            reverse("handovers:detail", args=[draft.pk]),
            expect(role, 404, 200, sender=200),
            None,
        ),
        (
            "edit draft",
            "get",
            reverse("handovers:edit", args=[draft.pk]),
            expect(role, 404, DENIED, sender=200),
            None,
        ),
        (
            "discard draft",
            "post",
            reverse("handovers:discard", args=[draft.pk]),
            expect(role, 404, DENIED, sender=302),
            "gone" if role == "sender" else Status.DRAFT,
        ),
    ]


def api_cases(role, h, draft):
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
            "api decline",
            "post",
            base + "transitions/",
            expect(role, 409, 409, 404, anonymous, recipient=200, deputy=200),
            Status.DECLINED if role in RECEIVING else Status.SENT,
        ),
        (
            "api withdraw",
            "post",
            base + "withdraw-consent/",
            expect(role, 409, 409, 404, anonymous, sender=200),
            Status.WITHDRAWN if role == "sender" else Status.SENT,
        ),
        (
            "api create",
            "post",
            "/api/v1/handovers/",
            expect(role, 403, 403, 403, anonymous, sender=201, colleague=201),
            None,
        ),
        (
            "api draft detail",
            "get",
            f"/api/v1/handovers/{draft.pk}/",
            expect(role, 404, 200, 404, anonymous, sender=200),
            None,
        ),
        ("api schema", "get", "/api/schema/", 200, None),
    ]


def sweep_cases(cast, h):
    """Screens outside the handover app where its data could surface: every role must get
    them without a leak (their statuses are the business of other apps' matrices)."""
    person, offer = cast.recipient, cast.offer
    q = "?q=Quist"  # part of the citizen's name; the echoed query itself is no leak
    return [
        "/admin/",
        "/admin/search/" + q,
        reverse("wagtailadmin_pages:search") + q,
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_pages:history", args=[offer.pk]),
        reverse("wagtailadmin_pages:usage", args=[offer.pk]),
        reverse("wagtailsnippets_lotse_network_person:list") + q,
        reverse("wagtailsnippets_lotse_network_person:inspect", args=[person.pk]),
        reverse("wagtailsnippets_lotse_network_person:history", args=[person.pk]),
        reverse("wagtailsnippets_lotse_network_person:usage", args=[person.pk]),
        reverse("wagtailsnippets_lotse_network_organisation:usage", args=[cast.awo.pk]),
        "/django-admin/",
        "/django-admin/" + q,
        "/api/v1/contacts/" + q,
        reverse("handovers:inbox") + q,
        reverse("handovers:overview") + q,
        reverse("handovers:export"),
    ]


def request(family, user, method, url, data=None):
    if family == "api":
        client = APIClient()
        if user:
            client.force_authenticate(user)
        return getattr(client, method)(url, data or {}, format="json")
    client = Client()
    if user:
        client.force_login(user)
    return getattr(client, method)(url, data or {})


def post_data(cast, label):
    return {
        "api accept": {"action": "accept"},
        "api decline": {"action": "decline", "reason": "no_capacity"},
        "api create": payload(cast),
        "decline": {"reason": "no_capacity"},
        "save draft": {"summary": "Entwurf", "save_draft": "1"},
    }.get(label)


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(cast, role):
    user = user_of(cast, role)
    wrong = []
    checked = 0
    for family, cases in (("admin", admin_cases), ("api", api_cases)):
        probe = factories.make_handover(cast.adviser, cast.recipient, offer=cast.offer)
        draft = draft_of(cast)
        for label, method, url, expected, status_after in cases(role, probe, draft):
            # Each state-changing request on a sent handover gets a handover of its own.
            handover = draft if "draft" in label else probe
            if method == "post" and handover is probe:
                handover = factories.make_handover(cast.adviser, cast.recipient)
                url = url.replace(f"/{probe.pk}/", f"/{handover.pk}/")
            response = request(family, user, method, url, post_data(cast, label))
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
            content_views = ("detail", "consent", "api detail")
            draft_views = ("draft detail", "edit draft", "api draft detail")
            shows_content = (role in PARTIES and label in content_views) or (
                role == "sender" and label in draft_views
            )
            if shows_content:
                if "Zarah Leander-Quist" not in body:
                    wrong.append(f"{label}: the party does not see the content")
            elif leaks:
                wrong.append(f"{label}: leaks {leaks}")
            if status_after is not None:
                now = Handover.objects.filter(pk=handover.pk).values_list("status", flat=True)
                now = next(iter(now), "gone")
                if now != status_after:
                    wrong.append(f"{label}: status {now}, expected {status_after}")
            if label == "api list" and status == 200:
                ids = {item["id"] for item in response.json()}
                sees = role in PARTIES | METADATA
                if (probe.pk in ids) != sees:
                    wrong.append(f"api list: listed={probe.pk in ids}, expected {sees}")
                if (draft.pk in ids) != (role in {"sender"} | METADATA):
                    wrong.append(f"api list: draft listed={draft.pk in ids}")
            if label in ("inbox", "sent") and status == 200:
                link = reverse("handovers:detail", args=[probe.pk])
                listed = link in body
                sees = (label == "inbox" and role in RECEIVING) or (
                    label == "sent" and role == "sender"
                )
                if listed != sees:
                    wrong.append(f"{label}: listed={listed}, expected {sees}")
    probe = factories.make_handover(cast.adviser, cast.recipient, offer=cast.offer)
    services.read_content(cast.recipient.user, probe, mark_opened=True)
    for url in sweep_cases(cast, probe):
        response = request("admin", user, "get", url)
        checked += 1
        body = response.content.decode(errors="replace")
        if response.status_code >= 500:
            wrong.append(f"{url}: {response.status_code}")
        leaks = [s for s in SECRETS if s in body]
        if leaks:
            wrong.append(f"{url}: leaks {leaks}")
    MATRIX_TALLY.append((role, checked, len(wrong)))
    assert not wrong, "\n".join(wrong)
