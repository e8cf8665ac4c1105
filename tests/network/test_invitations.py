"""Onboarding: coordinators and organisation admins invite partner users by e-mail.

Covers who may invite, the e-mail, accepting through the public page (new and existing
accounts), expired, reused, withdrawn and unknown links, the admin screen and mail failures.
Messages are compared with `gettext` of the same text, so the tests hold before and after the
German catalogue is compiled.
"""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape

from lotse.network import services
from lotse.network.models import Invitation, Membership, hash_invitation_token
from lotse.network.services import InvitationError
from lotse.network.views import INVITATION_SESSION_KEY
from tests import factories

pytestmark = pytest.mark.django_db

Role = Membership.Role
User = get_user_model()
LINK = re.compile(r"https?://[^\s\"<>]+/einladung/(?P<token>[\w-]+)/")
GOOD_PASSWORD = "Lahnfeld-Sozialbuero-2026"


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server not reachable")


def member(role, organisation, **fields):
    """A user holding `role` at `organisation`, allowed into the Wagtail admin."""
    user = factories.UserFactory(**fields)
    factories.MembershipFactory(user=user, organisation=organisation, role=role)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def county():
    return factories.OrganisationFactory(name="Landkreis Lahnfeld")


@pytest.fixture
def awo():
    return factories.OrganisationFactory(name="AWO Lahnfeld")


@pytest.fixture
def diakonie():
    return factories.OrganisationFactory(name="Diakonie Lahnfeld")


@pytest.fixture
def coordinator(county):
    return member(Role.COORDINATOR, county, first_name="Klara", last_name="Koordina")


@pytest.fixture
def awo_admin(awo):
    return member(Role.ORG_ADMIN, awo, first_name="Anton", last_name="Admin")


def denied(response):
    """Wagtail answers a forbidden admin view with 403, or for browsers with a redirect to the
    dashboard and an error message; both reveal nothing."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def link_of(message):
    return LINK.search(message.body).group(0)


def token_of(message):
    return LINK.search(message.body).group("token")


def invite(inviter, organisation, role=Role.EDITOR, email="erika.neu@example.org"):
    return services.invite(inviter, email, organisation, role)


def open_invitation(client, message):
    """Follow the e-mailed link like a browser: token into the session, then the page."""
    first = client.get(urlsplit(link_of(message)).path)
    assert first.status_code == 302
    assert first["Referrer-Policy"] == "no-referrer"
    page = client.get(first["Location"])
    return first, page


def accept_form(**overrides):
    return {
        "username": "erika",
        "first_name": "Erika",
        "last_name": "Neu",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **overrides,
    }


# Who may invite


@pytest.mark.parametrize(
    ("inviter_role", "target", "role", "allowed"),
    [
        (Role.COORDINATOR, "other", Role.EDITOR, True),
        (Role.COORDINATOR, "other", Role.COORDINATOR, True),
        (Role.ORG_ADMIN, "own", Role.EDITOR, True),
        (Role.ORG_ADMIN, "own", Role.ORG_ADMIN, True),
        (Role.ORG_ADMIN, "own", Role.COORDINATOR, False),
        (Role.ORG_ADMIN, "other", Role.EDITOR, False),
        (Role.EDITOR, "own", Role.EDITOR, False),
        (Role.CONTACT, "own", Role.CONTACT, False),
        (Role.ADVISER, "other", Role.EDITOR, False),
    ],
)
def test_who_may_invite(awo, diakonie, inviter_role, target, role, allowed):
    inviter = member(inviter_role, awo)
    organisation = awo if target == "own" else diakonie
    if allowed:
        invitation = invite(inviter, organisation, role)
        assert invitation.organisation == organisation
        assert invitation.role == role
        assert invitation.invited_by == inviter
        assert len(mail.outbox) == 1
    else:
        with pytest.raises(PermissionDenied):
            invite(inviter, organisation, role)
        assert not Invitation.objects.exists()
        assert mail.outbox == []


def test_anonymous_and_inactive_users_may_not_invite(awo, coordinator):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        invite(AnonymousUser(), awo)
    coordinator.is_active = False
    coordinator.save()
    with pytest.raises(PermissionDenied):
        invite(coordinator, awo)
    assert not Invitation.objects.exists()


def test_superuser_may_invite_anyone_anywhere(awo):
    boss = User.objects.create_superuser("chef", "chef@example.org", "pw")
    assert invite(boss, awo, Role.COORDINATOR).role == Role.COORDINATOR


def test_invitable_organisations_and_roles_follow_permissions(
    awo, diakonie, awo_admin, coordinator
):
    assert set(services.invitable_organisations(awo_admin)) == {awo}
    assert Role.COORDINATOR not in services.invitable_roles(awo_admin)
    assert Role.EDITOR in services.invitable_roles(awo_admin)
    assert {awo, diakonie} <= set(services.invitable_organisations(coordinator))
    assert services.invitable_roles(coordinator) == list(Role)
    editor = member(Role.EDITOR, awo)
    assert not services.invitable_organisations(editor).exists()
    assert services.invitable_roles(editor) == []


# The invitation and its e-mail


def test_email_names_inviter_organisation_role_link_and_expiry(awo, coordinator):
    invitation = invite(coordinator, awo, Role.EDITOR, email="  Erika.Neu@Example.ORG ")
    assert invitation.email == "erika.neu@example.org"
    [message] = mail.outbox
    assert message.to == ["erika.neu@example.org"]
    assert "AWO Lahnfeld" in message.subject
    html = message.alternatives[0][0]
    expires = timezone.localtime(invitation.expires_at)
    for body in (message.body, html):
        assert "Klara Koordina" in body
        assert "AWO Lahnfeld" in body
        assert str(Role.EDITOR.label) in body  # "Redaktion" in German
        assert str(expires.year) in body and str(expires.day) in body
        assert link_of(message) in body
    assert link_of(message).startswith("http://testserver/einladung/")
    # Only a digest of the link's token is stored.
    token = token_of(message)
    assert len(token) >= 40
    assert invitation.token_hash == hash_invitation_token(token)
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert not any(token in str(value) for value in stored.values())


def test_email_contains_no_password_or_digest(awo, coordinator):
    invitation = invite(coordinator, awo)
    [message] = mail.outbox
    for body in (message.body, message.alternatives[0][0]):
        assert invitation.token_hash not in body
        assert "test-password" not in body  # the inviter's
        assert not re.search(r"pass(wort|word)[ \t]*:[ \t]*[^\s<]", body, re.IGNORECASE)


def test_email_in_the_inviters_language(awo, coordinator):
    with translation.override("en"):
        invite(coordinator, awo)
    [message] = mail.outbox
    assert "/en/einladung/" in link_of(message)
    assert message.subject.startswith("Invitation to AWO Lahnfeld")
    assert "Editor" in message.body


def test_validity_defaults_to_seven_days_and_follows_the_setting(awo, coordinator, settings):
    first = invite(coordinator, awo, email="a@example.org")
    assert first.expires_at - first.created_at == dt.timedelta(days=7)
    settings.LOTSE_INVITATION_DAYS = 2
    second = invite(coordinator, awo, email="b@example.org")
    assert second.expires_at - second.created_at == dt.timedelta(days=2)


def test_no_second_open_invitation_for_the_same_address_organisation_and_role(awo, coordinator):
    invite(coordinator, awo, email="erika.neu@example.org")
    with pytest.raises(ValidationError) as caught:
        invite(coordinator, awo, email="ERIKA.NEU@example.org")
    assert caught.value.code == "already_invited"
    assert Invitation.objects.count() == 1
    # Another role at the same organisation is a different invitation.
    invite(coordinator, awo, Role.CONTACT, email="erika.neu@example.org")
    assert Invitation.objects.count() == 2


def test_nobody_is_invited_to_a_role_they_already_hold(awo, coordinator):
    existing = factories.UserFactory(email="Erika.Neu@example.org")
    factories.MembershipFactory(user=existing, organisation=awo, role=Role.EDITOR)
    with pytest.raises(ValidationError) as caught:
        invite(coordinator, awo, Role.EDITOR, email="erika.neu@EXAMPLE.org")
    assert caught.value.code == "already_member"
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_deactivated_accounts_are_not_invited(awo, coordinator):
    factories.UserFactory(email="gone@example.org", is_active=False)
    with pytest.raises(ValidationError) as caught:
        invite(coordinator, awo, email="gone@example.org")
    assert caught.value.code == "inactive_account"


# Accepting with a new account


def test_accepting_creates_user_and_membership_and_signs_in(client, awo, coordinator):
    invitation = invite(coordinator, awo, Role.EDITOR)
    [message] = mail.outbox
    first, page = open_invitation(client, message)
    # The token leaves the URL at once (Django's password-reset pattern).
    assert first["Location"] == "/einladung/annehmen/"
    assert page.status_code == 200
    # No token in this URL; "no-referrer" would make browsers send "Origin: null" (CSRF fails).
    assert page["Referrer-Policy"] == "same-origin"
    assert token_of(message) not in page.content.decode()
    for text in ("AWO Lahnfeld", str(Role.EDITOR.label), "erika.neu@example.org"):
        assert escape(text) in page.content.decode()
    assert 'name="password1"' in page.content.decode()
    assert 'for="id_password1"' in page.content.decode()

    response = client.post("/einladung/annehmen/", accept_form())
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")

    user = User.objects.get(username="erika")
    assert user.email == "erika.neu@example.org"
    assert user.first_name == "Erika"
    assert user.check_password(GOOD_PASSWORD)
    assert Membership.objects.filter(user=user, organisation=awo, role=Role.EDITOR).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.user == user
    assert invitation.accepted_at is not None
    assert int(client.session["_auth_user_id"]) == user.pk
    assert INVITATION_SESSION_KEY not in client.session


def test_the_new_account_can_sign_in_again(client, awo, coordinator):
    invite(coordinator, awo)
    open_invitation(client, mail.outbox[0])
    client.post("/einladung/annehmen/", accept_form())
    client.logout()
    assert client.login(username="erika", password=GOOD_PASSWORD)
    assert not client.login(username="erika", password="wrong-password")


def test_the_new_member_lands_in_the_admin(client, awo, coordinator):
    """Membership rights (lotse.network.rights) let every network member open the Wagtail admin."""
    invite(coordinator, awo)
    open_invitation(client, mail.outbox[0])
    response = client.post("/einladung/annehmen/", accept_form(), follow=True)
    assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "erika"


def test_accepting_needs_the_csrf_token(awo, coordinator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    invite(coordinator, awo)
    open_invitation(client, mail.outbox[0])
    assert client.post("/einladung/annehmen/", accept_form()).status_code == 403
    assert not User.objects.filter(username="erika").exists()


def test_username_is_suggested_from_the_address(client, awo, coordinator):
    factories.UserFactory(username="erika.neu", email="andere@example.org")
    invite(coordinator, awo)
    _, page = open_invitation(client, mail.outbox[0])
    assert 'value="erika.neu2"' in page.content.decode()


def test_english_page_under_en(client, awo, coordinator):
    with translation.override("en"):
        invite(coordinator, awo)
    first, page = open_invitation(client, mail.outbox[0])
    assert first["Location"] == "/en/einladung/annehmen/"
    assert page.status_code == 200
    assert 'lang="en"' in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"password1": "kurz", "password2": "kurz"}, "password1"),
        ({"password2": "Something-Else-2026"}, "password2"),
        ({"password1": "erika.neu@example.org", "password2": "erika.neu@example.org"}, "password1"),
        ({"username": "ERIKA"}, "username"),
        ({"username": "erika neu!"}, "username"),
        ({"username": ""}, "username"),
    ],
)
def test_invalid_account_data_changes_nothing(client, awo, coordinator, changes, field):
    factories.UserFactory(username="Erika")
    invitation = invite(coordinator, awo)
    open_invitation(client, mail.outbox[0])
    users = User.objects.count()
    response = client.post("/einladung/annehmen/", accept_form(**changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert f'href="#id_{field}"' in html
    assert 'aria-invalid="true"' in html
    assert User.objects.count() == users
    assert not Membership.objects.filter(organisation=awo).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert "_auth_user_id" not in client.session
    # The link still works for a corrected attempt.
    response = client.post("/einladung/annehmen/", accept_form(username="erika2"))
    assert response.status_code == 302
    assert User.objects.filter(username="erika2").exists()


def test_service_validates_password_with_djangos_validators(awo, coordinator):
    invite(coordinator, awo)
    with pytest.raises(ValidationError) as caught:
        services.accept_invitation(token_of(mail.outbox[0]), username="erika", password="123")
    assert "password" in caught.value.message_dict
    assert not User.objects.filter(username="erika").exists()


# Unusable links


def test_unknown_token_is_not_found(client, awo, coordinator):
    invite(coordinator, awo)
    response = client.get("/einladung/" + "x" * 43 + "/")
    assert response.status_code == 404
    assert escape(InvitationError(InvitationError.INVALID).message) in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    # Without a token in the session the internal URL is just as invalid.
    assert client.get("/einladung/annehmen/").status_code == 404
    assert client.post("/einladung/annehmen/", accept_form()).status_code == 404
    assert not User.objects.filter(username="erika").exists()


def test_expired_link_says_so_and_changes_nothing(client, awo, coordinator):
    invitation = invite(coordinator, awo)
    [message] = mail.outbox
    with time_machine.travel(timezone.now() + dt.timedelta(days=6, hours=23)):
        _, page = open_invitation(client, message)
        assert page.status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        response = client.get(urlsplit(link_of(message)).path)
        assert response.status_code == 410
        expected = InvitationError(InvitationError.EXPIRED, invitation).message
        assert escape(expected) in response.content.decode()
        # A form opened in time and sent too late is refused as well.
        response = client.post("/einladung/annehmen/", accept_form())
        assert response.status_code == 410
        with pytest.raises(InvitationError) as caught:
            services.accept_invitation(token_of(message), username="x", password=GOOD_PASSWORD)
        assert caught.value.code == InvitationError.EXPIRED
        invitation.refresh_from_db()
        assert invitation.status == Invitation.Status.EXPIRED
        assert invitation.accepted_at is None
    assert not User.objects.filter(username="erika").exists()


def test_reused_link_says_it_was_accepted(client, awo, coordinator):
    invite(coordinator, awo)
    [message] = mail.outbox
    open_invitation(client, message)
    client.post("/einladung/annehmen/", accept_form())
    users = User.objects.count()

    other = client.__class__()
    response = other.get(urlsplit(link_of(message)).path)
    assert response.status_code == 410
    expected = InvitationError(InvitationError.ACCEPTED).message
    assert escape(expected) in response.content.decode()
    with pytest.raises(InvitationError) as caught:
        services.accept_invitation(token_of(message), username="zweite", password=GOOD_PASSWORD)
    assert caught.value.code == InvitationError.ACCEPTED
    assert User.objects.count() == users
    assert Membership.objects.filter(organisation=awo, role=Role.EDITOR).count() == 1


def test_revoked_link_says_it_was_withdrawn(client, awo, coordinator):
    invitation = invite(coordinator, awo)
    [message] = mail.outbox
    services.revoke(coordinator, invitation)
    response = client.get(urlsplit(link_of(message)).path)
    assert response.status_code == 410
    assert escape(InvitationError(InvitationError.REVOKED).message) in response.content.decode()
    with pytest.raises(InvitationError):
        services.accept_invitation(token_of(message), username="erika", password=GOOD_PASSWORD)
    assert not User.objects.filter(username="erika").exists()


def test_the_four_problems_have_distinct_messages(awo, coordinator):
    invitation = invite(coordinator, awo)
    for language in ("de", "en"):
        with translation.override(language):
            texts = {
                InvitationError(code, invitation).message
                for code in ("invalid", "expired", "accepted", "revoked")
            }
        assert len(texts) == 4


def test_revoking_after_the_link_was_opened_stops_it(client, awo, coordinator):
    invitation = invite(coordinator, awo)
    open_invitation(client, mail.outbox[0])
    services.revoke(coordinator, invitation)
    assert client.post("/einladung/annehmen/", accept_form()).status_code == 410
    assert not User.objects.filter(username="erika").exists()


# Invitees who already have an account


@pytest.fixture
def erika(awo):
    """Erika already edits for the AWO and is now invited to the Diakonie as well."""
    return member(Role.EDITOR, awo, username="erika", email="Erika.Neu@example.org")


def test_existing_account_signs_in_and_gets_only_the_membership(
    client, diakonie, coordinator, erika
):
    invitation = invite(coordinator, diakonie, Role.CONTACT)
    [message] = mail.outbox
    assert str(invitation.email) == "erika.neu@example.org"
    _, page = open_invitation(client, message)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="password1"' not in html
    assert escape(reverse("wagtailadmin_login") + "?next=%2Feinladung%2Fannehmen%2F") in html
    # Not signed in: no second account for the same address.
    assert client.post("/einladung/annehmen/", accept_form(username="erika2")).status_code == 400
    with pytest.raises(ValidationError) as caught:
        services.accept_invitation(token_of(message), username="erika2", password=GOOD_PASSWORD)
    assert caught.value.code == "account_exists"
    assert User.objects.filter(email__iexact="erika.neu@example.org").count() == 1

    # Signing in keeps the invitation in the session; the page then offers to accept.
    assert client.login(username="erika", password="test-password")
    page = client.get("/einladung/annehmen/")
    assert 'name="password1"' not in page.content.decode()
    response = client.post("/einladung/annehmen/", {})
    assert response.status_code == 302
    assert Membership.objects.filter(user=erika, organisation=diakonie, role=Role.CONTACT).exists()
    assert User.objects.filter(email__iexact="erika.neu@example.org").count() == 1
    invitation.refresh_from_db()
    assert invitation.user == erika
    assert invitation.status == Invitation.Status.ACCEPTED


def test_the_email_tells_existing_users_to_sign_in(diakonie, coordinator, erika):
    with translation.override("en"):
        invite(coordinator, diakonie, Role.CONTACT, email="someone.else@example.org")
        invite(coordinator, diakonie, Role.EDITOR, email="erika.neu@example.org")
    new_en, existing_en = mail.outbox
    assert "already have an account" in existing_en.body
    assert "already have an account" not in new_en.body
    assert "choose your username and password" in new_en.body


def test_signed_in_as_someone_else_cannot_accept_for_the_invitee(
    client, diakonie, coordinator, erika
):
    invitation = invite(coordinator, diakonie, Role.CONTACT)
    open_invitation(client, mail.outbox[0])
    stranger = member(Role.EDITOR, diakonie, username="fremd", email="fremd@example.org")
    # Signing in keeps the session's data when nobody was signed in before.
    client.force_login(stranger)
    page = client.get("/einladung/annehmen/")
    assert page.status_code == 200
    assert escape("erika.neu@example.org") in page.content.decode()
    assert client.post("/einladung/annehmen/", {}).status_code == 400
    with pytest.raises(ValidationError) as caught:
        services.accept_invitation(token_of(mail.outbox[0]), user=stranger)
    assert caught.value.code == "wrong_account"
    assert not Membership.objects.filter(organisation=diakonie, role=Role.CONTACT).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


# The admin screen


def test_admin_listing_is_scoped_to_organisations_the_user_may_invite_to(
    client, awo, diakonie, coordinator, awo_admin
):
    invite(coordinator, awo, email="neu.awo@example.org")
    invite(coordinator, diakonie, email="neu.diakonie@example.org")
    index = reverse("network_invitations:index")

    client.force_login(coordinator)
    html = client.get(index).content.decode()
    assert "neu.awo@example.org" in html and "neu.diakonie@example.org" in html

    client.force_login(awo_admin)
    response = client.get(index)
    assert response.status_code == 200
    html = response.content.decode()
    assert "neu.awo@example.org" in html
    assert "neu.diakonie@example.org" not in html
    assert "Diakonie" not in html
    results = client.get(reverse("network_invitations:index_results"), {"q": "diakonie"})
    assert "neu.diakonie@example.org" not in results.content.decode()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADVISER, Role.CONTACT])
def test_admin_screen_is_forbidden_to_members_who_may_not_invite(client, awo, coordinator, role):
    invitation = invite(coordinator, awo)
    client.force_login(member(role, awo))
    assert denied(client.get(reverse("network_invitations:index")))
    assert denied(client.get(reverse("network_invitations:add")))
    revoke = reverse("network_invitations:revoke", args=[invitation.pk])
    assert client.post(revoke).status_code == 404
    response = client.post(
        reverse("network_invitations:add"),
        {"email": "x@example.org", "organisation": awo.pk, "role": Role.EDITOR},
    )
    assert denied(response)
    assert Invitation.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("network_invitations:index"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_admin_menu_lists_invitations_for_inviters_only(client, awo, coordinator):
    client.force_login(coordinator)
    assert (
        reverse("network_invitations:index")
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    client.force_login(member(Role.EDITOR, awo))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("network_invitations:index") not in html


def test_admin_create_form_offers_only_permitted_organisations_and_roles(
    client, awo, diakonie, awo_admin
):
    client.force_login(awo_admin)
    response = client.get(reverse("network_invitations:add"))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["organisation"].queryset) == [awo]
    roles = [value for value, _label in form.fields["role"].choices if value]
    assert Role.COORDINATOR not in roles
    assert Role.EDITOR in roles


@pytest.mark.parametrize(
    ("organisation", "role", "field"),
    [("diakonie", Role.EDITOR, "organisation"), ("awo", Role.COORDINATOR, "role")],
)
def test_admin_create_form_rejects_what_the_user_may_not_invite(
    client, awo, diakonie, awo_admin, organisation, role, field
):
    client.force_login(awo_admin)
    target = {"awo": awo, "diakonie": diakonie}[organisation]
    response = client.post(
        reverse("network_invitations:add"),
        {"email": "neu@example.org", "organisation": target.pk, "role": role},
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_admin_create_form_sends_the_invitation(client, awo, awo_admin):
    client.force_login(awo_admin)
    response = client.post(
        reverse("network_invitations:add"),
        {"email": "Neu@Example.org", "organisation": awo.pk, "role": Role.EDITOR},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation, invitation.role) == (
        "neu@example.org",
        awo,
        Role.EDITOR,
    )
    assert invitation.invited_by == awo_admin
    [message] = mail.outbox
    assert "Anton Admin" in message.body
    # Built from the request: the link points at the host the admin was used on.
    assert link_of(message).startswith("http://testserver/einladung/")
    listing = client.get(reverse("network_invitations:index")).content.decode()
    assert "neu@example.org" in listing
    assert escape(str(Invitation.Status.PENDING.label)) in listing
    expires = formats.date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")
    assert expires in listing


def test_admin_create_form_reports_duplicates(client, awo, awo_admin):
    invite(awo_admin, awo, email="neu@example.org")
    client.force_login(awo_admin)
    response = client.post(
        reverse("network_invitations:add"),
        {"email": "NEU@example.org", "organisation": awo.pk, "role": Role.EDITOR},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Invitation.objects.count() == 1


def test_admin_status_filter(client, awo, coordinator):
    invite(coordinator, awo, email="offen@example.org")
    withdrawn = invite(coordinator, awo, email="zurueck@example.org")
    services.revoke(coordinator, withdrawn)
    client.force_login(coordinator)
    html = client.get(reverse("network_invitations:index"), {"status": "revoked"}).content.decode()
    assert "zurueck@example.org" in html
    assert "offen@example.org" not in html


def test_admin_revokes_an_invitation(client, awo, awo_admin):
    invitation = invite(awo_admin, awo)
    client.force_login(awo_admin)
    url = reverse("network_invitations:revoke", args=[invitation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert invitation.revoked_by == awo_admin
    with pytest.raises(InvitationError):
        services.usable_invitation(token_of(mail.outbox[0]))


def test_admin_resends_with_a_new_link(client, awo, awo_admin):
    invitation = invite(awo_admin, awo)
    old_token = token_of(mail.outbox[0])
    with time_machine.travel(timezone.now() + dt.timedelta(days=10)):
        # Expired invitations can be sent again, too (signed in then: sessions end sooner).
        client.force_login(awo_admin)
        response = client.post(reverse("network_invitations:resend", args=[invitation.pk]))
        assert response.status_code == 302
        assert len(mail.outbox) == 2
        new_token = token_of(mail.outbox[1])
        assert new_token != old_token
        with pytest.raises(InvitationError) as caught:
            services.usable_invitation(old_token)
        assert caught.value.code == InvitationError.INVALID
        assert services.usable_invitation(new_token).pk == invitation.pk
        invitation.refresh_from_db()
        assert invitation.expires_at > timezone.now() + dt.timedelta(days=6)


def test_admin_cannot_act_on_other_organisations_invitations(
    client, awo, diakonie, coordinator, awo_admin
):
    foreign = invite(coordinator, diakonie, email="fremd@example.org")
    by_coordination = invite(coordinator, awo, Role.COORDINATOR, email="chefin@example.org")
    client.force_login(awo_admin)
    for action in ("revoke", "resend"):
        # Other organisations' invitations do not exist for this user ...
        assert (
            client.post(reverse(f"network_invitations:{action}", args=[foreign.pk])).status_code
            == 404
        )
        # ... and the coordinator role at their own organisation is not theirs to manage.
        response = client.post(reverse(f"network_invitations:{action}", args=[by_coordination.pk]))
        assert denied(response)
    assert len(mail.outbox) == 2
    assert Invitation.objects.with_status(Invitation.Status.REVOKED).count() == 0
    with pytest.raises(PermissionDenied):
        services.revoke(awo_admin, foreign)


def test_accepted_invitations_are_neither_revoked_nor_resent(client, awo, coordinator):
    invitation = invite(coordinator, awo)
    services.accept_invitation(token_of(mail.outbox[0]), username="erika", password=GOOD_PASSWORD)
    with pytest.raises(ValidationError):
        services.revoke(coordinator, invitation)
    with pytest.raises(ValidationError):
        services.resend(coordinator, invitation)
    client.force_login(coordinator)
    client.post(reverse("network_invitations:resend", args=[invitation.pk]))
    assert len(mail.outbox) == 1


# When the mail server is down


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"


def test_failed_mail_leaves_no_invitation(awo, coordinator, mail_server_down):
    with pytest.raises(services.InvitationNotSent):
        invite(coordinator, awo)
    assert not Invitation.objects.exists()


def test_failed_mail_in_the_admin_shows_an_error_and_saves_nothing(
    client, awo, coordinator, mail_server_down
):
    client.force_login(coordinator)
    response = client.post(
        reverse("network_invitations:add"),
        {"email": "neu@example.org", "organisation": awo.pk, "role": Role.EDITOR},
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    expected = translation.gettext(
        "The invitation e-mail could not be sent, so no invitation was saved. "
        "Please try again later."
    )
    assert any(expected in str(m) for m in response.context["messages"])


def test_failed_resend_keeps_the_old_link(awo, coordinator, settings):
    invitation = invite(coordinator, awo)
    token = token_of(mail.outbox[0])
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    with pytest.raises(services.InvitationNotSent):
        services.resend(coordinator, invitation)
    assert services.usable_invitation(token).pk == invitation.pk


# In a real browser


WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×)" for v in results.response["violations"]]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_accept_page_passes_axe_and_works_without_javascript(live_server, browser):
    awo = factories.OrganisationFactory(name="AWO Lahnfeld")
    coordinator = member(Role.COORDINATOR, factories.OrganisationFactory())
    invite(coordinator, awo)
    path = urlsplit(link_of(mail.outbox[0])).path

    # axe is JavaScript itself: it audits the form and the form with errors.
    js_context = browser.new_context()
    try:
        page = js_context.new_page()
        page.goto(live_server.url + path)
        assert page.url == live_server.url + "/einladung/annehmen/"
        assert axe_violations(page) == []
        page.fill("#id_password1", "12345678")
        page.fill("#id_password2", "12345678")
        page.click("button[type=submit]")
        assert page.locator(".error-summary").is_visible()
        assert axe_violations(page) == []
    finally:
        js_context.close()
    assert not User.objects.filter(username="erika.neu").exists()

    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    try:
        page = context.new_page()
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1
        page.get_by_label(str(User._meta.get_field("username").verbose_name)).fill("erika")
        page.fill("#id_password1", GOOD_PASSWORD)
        page.fill("#id_password2", GOOD_PASSWORD)
        page.click("button[type=submit]")
        assert urlsplit(page.url).path == reverse("wagtailadmin_home")
    finally:
        context.close()
    assert Membership.objects.filter(user__username="erika", organisation=awo).exists()
