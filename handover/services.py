"""Every rule of handovers: creating them with consent, transitions, reading content,
withdrawal, deadlines, purges and alternatives. Views and the API only call these.

Transitions are race-safe: the row is locked (`select_for_update`) and the status change is a
conditional UPDATE on the statuses it may come from, so of two people acting at once one wins
and the other gets `TransitionNotAllowed`. Each change, its audit entry and its outbox
messages commit together.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lotse.directory.models import OfferLocation, OfferPage
from lotse.network import permissions
from lotse.network.models import Membership, Person

from . import audit, deadlines, notifications, recipients
from .models import (
    ACTIVE,
    AWAITING_ANSWER,
    FINAL,
    Consent,
    ConsentMethod,
    DataCategory,
    DeclineReason,
    Handover,
    HandoverContent,
    Outcome,
    Status,
    Urgency,
)

#: Bump when the wording of `handover/consent_text.txt` changes: consents keep the version.
CONSENT_TEXT_VERSION = "2026-1"
CONSENT_LANGUAGES = ("de", "en")

SENDER, RECIPIENT, DEPUTY = permissions.SENDER, permissions.RECIPIENT, permissions.DEPUTY

#: action → (statuses it may come from, status it leads to, timestamp field)
TRANSITIONS = {
    "open": ((Status.SENT,), Status.OPENED, "opened_at"),
    "accept": (AWAITING_ANSWER, Status.ACCEPTED, "accepted_at"),
    "decline": (AWAITING_ANSWER, Status.DECLINED, "declined_at"),
    "contact": ((Status.ACCEPTED,), Status.IN_CONTACT, "in_contact_at"),
    "close": ((Status.ACCEPTED, Status.IN_CONTACT), Status.CLOSED, "closed_at"),
}


class TransitionNotAllowed(Exception):
    """The action is not possible from the current status, or not for this user."""

    def __init__(self, message, code="status"):
        super().__init__(message)
        self.code = code


# Who is who


def parties_q(user):
    """The handovers a user is a party to, as a filter (for `lotse.network.permissions`).

    A draft is the sender's alone: the recipient and deputy become parties when it is sent,
    as the accounts stored on it then (`permissions.receiving_q`), never via the contact's
    current data.
    """
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return Q(sender=user) | (permissions.receiving_q(user) & ~Q(status=Status.DRAFT))


def roles_of(user, handover):
    """{"sender", "recipient", "deputy"}: the user's parts in this handover."""
    roles = set()
    if user is None or not user.is_authenticated or not user.is_active:
        return roles
    if handover.sender_id == user.pk:
        roles.add(SENDER)
    if handover.status != Status.DRAFT:
        roles |= permissions.receiving_roles(
            user, handover.recipient_user_id, handover.deputy_user_id
        )
    return roles


def is_party(user, handover):
    return bool(roles_of(user, handover))


def acts_for_recipient(user, handover):
    return bool(roles_of(user, handover) & {RECIPIENT, DEPUTY})


def is_sender(user, handover):
    return SENDER in roles_of(user, handover)


def visible_handovers(user):
    """Handovers the user may see at all: parties with content, coordinators metadata."""
    return permissions.filter_queryset(
        user, permissions.VIEW, Handover.objects.select_related("recipient", "deputy_user")
    )


def receivable_contacts(user=None):
    """People who can receive handovers: they accept them and can sign in to read them."""
    return Person.objects.filter(accepts_handovers=True, user__isnull=False, user__is_active=True)


def allowed_actions(user, handover):
    """The transitions this user could perform now (for buttons and the API)."""
    actions = []
    if acts_for_recipient(user, handover):
        actions = [
            name for name, (sources, *_) in TRANSITIONS.items() if handover.status in sources
        ]
    if is_sender(user, handover) and handover.consent_id and handover.status in ACTIVE:
        actions.append("withdraw_consent")
    if is_sender(user, handover) and handover.status == Status.DRAFT:
        actions += ["edit_draft", "discard_draft"]
    return actions


# Consent


def consent_text(
    *, sender_organisation, recipient, purpose, data_categories, valid_until, language
):
    """The declaration the citizen reads and signs, in plain language, from exactly these
    fields. Returns (version, text); the text is stored with the consent."""
    if language not in CONSENT_LANGUAGES:
        language = CONSENT_LANGUAGES[0]
    labels = dict(DataCategory.choices)
    with translation.override(language):
        text = render_to_string(
            "lotse_handover/consent_text.txt",
            {
                "sender_organisation": sender_organisation.name if sender_organisation else "",
                "recipient_organisation": recipient.organisation.name,
                "recipient_name": recipient.name,
                "purpose": purpose.strip(),
                "categories": [str(labels[c]) for c in data_categories if c in labels],
                "valid_until": formats.date_format(valid_until, "DATE_FORMAT"),
            },
        )
    return CONSENT_TEXT_VERSION, "\n".join(line.rstrip() for line in text.strip().splitlines())


def adviser_organisation(user):
    ids = permissions.organisation_ids(user, {Membership.Role.ADVISER})
    if not ids:
        return None
    from lotse.network.models import Organisation

    return Organisation.objects.filter(pk__in=ids).order_by("pk").first()


def clean_consent(data, errors):
    """Validate consent fields; adds to `errors` (field → message) and returns clean values."""
    data = data or {}
    clean = {}
    given_at = data.get("given_at")
    if isinstance(given_at, dt.date) and not isinstance(given_at, dt.datetime):
        given_at = dt.datetime.combine(
            given_at, dt.time(12), tzinfo=timezone.get_current_timezone()
        )
    if not isinstance(given_at, dt.datetime):
        errors["consent.given_at"] = _("Say when the citizen gave consent.")
    elif given_at > timezone.now() + dt.timedelta(minutes=5):
        errors["consent.given_at"] = _("Consent cannot be given in the future.")
    else:
        clean["given_at"] = given_at
    method = data.get("method")
    if method not in ConsentMethod.values:
        errors["consent.method"] = _("Say how the citizen gave consent.")
    else:
        clean["method"] = method
    declaration = bool(data.get("adviser_declaration"))
    if method == ConsentMethod.VERBAL_DOCUMENTED and not declaration:
        errors["consent.adviser_declaration"] = _(
            "Verbal consent needs your declaration that you read the text to the citizen and "
            "the citizen agreed."
        )
    clean["adviser_declaration"] = declaration
    categories = data.get("data_categories") or []
    if not isinstance(categories, list | tuple) or not categories:
        errors["consent.data_categories"] = _("Choose at least one data category.")
    elif any(c not in DataCategory.values for c in categories):
        errors["consent.data_categories"] = _("Unknown data category.")
    else:
        # Contact details always go with a handover, so the consent always names them.
        chosen = set(categories) | {DataCategory.CONTACT.value}
        clean["data_categories"] = [c for c in DataCategory.values if c in chosen]
    purpose = (data.get("purpose") or "").strip()
    if not purpose:
        errors["consent.purpose"] = _("Say for what purpose the data is handed over.")
    clean["purpose"] = purpose
    valid_until = data.get("valid_until")
    if not isinstance(valid_until, dt.date) or isinstance(valid_until, dt.datetime):
        errors["consent.valid_until"] = _("Say until when the consent is valid.")
    elif valid_until < timezone.localdate():
        errors["consent.valid_until"] = _("The consent must still be valid.")
    else:
        clean["valid_until"] = valid_until
    language = data.get("language") or CONSENT_LANGUAGES[0]
    clean["language"] = language if language in CONSENT_LANGUAGES else CONSENT_LANGUAGES[0]
    return clean


def _copy_consent(consent, recipient, user):
    """The same consent for another person of the organisation it names."""
    return Consent.objects.create(
        given_at=consent.given_at,
        method=consent.method,
        adviser_declaration=consent.adviser_declaration,
        data_categories=consent.data_categories,
        recipient_organisation=consent.recipient_organisation,
        recipient_person=recipient,
        purpose=consent.purpose,
        valid_until=consent.valid_until,
        text_version=consent.text_version,
        text_language=consent.text_language,
        text=consent.text,
        recorded_by=user,
    )


def consent_covers(consent, recipient):
    """A consent names one recipient organisation: it covers its people, nobody else."""
    return (
        consent is not None
        and consent.withdrawn_at is None
        and consent.valid_until >= timezone.localdate()
        and consent.recipient_organisation_id == recipient.organisation_id
    )


# Creating


def _clean_handover(sender, recipient, summary, citizen, urgency, offer, errors):
    if not permissions.is_adviser(sender):
        raise PermissionDenied(_("Only advisers hand over cases."))
    if not isinstance(recipient, Person):
        recipient = receivable_contacts().filter(pk=recipient).first() if recipient else None
    elif not receivable_contacts().filter(pk=recipient.pk).exists():
        recipient = None
    if recipient is None:
        errors["recipient"] = _("Choose a person who receives handovers and has a user account.")
    if not (summary or "").strip():
        errors["summary"] = _("Write a summary of the case.")
    citizen = citizen or {}
    clean_citizen = {
        key: (citizen.get(key) or "").strip()
        for key in ("name", "phone", "email", "preferred_language", "best_times")
    }
    if not clean_citizen["name"]:
        errors["citizen.name"] = _("Give the citizen's name.")
    if not (clean_citizen["phone"] or clean_citizen["email"]):
        errors["citizen.phone"] = _("Give a phone number or an e-mail address.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose normal or urgent.")
    if offer is not None and not (isinstance(offer, OfferPage) and offer.live):
        errors["offer"] = _("This offer does not exist or is not published.")
    return recipient, clean_citizen


@transaction.atomic
def create_handover(
    sender,
    *,
    recipient,
    summary,
    citizen,
    consent,
    urgency=Urgency.NORMAL,
    offer=None,
    previous=None,
    draft=None,
):
    """Record the consent, store the encrypted content and send the handover.

    `consent` is a dict of consent fields, or an existing `Consent` to copy (same organisation
    only). Raises ValidationError (field → message) and stores nothing when anything is
    missing: no consent, no handover. With `draft`, that draft of the sender's is sent.
    """
    errors = {}
    if draft is not None:
        draft = _locked_draft(sender, draft)
    recipient, clean_citizen = _clean_handover(
        sender, recipient, summary, citizen, urgency, offer, errors
    )
    if isinstance(consent, Consent):
        if recipient is not None and not consent_covers(consent, recipient):
            errors["consent"] = _(
                "The consent does not cover this recipient's organisation: record a new consent."
            )
        clean = None
    else:
        clean = clean_consent(consent, errors)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    sender_organisation = adviser_organisation(sender)
    if clean is None:
        consent_row = _copy_consent(consent, recipient, sender)
    else:
        version, text = consent_text(
            sender_organisation=sender_organisation,
            recipient=recipient,
            purpose=clean["purpose"],
            data_categories=clean["data_categories"],
            valid_until=clean["valid_until"],
            language=clean["language"],
        )
        consent_row = Consent.objects.create(
            given_at=clean["given_at"],
            method=clean["method"],
            adviser_declaration=clean["adviser_declaration"],
            data_categories=clean["data_categories"],
            recipient_organisation=recipient.organisation,
            recipient_person=recipient,
            purpose=clean["purpose"],
            valid_until=clean["valid_until"],
            text_version=version,
            text_language=clean["language"],
            text=text,
            recorded_by=sender,
            recorded_at=now,
        )
    due = deadlines.end_of_working_days(now, deadlines.answer_days(urgency))
    values = {
        "status": Status.SENT,
        "urgency": urgency,
        "sender": sender,
        "sender_organisation": sender_organisation,
        "recipient": recipient,
        "recipient_organisation": recipient.organisation,
        # Who reads it from now on, whatever becomes of the contact's data.
        **recipients.receivers(recipient),
        "offer": offer,
        "consent": consent_row,
        "previous": previous,
        "sent_at": now,
        "due_at": due,
        "next_step_at": due,
    }
    if draft is None:
        handover = Handover.objects.create(created_at=now, **values)
    else:
        Handover.objects.filter(pk=draft.pk, status=Status.DRAFT).update(**values)
        handover = Handover.objects.get(pk=draft.pk)
    if offer is not None:
        handover.topics.set(offer.topics.all())
    elif previous is not None:
        handover.topics.set(previous.topics.all())
    HandoverContent.objects.update_or_create(
        handover=handover, defaults=_content_values(summary, clean_citizen)
    )
    audit.record(sender, "created" if draft is None else "sent", handover, "", Status.SENT)
    notifications.queue("waiting", handover, notifications.address_of(recipient), Status.SENT.label)
    return handover


def _content_values(summary, citizen):
    return {
        "summary": (summary or "").strip(),
        "citizen_name": citizen["name"],
        "citizen_phone": citizen["phone"],
        "citizen_email": citizen["email"],
        "preferred_language": citizen["preferred_language"],
        "best_times": citizen["best_times"],
    }


def _locked_draft(user, draft):
    locked = Handover.objects.select_for_update().filter(pk=draft.pk).first()
    if locked is None or locked.sender_id != getattr(user, "pk", None):
        raise PermissionDenied
    if locked.status != Status.DRAFT:
        raise TransitionNotAllowed(_("This handover has already been sent."))
    return locked


@transaction.atomic
def save_draft(
    sender,
    *,
    recipient=None,
    summary="",
    citizen=None,
    urgency=Urgency.NORMAL,
    offer=None,
    draft=None,
):
    """Keep an unfinished handover for its sender alone: nobody is told, no deadline runs,
    no consent is needed yet (it is recorded on sending). Content is encrypted like any other.
    Drafts are deleted a retention period after they were started."""
    if not permissions.is_adviser(sender):
        raise PermissionDenied(_("Only advisers hand over cases."))
    if recipient is not None and not receivable_contacts().filter(pk=recipient.pk).exists():
        raise ValidationError(
            {"recipient": _("Choose a person who receives handovers and has a user account.")}
        )
    if urgency not in Urgency.values:
        urgency = Urgency.NORMAL
    citizen = citizen or {}
    clean_citizen = {
        key: (citizen.get(key) or "").strip()
        for key in ("name", "phone", "email", "preferred_language", "best_times")
    }
    values = {
        "urgency": urgency,
        "recipient": recipient,
        "recipient_organisation": recipient.organisation if recipient else None,
        "offer": offer if isinstance(offer, OfferPage) and offer.live else None,
        "sender_organisation": adviser_organisation(sender),
    }
    if draft is None:
        handover = Handover.objects.create(status=Status.DRAFT, sender=sender, **values)
        audit.record(sender, "draft_saved", handover, "", Status.DRAFT)
    else:
        handover = _locked_draft(sender, draft)
        Handover.objects.filter(pk=handover.pk).update(**values)
        handover.refresh_from_db()
        audit.record(sender, "draft_saved", handover)
    handover.topics.set(handover.offer.topics.all() if handover.offer_id else [])
    HandoverContent.objects.update_or_create(
        handover=handover, defaults=_content_values(summary, clean_citizen)
    )
    return handover


@transaction.atomic
def discard_draft(user, draft):
    """The sender throws a draft away: it and its content are deleted."""
    handover = _locked_draft(user, draft)
    audit.record(user, "draft_discarded", handover, Status.DRAFT, "")
    handover.delete()


@transaction.atomic
def rehandover(user, handover, recipient, *, offer=None, consent=None, urgency=None):
    """Hand a declined (or expired) case to someone else in one step, copying the content.

    The old consent is copied when it covers the new recipient's organisation; for another
    organisation `consent` must hold a new consent's fields.
    """
    if not is_sender(user, handover):
        raise TransitionNotAllowed(_("Only the sender can hand this case over again."), "user")
    if handover.status not in (Status.DECLINED, Status.EXPIRED):
        raise TransitionNotAllowed(_("Only declined or expired handovers can be sent again."))
    content = HandoverContent.objects.filter(handover=handover).first()
    if content is None:
        raise TransitionNotAllowed(_("The content of this handover has been deleted."))
    audit.record(user, "content_read", handover)
    return create_handover(
        user,
        recipient=recipient,
        summary=content.summary,
        citizen={
            "name": content.citizen_name,
            "phone": content.citizen_phone,
            "email": content.citizen_email,
            "preferred_language": content.preferred_language,
            "best_times": content.best_times,
        },
        consent=consent if consent is not None else handover.consent,
        urgency=urgency or handover.urgency,
        offer=offer,
        previous=handover,
    )


# Reading


def read_content(user, handover, mark_opened=False):
    """The decrypted content for a party, recorded in the audit trail; None once purged.

    With `mark_opened`, the recipient's (or deputy's) first look records "opened".
    """
    if not permissions.can(user, permissions.READ_CONTENT, handover):
        raise PermissionDenied
    with transaction.atomic():
        audit.record(user, "content_read", handover)
        if mark_opened and handover.status == Status.SENT and acts_for_recipient(user, handover):
            try:
                _transition(user, handover, "open")
            except TransitionNotAllowed:
                handover.refresh_from_db()
        return HandoverContent.objects.filter(handover=handover).first()


# Transitions


def _notify_sender(actor, handover, status):
    if handover.sender_id and handover.sender_id != getattr(actor, "pk", None):
        notifications.queue("status", handover, handover.sender.email, status.label)


def _transition(user, handover, action, **fields):
    sources, target, stamp = TRANSITIONS[action]
    now = timezone.now()
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    if locked.status not in sources:
        raise TransitionNotAllowed(
            _("This is not possible while the handover is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    values = {"status": target, stamp: now, **fields}
    if target not in AWAITING_ANSWER:
        values["next_step_at"] = None
    if target in FINAL:
        values["finished_at"] = now
    updated = Handover.objects.filter(pk=handover.pk, status__in=sources).update(**values)
    if not updated:
        raise TransitionNotAllowed(_("Someone else changed this handover just now."))
    audit.record(user, action, handover, locked.status, target)
    handover.refresh_from_db()
    _notify_sender(user, handover, target)
    return handover


@transaction.atomic
def transition(user, handover, action, *, reason="", outcome="", contact_date=None, note=""):
    """Perform a recipient's action (open, accept, decline, contact, close)."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("Unknown action.")})
    if not acts_for_recipient(user, handover):
        raise TransitionNotAllowed(
            _("Only the named contact or their deputy can do this."), code="user"
        )
    fields = {}
    if action == "decline":
        if reason not in DeclineReason.values:
            raise ValidationError({"reason": _("Choose a reason for declining.")})
        fields["decline_reason"] = reason
    elif action == "close":
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": _("Choose the outcome.")})
        fields["outcome"] = outcome
    elif action == "contact":
        if not isinstance(contact_date, dt.date) or isinstance(contact_date, dt.datetime):
            raise ValidationError(
                {"contact_date": _("Give the date of the first contact or appointment.")}
            )
        fields["contact_date"] = contact_date
    _transition(user, handover, action, **fields)
    if note and note.strip():
        HandoverContent.objects.filter(handover=handover).update(response_note=note.strip())
    return handover


@transaction.atomic
def withdraw_consent(user, handover):
    """The citizen withdrew consent (recorded by the sender): purge at once, close, tell the
    recipient. Lawful processing before the withdrawal stays lawful (GDPR Art. 7(3)).

    The withdrawal covers the whole case: handovers it was handed over again from or to hold
    copies of the content and are withdrawn and purged the same way.
    """
    if not is_sender(user, handover):
        raise TransitionNotAllowed(
            _("Only the adviser who sent the handover records a withdrawal."), code="user"
        )
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    if locked.consent is None or locked.consent.withdrawn_at is not None:
        raise TransitionNotAllowed(_("The consent has already been withdrawn."))
    for one in [locked, *_same_case(locked)]:
        _withdraw_one(user, Handover.objects.select_for_update().get(pk=one.pk))
    handover.refresh_from_db()
    return handover


def _withdraw_one(user, locked):
    now = timezone.now()
    consent = locked.consent
    if consent is not None and consent.withdrawn_at is None:
        Consent.objects.filter(pk=consent.pk).update(withdrawn_at=now)
    previous_status = locked.status
    values = {}
    if previous_status in ACTIVE and previous_status != Status.DRAFT:
        values.update(status=Status.WITHDRAWN, withdrawn_at=now, finished_at=now, next_step_at=None)
    if values or consent is not None:
        Handover.objects.filter(pk=locked.pk).update(**values)
        audit.record(user, "consent_withdrawn", locked, previous_status, values.get("status", ""))
    if locked.content_purged_at is None or HandoverContent.objects.filter(handover=locked).exists():
        purge_content(locked, "content_purged", actor=user)
    told = [notifications.address_of(locked.recipient)]
    if locked.deputy_user_id and locked.escalated_at:
        # The deputy was asked to take care of it: they may hold copies, too.
        told.append(recipients.deputy_address(locked))
    for address in dict.fromkeys(told):
        notifications.queue("withdrawn", locked, address, Status.WITHDRAWN.label)


def _same_case(handover):
    """The other handovers of one case: those it was handed over again from, and onwards."""
    seen = {handover.pk}
    frontier = [handover.pk]
    found = []
    while frontier:
        linked = Handover.objects.filter(
            Q(pk__in=Handover.objects.filter(pk__in=frontier).values("previous_id"))
            | Q(previous_id__in=frontier)
        ).exclude(pk__in=seen)
        frontier = []
        for other in linked:
            seen.add(other.pk)
            frontier.append(other.pk)
            found.append(other)
    return found


# Deadlines and purges


def process_deadlines(now=None):
    """One step for every handover whose answer is overdue: remind the recipient, then escalate
    to the deputy and tell the adviser, then mark it expired. Returns the number of steps."""
    now = now or timezone.now()
    steps = 0
    overdue = Handover.objects.filter(status__in=AWAITING_ANSWER, next_step_at__lte=now)
    for pk in list(overdue.values_list("pk", flat=True)):
        with transaction.atomic():
            handover = (
                Handover.objects.select_for_update()
                .filter(pk=pk, status__in=AWAITING_ANSWER, next_step_at__lte=now)
                .first()
            )
            if handover is None:
                continue
            _deadline_step(handover, now)
            steps += 1
    return steps


def _deadline_step(handover, now):
    if handover.reminded_at is None:
        handover.reminded_at = now
        handover.next_step_at = deadlines.end_of_working_days(now, deadlines.escalation_days())
        handover.save(update_fields=["reminded_at", "next_step_at"])
        audit.record(None, "reminded", handover)
        notifications.queue("reminder", handover, notifications.address_of(handover.recipient))
    elif handover.escalated_at is None:
        handover.escalated_at = now
        handover.next_step_at = deadlines.end_of_working_days(now, deadlines.expiry_days())
        handover.save(update_fields=["escalated_at", "next_step_at"])
        audit.record(None, "escalated", handover)
        # The deputy who may read it: named when it was sent, not whoever is deputy now.
        notifications.queue("escalation", handover, recipients.deputy_address(handover))
        if handover.sender_id:
            notifications.queue(
                "status",
                handover,
                handover.sender.email,
                _("no answer yet, escalated to the deputy"),
            )
    else:
        previous = handover.status
        Handover.objects.filter(pk=handover.pk, status__in=AWAITING_ANSWER).update(
            status=Status.EXPIRED, expired_at=now, finished_at=now, next_step_at=None
        )
        handover.refresh_from_db()
        audit.record(None, "expired", handover, previous, Status.EXPIRED)
        _notify_sender(None, handover, Status.EXPIRED)


def purge_content(handover, reason, actor=None, consent_text_too=False):
    """Delete the personal content; the handover's metadata stays for statistics."""
    with transaction.atomic():
        HandoverContent.objects.filter(handover_id=handover.pk).delete()
        if consent_text_too and handover.consent_id:
            Consent.objects.filter(pk=handover.consent_id).update(purpose="", text="")
        Handover.objects.filter(pk=handover.pk, content_purged_at__isnull=True).update(
            content_purged_at=timezone.now()
        )
        audit.record(actor, reason, handover)


def purge_due_content(now=None):
    """The daily purge: content of handovers finished longer than the retention period ago
    (consent purpose and text too), and content whose consent is no longer valid."""
    now = now or timezone.now()
    purged = 0
    finished = Handover.objects.filter(
        status__in=FINAL, finished_at__lte=now - deadlines.retention()
    ).filter(Q(content__isnull=False) | (Q(consent__isnull=False) & ~Q(consent__text="")))
    for handover in finished:
        purge_content(handover, "content_purged", consent_text_too=True)
        purged += 1
    lapsed = Handover.objects.filter(
        content__isnull=False, consent__valid_until__lt=timezone.localdate(now)
    )
    for handover in lapsed:
        purge_content(handover, "consent_lapsed")
        purged += 1
    stale_drafts = Handover.objects.filter(
        status=Status.DRAFT, created_at__lte=now - deadlines.retention()
    )
    for draft in stale_drafts:
        with transaction.atomic():
            audit.record(None, "draft_discarded", draft, Status.DRAFT, "")
            draft.delete()
        purged += 1
    return purged


# Alternatives after a decline


def alternatives(handover, limit=8):
    """Other organisations' live offers for the same topics and area: offers serving the
    handover's area (or a larger or smaller part of it) or the whole county; most shared
    topics first, then those with a place in the area."""
    topic_ids = list(handover.topics.values_list("pk", flat=True))
    if not topic_ids:
        return []
    tried = {handover.recipient_organisation_id}
    step = handover
    while step.previous_id:
        step = step.previous
        tried.add(step.recipient_organisation_id)
    areas = _related_areas(_areas_of(handover.offer_id)) if handover.offer_id else set()
    at_place = Exists(
        OfferLocation.objects.filter(offer=OuterRef("pk"), location__social_area__in=areas)
    )
    area_links = OfferPage.service_areas.through.objects.filter(offerpage=OuterRef("pk"))
    offers = (
        OfferPage.objects.live()
        .filter(topics__in=topic_ids)
        .exclude(organisation_id__in=[t for t in tried if t])
        .annotate(
            shared_topics=Count("topics", distinct=True),
            at_place=at_place,
            serves_area=Exists(area_links.filter(socialarea__in=areas)),
            whole_county=~Exists(area_links),
        )
    )
    if areas:
        offers = offers.filter(Q(serves_area=True) | Q(whole_county=True) | Q(at_place=True))
    offers = offers.select_related("organisation", "handover_contact").order_by(
        "-shared_topics", "-at_place", "-serves_area", "title"
    )
    return list(offers[:limit])


def _areas_of(offer_id):
    """The social areas an offer serves or has places in (empty: the whole county)."""
    served = set(
        OfferPage.service_areas.through.objects.filter(offerpage_id=offer_id).values_list(
            "socialarea_id", flat=True
        )
    )
    if not served:
        return set()
    return served | set(
        OfferLocation.objects.filter(offer_id=offer_id)
        .exclude(location__social_area=None)
        .values_list("location__social_area", flat=True)
    )


def _related_areas(area_ids):
    """The areas with the areas containing them and contained in them."""
    from lotse.network.models import SocialArea

    related = set(area_ids)
    for area in SocialArea.objects.filter(pk__in=area_ids).select_related("parent"):
        related |= {ancestor.pk for ancestor in area.ancestors()}
    frontier = set(area_ids)
    while frontier:
        children = set(
            SocialArea.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = children - related
        related |= children
    return related


def contact_for(offer):
    """The offer's named handover contact, if they can receive handovers."""
    contact = offer.handover_contact
    if contact is not None and receivable_contacts().filter(pk=contact.pk).exists():
        return contact
    return None
