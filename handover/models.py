"""Consented warm handovers: the consent record, the encrypted content, status and audit trail.

What is personal (the case summary, the citizen's contact details, the consent's purpose and
text) lives in encrypted fields and is purged on withdrawal or after the retention period.
What stays on `Handover` is metadata for statistics: organisations, topics, status, dates.
`services.py` holds every rule and transition; these models only hold data and the rules the
database itself can enforce.
"""

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .crypto import EncryptedTextField


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    OPENED = "opened", _("Opened")
    ACCEPTED = "accepted", _("Accepted")
    IN_CONTACT = "in_contact", _("In contact")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


#: Waiting for the recipient's answer: deadlines, reminders and expiry apply.
AWAITING_ANSWER = (Status.SENT, Status.OPENED)
#: Not finished yet.
ACTIVE = (Status.DRAFT, Status.SENT, Status.OPENED, Status.ACCEPTED, Status.IN_CONTACT)
FINAL = (Status.CLOSED, Status.DECLINED, Status.WITHDRAWN, Status.EXPIRED)


class Outcome(models.TextChoices):
    HELPED = "helped", _("Helped")
    REFERRED_ON = "referred_on", _("Referred on")
    NOT_REACHABLE = "not_reachable", _("Citizen not reachable")
    CITIZEN_DECLINED = "citizen_declined", _("Citizen declined")
    OTHER = "other", _("Other")


class DeclineReason(models.TextChoices):
    NOT_RESPONSIBLE = "not_responsible", _("Not our responsibility")
    NO_CAPACITY = "no_capacity", _("No capacity at the moment")
    NOT_ELIGIBLE = "not_eligible", _("Citizen not eligible for our offer")
    OTHER = "other", _("Other reason")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Signed form")
    ELECTRONIC = "electronic", _("Electronic consent")
    VERBAL_DOCUMENTED = "verbal_documented", _("Verbal consent, documented by the adviser")


class DataCategory(models.TextChoices):
    """What the summary may contain; GDPR Art. 9 categories are named on their own."""

    CONTACT = "contact", _("Contact details")
    FINANCES = "finances", _("Income, debts and finances")
    FAMILY = "family", _("Family and household")
    HOUSING = "housing", _("Housing")
    WORK = "work", _("Work and education")
    BENEFITS = "benefits", _("Social benefits")
    HEALTH = "health", _("Health and care")
    RESIDENCE = "residence", _("Residence status and origin")


class Consent(models.Model):
    """The citizen's consent to one handover (SGB X §67b, GDPR Art. 7 and 9(2)(a)).

    It names one recipient organisation: a handover to another organisation needs a new
    consent. The declaration text the citizen saw is stored with its version; purpose and text
    are encrypted because advisers may write personal details into the purpose.
    """

    # Never listed in Wagtail's "usage" screens of offers, people or organisations.
    wagtail_reference_index_ignore = True

    given_at = models.DateTimeField(_("consent given at"))
    method = models.CharField(_("how consent was given"), max_length=20, choices=ConsentMethod)
    adviser_declaration = models.BooleanField(
        _("adviser's declaration"),
        default=False,
        help_text=_(
            "I read the consent text to the citizen, the citizen understood it and agreed."
        ),
    )
    data_categories = models.JSONField(_("data categories"), default=list)
    recipient_organisation = models.ForeignKey(
        "lotse_network.Organisation",
        verbose_name=_("recipient organisation"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient_person = models.ForeignKey(
        "lotse_network.Person",
        verbose_name=_("recipient"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    purpose = EncryptedTextField(_("purpose"), blank=True)
    valid_until = models.DateField(_("valid until"))
    text_version = models.CharField(_("consent text version"), max_length=40)
    text_language = models.CharField(max_length=10)
    text = EncryptedTextField(_("consent text shown to the citizen"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="verbal_documented") | Q(adviser_declaration=True),
                name="lotse_handover_consent_verbal_needs_declaration",
            ),
            models.CheckConstraint(
                condition=~Q(text_version=""), name="lotse_handover_consent_text_version"
            ),
            models.CheckConstraint(
                condition=Q(method__in=ConsentMethod.values), name="lotse_handover_consent_method"
            ),
            # Consent names what it covers: at least the citizen's contact details.
            models.CheckConstraint(
                condition=~Q(data_categories=[]), name="lotse_handover_consent_categories"
            ),
            models.CheckConstraint(
                condition=~Q(text_language=""), name="lotse_handover_consent_text_language"
            ),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"

    def get_data_categories_display(self):
        labels = dict(DataCategory.choices)
        return [labels.get(code, code) for code in self.data_categories]


class Handover(models.Model):
    """A case handed from an adviser to a named partner contact, followed to its outcome."""

    # Never listed in Wagtail's "usage" screens of offers, people or organisations.
    wagtail_reference_index_ignore = True

    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency, default="normal")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="handovers_sent",
    )
    sender_organisation = models.ForeignKey(
        "lotse_network.Organisation",
        verbose_name=_("sending organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient = models.ForeignKey(
        "lotse_network.Person",
        verbose_name=_("recipient"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="handovers_received",
    )
    recipient_organisation = models.ForeignKey(
        "lotse_network.Organisation",
        verbose_name=_("recipient organisation"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="handovers_received",
    )
    # Who reads on the receiving side: the accounts of the recipient and of the deputy they
    # named, as they were when the handover was sent. Later changes of the contact's data do
    # not reach them; only a coordinator's audited re-assignment does (`recipients.py`).
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deputy_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    offer = models.ForeignKey(
        "lotse_directory.OfferPage",
        verbose_name=_("offer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handovers",
    )
    topics = models.ManyToManyField(
        "lotse_directory.Topic", verbose_name=_("topics"), blank=True, related_name="+"
    )
    consent = models.OneToOneField(
        Consent,
        verbose_name=_("consent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handover",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("handed over again from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_handovers",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    in_contact_at = models.DateTimeField(_("contact recorded at"), null=True, blank=True)
    contact_date = models.DateField(_("first contact or appointment"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, db_index=True)
    due_at = models.DateTimeField(_("answer due by"), null=True, blank=True)
    next_step_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=20, choices=DeclineReason, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    content_purged_at = models.DateTimeField(_("content purged at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            # No consent, no handover: only a draft may exist without one.
            models.CheckConstraint(
                condition=Q(status="draft") | Q(consent__isnull=False),
                name="lotse_handover_sent_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="lotse_handover_declined_needs_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""),
                name="lotse_handover_closed_needs_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status="in_contact") | Q(contact_date__isnull=False),
                name="lotse_handover_contact_needs_date",
            ),
        ]

    def __str__(self):
        # Metadata only: this string appears in listings, breadcrumbs and logs.
        return _("Handover %(number)s") % {"number": self.pk}

    @property
    def is_final(self):
        return self.status in FINAL

    @property
    def awaits_answer(self):
        return self.status in AWAITING_ANSWER

    @property
    def has_content(self):
        return (
            self.content_purged_at is None
            and HandoverContent.objects.filter(handover_id=self.pk).exists()
        )


class HandoverContent(models.Model):
    """The personal part of a handover, encrypted; deleted when the content is purged."""

    # Never listed in Wagtail's "usage" screens of offers, people or organisations.
    wagtail_reference_index_ignore = True

    handover = models.OneToOneField(
        Handover, primary_key=True, on_delete=models.CASCADE, related_name="content"
    )
    summary = EncryptedTextField(_("case summary"))
    citizen_name = EncryptedTextField(_("citizen's name"))
    citizen_phone = EncryptedTextField(_("phone"), blank=True)
    citizen_email = EncryptedTextField(_("e-mail"), blank=True)
    preferred_language = EncryptedTextField(_("preferred language"), blank=True)
    best_times = EncryptedTextField(_("best times to reach"), blank=True)
    response_note = EncryptedTextField(_("note from the recipient"), blank=True)

    class Meta:
        verbose_name = _("handover content")
        verbose_name_plural = _("handover contents")

    def __str__(self):
        return _("Content of handover %(number)s") % {"number": self.handover_id}


#: Models and their encrypted fields, for key rotation.
def encrypted_fields():
    return {
        model: [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
        for model in (HandoverContent, Consent)
    }


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit entries are append-only.")

    def delete(self):
        raise TypeError("Audit entries are append-only.")

    _raw_delete = delete

    def of_handovers(self):
        """Entries about handovers (not about contacts' handover fields)."""
        return self.filter(handover_id__isnull=False)


GENESIS_HASH = "0" * 64


def audit_payload(entry):
    """The canonical text an entry's hash or MAC covers (a keyed entry also covers its key id).

    A function, so that migrations can apply it to their historical models.
    """
    fields = [
        entry.sequence,
        entry.created_at.astimezone(dt.UTC).isoformat(),
        entry.actor_id,
        entry.action,
        entry.handover_id,
        entry.from_status,
        entry.to_status,
        entry.previous_hash,
    ]
    if entry.key_id:
        fields += [entry.person_id, entry.detail, entry.key_id]
    elif entry.person_id or entry.detail:
        fields += [entry.person_id, entry.detail]
    return json.dumps(fields, separators=(",", ":"))


def compute_audit_hash(entry, key=None):
    if not entry.key_id:
        return hashlib.sha256(audit_payload(entry).encode()).hexdigest()
    if key is None or key.id != entry.key_id:
        raise ValueError("A keyed audit entry needs its own key.")
    return key.mac(audit_payload(entry))


class AuditEntry(models.Model):
    """One link of the chain: who did what to which handover, when. No personal data.

    `hash` is an HMAC-SHA256 (key `key_id`, from `LOTSE_AUDIT_KEYS`, outside the database) of
    the entry's fields and the previous entry's hash, so changing, removing or reordering any
    entry breaks every later link, and nobody without the key can recompute them
    (`manage.py verify_audit_chain`). Entries written before the chain was keyed have no
    `key_id` and a plain SHA-256 `hash` ("legacy"); the first keyed entry after them
    ("chain_sealed") authenticates their last hash and with it all of them.
    Python refuses updates and deletes; database triggers (see the migrations) refuse them too.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, help_text="User id; None for the system.")
    action = models.CharField(max_length=40)
    handover_id = models.BigIntegerField(null=True, db_index=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    person_id = models.BigIntegerField(
        null=True, db_index=True, help_text="The contact (Person) an entry is about, if any."
    )
    detail = models.CharField(
        max_length=200, blank=True, help_text="Ids and codes only, never personal data."
    )
    previous_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(
        max_length=16,
        blank=True,
        help_text="Id of the MAC key the hash was made with; empty for legacy SHA-256 entries.",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"#{self.sequence} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise TypeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries are append-only.")

    def compute_hash(self, key=None):
        """SHA-256 for a legacy entry; the HMAC with `key` (an `audit_keys.AuditKey`) else."""
        return compute_audit_hash(self, key)


class AuditHead(models.Model):
    """The newest link of the chain (one row). Appending locks it, so the chain never forks.

    Database triggers let it only move forward to the newest entry, never back or away
    (`append_only.py`); what someone who lifts them can still do — cut entries off the end and
    rewind the head — only an anchor outside the database reveals (`anchor_audit_chain`).
    """

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"#{self.sequence} {self.hash[:12]}"


class OutboxMessage(models.Model):
    """An e-mail written in the same transaction as the change it reports; sent later.

    Carries a link and no personal data of the citizen.
    """

    class Kind(models.TextChoices):
        WAITING = "waiting", _("Handover waiting")
        STATUS = "status", _("Status changed")
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation to the deputy")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")

    kind = models.CharField(max_length=20, choices=Kind)
    handover = models.ForeignKey(
        Handover, null=True, on_delete=models.SET_NULL, related_name="outbox_messages"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"
