"""The second sign-in step: who must use it, the set-up screen, codes, recovery codes.

Sessions here sign in through the real login form, so they are half signed in until a code is
entered (the conftest's `client.force_login()` confirms the code itself, like the real step).
"""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.users.models import UserProfile

from lotse.network import permissions, two_factor
from lotse.network.models import Membership
from tests import factories
from tests.conftest import current_totp_code, totp_device_of

PASSWORD = "test-password"
ADMIN = "/admin/"


def password_step(username, client=None):
    client = client or Client()
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": PASSWORD, "next": ADMIN}
    )
    assert response.status_code == 302, response.content[:500]
    return client, response


def member(role, username=None, **kwargs):
    return factories.MembershipFactory(role=role, user__username=username or role, **kwargs).user


def new_person_user(username, **person):
    user = factories.UserFactory(username=username)
    factories.PersonFactory(user=user, **person)
    return user


# Who must use a second factor


@pytest.mark.django_db
def test_roles_that_read_social_data_must_use_a_second_factor():
    required = {
        "superuser": factories.UserFactory(is_superuser=True),
        "coordinator": member(Membership.Role.COORDINATOR),
        "adviser": member(Membership.Role.ADVISER),
        "contact": member(Membership.Role.CONTACT),
        "linked to a contact receiving handovers": new_person_user("empfang"),
    }
    deputy = new_person_user("vertretung", accepts_handovers=False)
    factories.PersonFactory(
        organisation=deputy.person.organisation, deputy=deputy.person, accepts_handovers=True
    )
    required["deputy of a contact"] = deputy
    not_required = {
        "editor": member(Membership.Role.EDITOR),
        "organisation admin": member(Membership.Role.ORG_ADMIN),
        "linked to a contact without handovers": new_person_user("ohne", accepts_handovers=False),
        "no role": factories.UserFactory(),
    }
    assert {k for k, u in required.items() if not permissions.requires_second_factor(u)} == set()
    assert {k for k, u in not_required.items() if permissions.requires_second_factor(u)} == set()


@pytest.mark.django_db
def test_a_party_to_a_handover_must_use_one_whatever_their_roles_now(offer):
    sender = member(Membership.Role.ADVISER, "absender")
    contact = factories.PersonFactory(organisation=offer.organisation, user=factories.UserFactory())
    factories.make_handover(sender, contact, offer=offer)
    Membership.objects.filter(user=sender).delete()
    permissions.forget_roles(sender)
    assert permissions.requires_second_factor(sender)


# Signing in


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Membership.Role.COORDINATOR, Membership.Role.ADVISER, Membership.Role.CONTACT]
)
def test_password_alone_opens_no_admin_screen_for_those_roles(role, offer):
    user = member(role)
    totp_device_of(user)
    client, response = password_step(user.username)
    assert response["Location"] == ADMIN
    for url in (ADMIN, reverse("handovers:inbox"), reverse("wagtailadmin_account")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("lotse_two_factor_verify"))
    # Elsewhere the session counts as signed out: APIs answer as to a stranger.
    assert client.get("/api/v1/contacts/").status_code in (401, 403)
    # The login page, opened again, leads to the code screen rather than back in a circle.
    response = client.get(reverse("wagtailadmin_login") + "?next=/einladung/annehmen/")
    assert response["Location"].startswith(reverse("lotse_two_factor_verify"))


@pytest.mark.django_db
def test_a_code_from_the_app_completes_the_sign_in_and_is_used_once():
    user = member(Membership.Role.COORDINATOR)
    device = totp_device_of(user)
    client, _ = password_step(user.username)
    page = client.get(two_factor.verify_url(ADMIN))
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    code = current_totp_code(device)
    response = client.post(reverse("lotse_two_factor_verify"), {"code": code, "next": ADMIN})
    assert response.status_code == 302 and response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    # The same code does not work a second time (in another session).
    other, _ = password_step(user.username)
    again = other.post(reverse("lotse_two_factor_verify"), {"code": code, "next": ADMIN})
    assert again.status_code == 400
    assert other.get(ADMIN).status_code == 302


def later(seconds):
    """A moment `seconds` from now (django-otp makes a device wait after a wrong code)."""
    return time_machine.travel(timezone.now() + dt.timedelta(seconds=seconds), tick=False)


@pytest.mark.django_db
def test_wrong_codes_are_refused_and_then_throttled():
    user = member(Membership.Role.ADVISER)
    device = totp_device_of(user)
    client, _ = password_step(user.username)
    verify = reverse("lotse_two_factor_verify")
    assert client.post(verify, {"code": "000000"}).status_code == 400
    # Right after a wrong code even the right one is refused: the device waits 1 s, then 2, 4 …
    assert client.post(verify, {"code": current_totp_code(device)}).status_code == 400
    waited = 0
    for failure in range(1, two_factor.THROTTLE_NOTICE_AFTER):
        waited += 2**failure
        with later(waited):
            response = client.post(verify, {"code": "000000"})
            assert response.status_code == 400
    assert "Bitte warten Sie 1 Minute(n)" in response.content.decode()
    with later(waited):
        assert client.post(verify, {"code": current_totp_code(device)}).status_code == 400
        assert client.get(ADMIN).status_code == 302
    with later(waited + 2**two_factor.THROTTLE_NOTICE_AFTER):
        assert client.post(verify, {"code": current_totp_code(device)}).status_code == 302
        assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_a_plain_editor_signs_in_with_the_password_alone():
    user = member(Membership.Role.EDITOR)
    client, _ = password_step(user.username)
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_an_editor_who_set_up_an_app_is_asked_for_it():
    user = member(Membership.Role.EDITOR)
    totp_device_of(user)
    client, _ = password_step(user.username)
    assert client.get(ADMIN)["Location"].startswith(reverse("lotse_two_factor_verify"))


@pytest.mark.django_db
def test_the_next_address_must_stay_on_the_site():
    user = member(Membership.Role.ADVISER)
    device = totp_device_of(user)
    client, _ = password_step(user.username)
    response = client.post(
        reverse("lotse_two_factor_verify"),
        {"code": current_totp_code(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == ADMIN


# Setting up


def qr_and_secret(html):
    secret = re.search(r'class="lotse-two-factor__secret">([A-Z2-7 ]+)<', html)[1]
    return "<svg" in html, secret.replace(" ", "")


@pytest.mark.django_db
def test_a_new_coordinator_must_set_up_an_app_and_gets_recovery_codes_once():
    user = member(Membership.Role.COORDINATOR, "neu")
    client, _ = password_step(user.username)
    response = client.get(ADMIN)
    assert response["Location"].startswith(reverse("lotse_two_factor_setup"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    has_svg, secret = qr_and_secret(html)
    assert has_svg and len(secret) == 32
    # Nothing from other servers: the QR code is drawn into the page.
    assert "<img" not in html.split('class="lotse-two-factor__qr"')[1].split("</figure>")[0]
    assert "Zwei-Faktor-Authentifizierung einrichten" in html  # Wagtail's layout, in German

    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse("lotse_two_factor_setup"), {"code": "123456"}).status_code == 400
    with later(2):
        response = client.post(
            reverse("lotse_two_factor_setup"), {"code": current_totp_code(pending), "next": ADMIN}
        )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = re.findall(r"<code>([a-z2-9]{4}(?:-[a-z2-9]{4}){3})</code>", response.content.decode())
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT
    # Stored only as digests.
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert not stored & {code.replace("-", "") for code in codes} and len(stored) == len(codes)
    assert client.get(ADMIN).status_code == 200
    # The codes are not shown again anywhere.
    assert codes[0] not in client.get(reverse("lotse_two_factor_manage")).content.decode()


@pytest.mark.django_db
def test_a_password_alone_cannot_replace_an_existing_app():
    user = member(Membership.Role.ADVISER)
    totp_device_of(user)
    client, _ = password_step(user.username)
    response = client.get(reverse("lotse_two_factor_setup"))
    assert response["Location"].startswith(reverse("lotse_two_factor_verify"))
    assert client.post(reverse("lotse_two_factor_setup"), {"code": "123456"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()


@pytest.mark.django_db
def test_setup_page_in_english():
    user = member(Membership.Role.ADVISER)
    client, _ = password_step(user.username)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    html = client.get(reverse("lotse_two_factor_setup")).content.decode()
    assert "Set up two-factor authentication" in html
    assert "scan this QR code" in html


# Recovery codes


@pytest.mark.django_db
def test_a_recovery_code_works_once():
    user = member(Membership.Role.CONTACT)
    totp_device_of(user)
    codes = two_factor.new_recovery_codes(user)
    client, _ = password_step(user.username)
    verify = reverse("lotse_two_factor_verify")
    response = client.post(verify, {"code": codes[3].upper().replace("-", " "), "next": ADMIN})
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200
    assert two_factor.remaining_recovery_codes(user) == len(codes) - 1

    again, _ = password_step(user.username)
    assert again.post(verify, {"code": codes[3]}).status_code == 400
    assert again.get(ADMIN).status_code == 302
    with later(2):
        assert again.post(verify, {"code": codes[4]}).status_code == 302


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones(client):
    user = member(Membership.Role.COORDINATOR)
    old = two_factor.new_recovery_codes(user)
    client.force_login(user)
    response = client.post(reverse("lotse_two_factor_manage"), {"action": "recovery_codes"})
    new = re.findall(r"<code>([a-z2-9-]{19})</code>", response.content.decode())
    assert len(new) == two_factor.RECOVERY_CODE_COUNT and not set(new) & set(old)
    fresh, _ = password_step(user.username)
    assert fresh.post(reverse("lotse_two_factor_verify"), {"code": old[0]}).status_code == 400
    with later(2):
        assert fresh.post(reverse("lotse_two_factor_verify"), {"code": new[0]}).status_code == 302


# Switching off


@pytest.mark.django_db
def test_only_those_not_required_may_switch_it_off(client):
    editor = member(Membership.Role.EDITOR)
    client.force_login(editor)
    client.post(reverse("lotse_two_factor_manage"), {"action": "disable"})
    assert not two_factor.has_device(editor)

    adviser = member(Membership.Role.ADVISER)
    client.force_login(adviser)
    response = client.post(reverse("lotse_two_factor_manage"), {"action": "disable"})
    # Wagtail answers a refusal with its "no permission" message and the dashboard.
    assert response.status_code == 302 and response["Location"] == ADMIN
    assert two_factor.has_device(adviser)


@pytest.mark.django_db
def test_the_account_page_links_to_the_screen(client):
    client.force_login(member(Membership.Role.EDITOR))
    html = client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("lotse_two_factor_manage") in html


@pytest.mark.django_db
def test_a_forged_device_id_in_the_session_does_not_count():
    victim = member(Membership.Role.COORDINATOR, "opfer")
    intruder = member(Membership.Role.COORDINATOR, "fremd")
    client, _ = password_step(intruder.username)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device_of(victim).persistent_id
    session.save()
    totp_device_of(intruder)
    assert client.get(ADMIN).status_code == 302
    assert SESSION_KEY in client.session


# The demo's path through the second step


@pytest.mark.django_db
def test_the_demo_shows_the_code_of_the_published_key_only_with_debug_on(settings):
    user = member(Membership.Role.ADVISER, "beratung")
    TOTPDevice.objects.create(
        user=user, name=two_factor.DEMO_TOTP_NAME, key=two_factor.demo_totp_key(), confirmed=True
    )
    settings.DEBUG = True
    client, _ = password_step("beratung")
    page = client.get(reverse("lotse_two_factor_verify")).content.decode()
    code = two_factor.demo_code()
    assert code in page
    response = client.post(reverse("lotse_two_factor_verify"), {"code": code, "next": ADMIN})
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200

    settings.DEBUG = False
    client, _ = password_step("beratung")
    page = client.get(reverse("lotse_two_factor_verify")).content.decode()
    assert "demo_otp_code" not in page


@pytest.mark.django_db
def test_an_own_app_never_shows_its_code(settings):
    user = member(Membership.Role.ADVISER, "eigen")
    device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
    settings.DEBUG = True
    client, _ = password_step("eigen")
    page = client.get(reverse("lotse_two_factor_verify")).content.decode()
    assert "demo_otp_code" not in page
    assert device.key not in page
