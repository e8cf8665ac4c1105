"""Onboarding: invite partner users by e-mail and turn accepted invitations into memberships.

Views and admin screens call these functions and only render their results, so the rules live
in one place. Who may invite is decided by `permissions.can(inviter, ADD, Membership(...))`
alone: the invitation hands out exactly the membership the inviter could have created.
"""

import re
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from . import permissions
from .models import Invitation, Membership, Organisation, hash_invitation_token, normalise_email


class InvitationError(Exception):
    """An invitation link that cannot be used; `code` says why, `message` tells the visitor."""

    INVALID = "invalid"
    EXPIRED = "expired"
    ACCEPTED = "accepted"
    REVOKED = "revoked"

    def __init__(self, code, invitation=None):
        super().__init__(code)
        self.code = code
        self.invitation = invitation

    @property
    def message(self):
        if self.code == self.EXPIRED:
            expired = formats.date_format(
                timezone.localtime(self.invitation.expires_at), "DATETIME_FORMAT"
            )
            return _(
                "This invitation expired on %(date)s. Please ask the person who invited you "
                "to send you a new one."
            ) % {"date": expired}
        if self.code == self.ACCEPTED:
            return _(
                "This invitation has already been accepted, and each link works only once. "
                "Please sign in with your account."
            )
        if self.code == self.REVOKED:
            return _(
                "This invitation has been withdrawn. Please contact the person who invited you "
                "if you think this is a mistake."
            )
        return _(
            "This invitation link is not valid. Please check that you opened the complete link "
            "from the e-mail, or ask for a new invitation."
        )


class InvitationNotSent(Exception):
    """The e-mail could not be handed to the mail server; nothing was saved or changed."""


def may_invite(user, organisation, role):
    """May `user` invite someone to `organisation` in `role`? (Only `permissions` decides.)"""
    return permissions.can(user, permissions.ADD, Membership(organisation=organisation, role=role))


def _invitable_pairs(user):
    """{organisation_id: [role, ...]} the user may invite for, among organisations they see."""
    pairs = {}
    for org_id in permissions.visible_organisations(user).values_list("pk", flat=True):
        roles = [
            role
            for role in Membership.Role
            if permissions.can(user, permissions.ADD, Membership(organisation_id=org_id, role=role))
        ]
        if roles:
            pairs[org_id] = roles
    return pairs


def invitable_organisations(user):
    """Organisations the user may invite at least one role to."""
    return Organisation.objects.filter(pk__in=list(_invitable_pairs(user)))


def invitable_roles(user):
    """Roles the user may invite for in at least one organisation, in the roles' order."""
    allowed = {role for roles in _invitable_pairs(user).values() for role in roles}
    return [role for role in Membership.Role if role in allowed]


def may_invite_anywhere(user):
    """Gates the invitations screen: only those who may invite someone somewhere use it."""
    return bool(_invitable_pairs(user))


def visible_invitations(user):
    """Invitations the user may see and manage: those to organisations they may invite to."""
    return Invitation.objects.filter(organisation__in=invitable_organisations(user))


def existing_account(email):
    """The active account registered with this e-mail address, if there is one."""
    return (
        get_user_model()
        .objects.filter(email__iexact=normalise_email(email), is_active=True)
        .order_by("pk")
        .first()
    )


def validate_invitation(inviter, email, organisation, role):
    """Raise PermissionDenied or ValidationError unless this invitation may be sent now."""
    if not may_invite(inviter, organisation, role):
        raise PermissionDenied
    email = normalise_email(email)
    accounts = get_user_model().objects.filter(email__iexact=email)
    if accounts.exists() and not accounts.filter(is_active=True).exists():
        raise ValidationError(
            _(
                "The account with this e-mail address is deactivated. Please ask an "
                "administrator to reactivate it before inviting its owner."
            ),
            code="inactive_account",
        )
    if Membership.objects.filter(
        user__email__iexact=email, organisation=organisation, role=role
    ).exists():
        raise ValidationError(
            _("%(email)s already holds this role at %(organisation)s.")
            % {"email": email, "organisation": organisation},
            code="already_member",
        )
    if (
        Invitation.objects.pending()
        .filter(email=email, organisation=organisation, role=role)
        .exists()
    ):
        raise ValidationError(
            _(
                "An invitation for %(email)s to this organisation and role is still open. "
                "Send it again from the list of invitations instead."
            )
            % {"email": email},
            code="already_invited",
        )


def invite(inviter, email, organisation, role, request=None):
    """Create an invitation and e-mail its link; all or nothing.

    The e-mail is sent inside the transaction: if the mail server refuses it, the invitation is
    rolled back and `InvitationNotSent` is raised, so no invitation exists whose link nobody got.
    """
    with transaction.atomic():
        validate_invitation(inviter, email, organisation, role)
        invitation = Invitation(
            email=normalise_email(email),
            organisation=organisation,
            role=role,
            invited_by=inviter,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        token = invitation.issue_token()
        invitation.created_at = invitation.sent_at
        invitation.save()
        _send(invitation, token, inviter, request)
    return invitation


def resend(user, invitation, request=None):
    """E-mail an open or expired invitation again with a new link; the old link stops working.

    If sending fails, the old link and expiry stay as they were.
    """
    if not may_invite(user, invitation.organisation, invitation.role):
        raise PermissionDenied
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.can_be_resent:
            raise ValidationError(
                _("Only open or expired invitations can be sent again."), code="not_resendable"
            )
        token = invitation.issue_token()
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
        _send(invitation, token, user, request)
    return invitation


def revoke(user, invitation):
    """Withdraw an open invitation: its link stops working at once."""
    if not may_invite(user, invitation.organisation, invitation.role):
        raise PermissionDenied
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.can_be_revoked:
            raise ValidationError(
                _("Only open invitations can be withdrawn."), code="not_revocable"
            )
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = user
        invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


@sensitive_variables("token")
def _send(invitation, token, sender, request):
    """Render and send the invitation e-mail in the invitation's language."""
    with translation.override(invitation.language or settings.LANGUAGE_CODE):
        path = reverse("network:invitation_accept", kwargs={"token": token})
        if request is not None:
            link = request.build_absolute_uri(path)
        else:
            link = urljoin(settings.WAGTAILADMIN_BASE_URL, path)
        context = {
            "invitation": invitation,
            "link": link,
            "inviter": (sender.get_full_name() or sender.get_username()) if sender else "",
            "organisation": invitation.organisation.name,
            "role": invitation.get_role_display(),
            "expires": formats.date_format(
                timezone.localtime(invitation.expires_at), "DATETIME_FORMAT"
            ),
            "site_name": getattr(settings, "WAGTAIL_SITE_NAME", "Lotse"),
            "has_account": existing_account(invitation.email) is not None,
        }
        subject = render_to_string("lotse_network/email/invitation_subject.txt", context)
        text = render_to_string("lotse_network/email/invitation.txt", context)
        html = render_to_string("lotse_network/email/invitation.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as error:
        # Whatever the backend raises (SMTP, DNS, TLS), the caller's transaction must roll back.
        raise InvitationNotSent from error


@sensitive_variables("token")
def usable_invitation(token, lock=False):
    """The invitation behind `token`, or InvitationError saying why it cannot be used."""
    if not token:
        raise InvitationError(InvitationError.INVALID)
    invitations = Invitation.objects.select_related("organisation")
    if lock:
        invitations = invitations.select_for_update()
    invitation = invitations.filter(token_hash=hash_invitation_token(token)).first()
    if invitation is None:
        raise InvitationError(InvitationError.INVALID)
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        raise InvitationError(InvitationError.ACCEPTED, invitation)
    if status == Invitation.Status.REVOKED:
        raise InvitationError(InvitationError.REVOKED, invitation)
    if status == Invitation.Status.EXPIRED:
        raise InvitationError(InvitationError.EXPIRED, invitation)
    return invitation


def suggest_username(email):
    """A free username derived from the e-mail's local part, e.g. "erika.muster2"."""
    user_model = get_user_model()
    local_part = normalise_email(email).split("@")[0]
    base = re.sub(r"[^\w.+-]", "", local_part)[:140] or "partner"
    candidate, number = base, 1
    while user_model.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


@sensitive_variables("token", "password")
def accept_invitation(token, *, user=None, username="", password="", first_name="", last_name=""):
    """Use an invitation once: create the account (or take `user`), add the membership.

    Everything happens in one transaction; any error (unusable link, taken username, weak
    password) raises before anything is written. An invitee who already has an account must
    pass it as `user`, i.e. be signed in, so nobody gets a second account for one address.
    Returns the membership.
    """
    with transaction.atomic():
        invitation = usable_invitation(token, lock=True)
        if user is not None:
            if not (
                user.is_authenticated
                and user.is_active
                and normalise_email(user.email) == invitation.email
            ):
                raise ValidationError(
                    _("This invitation is addressed to %(email)s, not to your account.")
                    % {"email": invitation.email},
                    code="wrong_account",
                )
        elif existing_account(invitation.email) is not None:
            raise ValidationError(
                _(
                    "There is already an account with this e-mail address. Please sign in "
                    "and open the invitation link again to accept it."
                ),
                code="account_exists",
            )
        else:
            user = _create_user(invitation, username, password, first_name, last_name)
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
    permissions.forget_roles(user)
    return membership


@sensitive_variables("password")
def _create_user(invitation, username, password, first_name, last_name):
    """A new account with a validated username and password; raises ValidationError."""
    user_model = get_user_model()
    user = user_model(
        **{user_model.USERNAME_FIELD: username},
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    errors = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if username and user_model.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).extend(
            user.unique_error_message(user_model, ["username"]).messages
        )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError({field: list(dict.fromkeys(msgs)) for field, msgs in errors.items()})
    user.set_password(password)
    user.save()
    password_validation.password_changed(password, user)
    return user
