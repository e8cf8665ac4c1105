"""Partner organisations, their people and roles, and the county's areas.

This app knows nothing of the directory or handovers; they depend on it.
"""

import datetime as dt
import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from lotse.conf import lotse_settings

from .inputs import TextValidator


class HierarchyMixin:
    """Shared rules for models with a `parent` pointing to their own kind."""

    def ancestors(self):
        """Parents from the nearest up; stops on a loop instead of spinning forever."""
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            yield node
            seen.add(node.pk)
            node = node.parent

    def clean_parent(self):
        if self.parent_id is None:
            return
        if self.pk is not None and (
            self.parent_id == self.pk or any(a.pk == self.pk for a in self.parent.ancestors())
        ):
            raise ValidationError(
                {"parent": _("An entry cannot be placed below itself or one of its children.")}
            )


def validate_latitude(value):
    if not -90 <= value <= 90:
        raise ValidationError(_("Latitude must lie between -90 and 90 degrees."))


def validate_longitude(value):
    if not -180 <= value <= 180:
        raise ValidationError(_("Longitude must lie between -180 and 180 degrees."))


class Language(models.Model):
    """A language an offer is given in or a person speaks (ISO 639-1/-3 code)."""

    code = models.CharField(
        _("language code"),
        max_length=8,
        unique=True,
        help_text=_("ISO 639 code, e.g. “de”, “tr”, “uk”, “ar”."),
    )
    name = models.CharField(_("name"), max_length=100)
    native_name = models.CharField(_("native name"), max_length=100, blank=True)
    right_to_left = models.BooleanField(_("written right to left"), default=False)

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("native_name"),
        FieldPanel("right_to_left"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.name

    def clean(self):
        self.code = self.code.strip().lower()


class SocialArea(HierarchyMixin, index.Indexed, models.Model):
    """The county, its municipalities and their social areas (Sozialräume)."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("County")
        MUNICIPALITY = "municipality", _("Municipality")
        SOCIAL_AREA = "social_area", _("Social area")
        DISTRICT = "district", _("Town district")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    postcodes = models.CharField(
        _("postcodes"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated German postcodes of this area."),
    )
    latitude = models.FloatField(
        _("centroid latitude"), null=True, blank=True, validators=[validate_latitude]
    )
    longitude = models.FloatField(
        _("centroid longitude"), null=True, blank=True, validators=[validate_longitude]
    )
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("parent"),
        FieldPanel("postcodes"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Centroid")),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("postcodes"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("social area")
        verbose_name_plural = _("social areas")

    def __str__(self):
        return self.name

    def clean(self):
        self.clean_parent()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                _("Give both latitude and longitude of the centroid, or neither.")
            )
        codes = [c.strip() for c in self.postcodes.split(",") if c.strip()]
        bad = [c for c in codes if not (len(c) == 5 and c.isdigit())]
        if bad:
            raise ValidationError(
                {"postcodes": _("Not a German postcode: %(codes)s") % {"codes": ", ".join(bad)}}
            )
        self.postcodes = ", ".join(codes)
        if not self.slug:
            self.slug = slugify(self.name)

    @property
    def postcode_list(self):
        return [c.strip() for c in self.postcodes.split(",") if c.strip()]


class Organisation(HierarchyMixin, index.Indexed, models.Model):
    """A partner in the network (HSDS organization)."""

    class Kind(models.TextChoices):
        COUNTY_DEPARTMENT = "county_department", _("County department")
        JOB_CENTRE = "job_centre", _("Job centre")
        EMPLOYMENT_AGENCY = "employment_agency", _("Employment agency")
        PENSION_INSURANCE = "pension_insurance", _("Pension insurance")
        WELFARE_ASSOCIATION = "welfare_association", _("Welfare association")
        MUNICIPALITY = "municipality", _("Municipality")
        NEIGHBOURHOOD_POINT = "neighbourhood_point", _("Neighbourhood contact point")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, help_text=_("E.g. “AWO”, “DRK”.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # Bounded (LOTSE_MAX_TEXT_CHARS): a description of megabytes slowed every public page.
    description = models.TextField(_("description"), blank=True, validators=[TextValidator()])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trusted = models.BooleanField(
        _("trusted"),
        default=False,
        help_text=_(
            "Editors of a trusted organisation publish directly; otherwise the county "
            "coordination approves their changes first."
        ),
    )
    editors_group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="lotse_organisation",
        help_text="Carries the Wagtail page and guardian object permissions of the editors.",
    )
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("slug"), FieldPanel("kind")],
            heading=_("Organisation"),
        ),
        FieldPanel("description"),
        FieldPanel("parent"),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("Contact"),
        ),
        FieldPanel("logo"),
        FieldPanel("trusted"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("name"),
        index.FilterField("id"),  # permission filters narrow searches by id
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def clean(self):
        self.clean_parent()
        if not self.slug:
            self.slug = slugify(self.name)[:200]


class Person(index.Indexed, models.Model):
    """A named contact at an organisation (HSDS contact), reachable for handovers."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="people",
    )
    name = models.CharField(_("name"), max_length=150)
    function = models.CharField(
        _("role / function"), max_length=150, blank=True, help_text=_("E.g. “Schuldnerberaterin”.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages spoken"), blank=True, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    deputy = models.ForeignKey(
        "self",
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_for",
        help_text=_(
            "Acts for this person during absences. Only the person themselves or the "
            "coordination name a deputy."
        ),
    )
    # Who named the deputy and when: a deputy reads handovers only when the person's own
    # account or a coordinator named them (see `permissions.counting_deputy`).
    deputy_named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy named by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deputy_named_at = models.DateTimeField(
        _("deputy named at"), null=True, blank=True, editable=False
    )
    accepts_handovers = models.BooleanField(_("receives handovers"), default=True)
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)

    #: The fields that decide who receives handovers; every change to them is audited.
    HANDOVER_FIELDS = ("user_id", "deputy_id", "accepts_handovers")
    _TRACKED = (*HANDOVER_FIELDS, "deputy_named_by_id")

    panels = [
        FieldPanel("organisation"),
        FieldPanel("name"),
        FieldPanel("function"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        FieldPanel("languages"),
        FieldPanel("user"),
        FieldPanel("deputy"),
        FieldPanel("accepts_handovers"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("function"),
        index.AutocompleteField("name"),
        index.FilterField("id"),  # permission filters narrow searches by id
        index.FilterField("organisation_id"),
        index.FilterField("accepts_handovers"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        if self.function:
            return f"{self.name} ({self.function})"
        return self.name

    def save(self, *args, **kwargs):
        # The change and its audit entries (written by signal receivers) commit together.
        with transaction.atomic():
            super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_handover_fields()
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.remember_handover_fields()

    def remember_handover_fields(self):
        """Keep the stored values (of the loaded fields), so that a save knows what it changes."""
        self._stored = {
            name: self.__dict__[name] for name in self._TRACKED if name in self.__dict__
        }

    def stored(self, name):
        """A tracked field ("user_id", "deputy_id", …) as stored; None for a new person."""
        stored = getattr(self, "_stored", None)
        if self.pk is None or stored is None:
            return None
        if name not in stored:  # deferred when loaded
            stored[name] = (
                type(self)._default_manager.filter(pk=self.pk).values_list(name, flat=True).first()
            )
        return stored[name]

    def handover_changes(self):
        """{"user"/"deputy"/"accepts_handovers": (stored, new)} that a save would write."""
        changes = {}
        for name in self.HANDOVER_FIELDS:
            new = getattr(self, name)
            old = self.stored(name)
            if old is None and self.pk is None and name == "accepts_handovers":
                old = False
            if old != new:
                changes[name.removesuffix("_id")] = (old, new)
        return changes

    def clean(self):
        if self.deputy_id is not None and self.deputy_id == self.pk:
            raise ValidationError({"deputy": _("A person cannot be their own deputy.")})
        if self.deputy is not None and self.deputy.organisation_id != self.organisation_id:
            # A deputy reads the handovers addressed to this person: same organisation only.
            raise ValidationError({"deputy": _("The deputy must work for the same organisation.")})
        if self.accepts_handovers and not (self.email or self.user_id):
            raise ValidationError(
                {
                    "email": _(
                        "A person who receives handovers needs an e-mail address or a user "
                        "account, so that they can be told a handover is waiting."
                    )
                }
            )


class Membership(models.Model):
    """A user's role in an organisation; roles decide what the user may do there."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("County coordinator")
        ADVISER = "adviser", _("Adviser")
        EDITOR = "editor", _("Editor")
        CONTACT = "contact", _("Handover contact")
        ORG_ADMIN = "org_admin", _("Organisation administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("user"), FieldPanel("organisation"), FieldPanel("role")]

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="lotse_network_membership_unique_role"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


def invitation_validity():
    """How long an invitation link works: `LOTSE_INVITATION_DAYS` (default 7 days)."""
    return dt.timedelta(days=lotse_settings.LOTSE_INVITATION_DAYS)


def hash_invitation_token(token):
    """Only this digest is stored, so a copy of the database hands out no working links.

    The token carries 256 random bits; a plain, unsalted SHA-256 is enough to make it
    unguessable from the digest and still lets us look invitations up by it.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email):
    """E-mail addresses are compared case-insensitively throughout onboarding."""
    return (email or "").strip().lower()


class InvitationQuerySet(models.QuerySet):
    def with_status(self, status, now=None):
        """Invitations in one `Invitation.Status`, as of `now`."""
        now = now or timezone.now()
        if status == Invitation.Status.ACCEPTED:
            return self.filter(accepted_at__isnull=False)
        if status == Invitation.Status.REVOKED:
            return self.filter(accepted_at__isnull=True, revoked_at__isnull=False)
        still_open = self.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        if status == Invitation.Status.EXPIRED:
            return still_open.filter(expires_at__lte=now)
        if status == Invitation.Status.PENDING:
            return still_open.filter(expires_at__gt=now)
        return self.none()

    def pending(self):
        return self.with_status(Invitation.Status.PENDING)


class Invitation(models.Model):
    """A single-use, expiring offer, sent by e-mail, to join an organisation in a role.

    The e-mailed link carries a random token; only its digest is stored. Accepting creates the
    user (or uses the invitee's existing account) and the membership; see `lotse.network.services`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    email = models.EmailField(_("e-mail"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(
        max_length=10,
        blank=True,
        editable=False,
        help_text="Language of the e-mail; re-sending uses it again.",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("invited at"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("valid until"), editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The account that accepted the invitation.",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["email"], name="lotse_network_invitation_email")]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def clean(self):
        self.email = normalise_email(self.email)

    @property
    def status(self):
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self):
        return self.status.label

    @property
    def can_be_revoked(self):
        return self.status == self.Status.PENDING

    @property
    def can_be_resent(self):
        """Open and expired invitations can be sent again, with a new link."""
        return self.status in (self.Status.PENDING, self.Status.EXPIRED)

    def issue_token(self):
        """A new random token: store its digest, restart the validity, return it once."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_invitation_token(token)
        self.sent_at = timezone.now()
        self.expires_at = self.sent_at + invitation_validity()
        return token
