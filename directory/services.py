"""Business operations on the directory that span several models."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.locks import WorkflowLock
from wagtail.log_actions import log
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from lotse.network import permissions, rights

logger = logging.getLogger(__name__)

#: Names are data shown to coordinators in the German admin.
REVIEW_WORKFLOW_NAME = "Freigabe durch die Koordination"
REVIEW_TASK_NAME = "Prüfung durch die Koordination"


@transaction.atomic
def review_workflow():
    """The workflow partner edits go through, assigned to every directory index page.

    Coordinators approve or reject each change with a comment. Editors of trusted
    organisations hold the publish permission and so can publish without it.
    """
    from .models import DirectoryIndexPage

    workflow, _ = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
    task.groups.add(rights.coordination_group())
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in DirectoryIndexPage.objects.all():
        WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})
    return workflow


# Freshness

#: The page history entry of the "still current" action (registered in wagtail_hooks).
CONFIRM_ACTION = "lotse_directory.confirm_current"
#: An organisation's editors get at most one digest of stale offers within this time.
REMINDER_INTERVAL = dt.timedelta(days=7)


def record_confirmation(offer, user=None):
    """Mark `offer` current as of now by a direct update: no revision, no page signals."""
    from .models import OfferPage

    now = timezone.now()
    user_id = getattr(user, "pk", None)
    OfferPage.objects.filter(pk=offer.pk).update(confirmed_at=now, confirmed_by_id=user_id)
    offer.confirmed_at, offer.confirmed_by_id = now, user_id


def confirm_current(offer, user):
    """The "still current" action: nothing in the offer changed, so only the history says so."""
    record_confirmation(offer, user)
    log(instance=offer, action=CONFIRM_ACTION, user=user)


def stale_offers_for(user, now=None):
    """Stale offers `user` may confirm: coordinators all, editors their organisation's."""
    from .models import OfferPage

    offers = OfferPage.objects.stale(now).select_related("organisation")
    return permissions.filter_queryset(user, permissions.CHANGE, offers)


def admin_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def freshness_digest(organisation, offers, recipients):
    """The e-mail listing an organisation's stale offers: titles and admin links only."""
    from .models import stale_after_days

    days = stale_after_days()
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(count)d offer of %(organisation)s needs checking",
            "%(count)d offers of %(organisation)s need checking",
            len(offers),
        ) % {"count": len(offers), "organisation": organisation.name}
        body = render_to_string(
            "lotse_directory/email/freshness_digest.txt",
            {
                "organisation": organisation,
                "count": len(offers),
                "days": days,
                "offers": [
                    (offer.title, admin_url(reverse("wagtailadmin_pages:edit", args=[offer.pk])))
                    for offer in offers
                ],
                "list_url": admin_url(reverse("directory_stale_offers")),
                "site_name": settings.WAGTAIL_SITE_NAME,
            },
        )
    return EmailMessage(subject=subject, body=body, to=recipients)


def send_freshness_reminders(now=None):
    """E-mail each organisation's editors one digest of its stale offers, at most weekly.

    Only a sent digest is recorded: an organisation whose mail failed is tried again on the
    next run, and a failure never keeps the other organisations' digests from going out.
    Returns counts of organisations: sent, skipped (recently reminded, no editors), failed.
    """
    from .models import FreshnessReminder, OfferPage

    now = now or timezone.now()
    by_organisation = {}
    for offer in (
        OfferPage.objects.stale(now).exclude(organisation=None).select_related("organisation")
    ):
        by_organisation.setdefault(offer.organisation, []).append(offer)
    reminded = set(
        FreshnessReminder.objects.filter(sent_at__gt=now - REMINDER_INTERVAL).values_list(
            "organisation_id", flat=True
        )
    )
    counts = {"sent": 0, "skipped": 0, "failed": 0}
    for organisation, offers in sorted(by_organisation.items(), key=lambda item: item[0].pk):
        recipients = sorted(
            {user.email for user in permissions.editors_of(organisation) if user.email}
        )
        if organisation.pk in reminded or not recipients:
            counts["skipped"] += 1
            continue
        try:
            freshness_digest(organisation, offers, recipients).send()
        except Exception:
            logger.exception("Freshness digest to organisation %s failed", organisation.pk)
            counts["failed"] += 1
            continue
        FreshnessReminder.objects.create(
            organisation=organisation, sent_at=now, offer_count=len(offers)
        )
        counts["sent"] += 1
    return counts


# Partner API: offers written by the partners' own systems, through the same review as the admin

PUBLISHED = "published"
IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"
DRAFT = "draft"
OFFER_STATUSES = (PUBLISHED, IN_REVIEW, CHANGES_REQUESTED, DRAFT)

#: Offer fields the partner API writes as they are ("description" is cleaned first).
OFFER_FIELDS = (
    "title",
    "slug",
    "summary",
    "description",
    "easy_language_summary",
    "is_free",
    "fee_description",
    "eligibility",
    "how_to_apply",
    "what_to_bring",
    "min_age",
    "max_age",
    "phone",
    "email",
    "website",
    "handover_contact",
)
OFFER_RELATIONS = ("topics", "target_groups", "languages", "service_areas")
HOURS_FIELDS = (
    "kind",
    "location",
    "weekdays",
    "opens_at",
    "closes_at",
    "frequency",
    "interval",
    "week_of_month",
    "valid_from",
    "valid_to",
    "note",
)


class InvalidOffer(Exception):
    """Field errors shaped like the input: lists hold one dict of errors per item."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class OfferLocked(Exception):
    """Someone else holds the offer: an editor's lock, or a review this user may not cancel."""


@dataclass(frozen=True)
class OfferSaved:
    offer: object
    status: str
    created: bool
    changed: bool


def offer_status(page):
    """Where the newest version of an offer stands, for partners' systems."""
    state = page.current_workflow_state
    if state is not None:
        return IN_REVIEW if state.status == WorkflowState.STATUS_IN_PROGRESS else CHANGES_REQUESTED
    if page.live and not page.has_unpublished_changes:
        return PUBLISHED
    return DRAFT


def partner_organisation(user, hsds_id=None):
    """The organisation a new offer of `user` belongs to, and the page it goes under.

    Without `hsds_id` that is the one organisation the user edits; users who edit several (or
    all, as coordinators do) must name it. Unknown and forbidden ids get the same answer.
    """
    from lotse.network.models import Organisation

    from .models import OfferPage, OrganisationPage

    if hsds_id is None:
        editable = permissions.organisation_ids(user, permissions.EDITING_ROLES)
        if len(editable) != 1:
            raise InvalidOffer(
                {"organisation": [_("Say which organisation this offer belongs to.")]}
            )
        organisation = Organisation.objects.get(pk=next(iter(editable)))
    else:
        organisation = Organisation.objects.filter(hsds_id=hsds_id).first()
    if organisation is None or not permissions.can(
        user, permissions.ADD, OfferPage(organisation=organisation)
    ):
        raise InvalidOffer({"organisation": [_("You cannot add offers to this organisation.")]})
    parent = OrganisationPage.objects.filter(organisation=organisation).first()
    if parent is None:
        raise InvalidOffer(
            {"organisation": [_("This organisation has no page in the directory yet.")]}
        )
    return organisation, parent


def clean_rich_text(html):
    """Keep only what the admin's editor could have produced (no scripts, no attributes)."""
    from .models import OfferPage

    features = OfferPage._meta.get_field("description").features
    return EditorHTMLConverter(features=features).to_database_format(html or "")


def _free_slug(parent, title):
    """A slug from the title that no sibling uses yet, as Wagtail makes them in the admin."""
    base = slugify(title, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True))
    if not base:
        return ""
    slug, number = base, 1
    while not Page._slug_is_available(slug, parent):
        number += 1
        slug = f"{base}-{number}"
    return slug


def _apply(page, values):
    from .models import OfferLocation, OpeningHours

    for name in OFFER_FIELDS:
        if name in values:
            setattr(page, name, values[name])
    if "description" in values:
        page.description = clean_rich_text(values["description"])
    for name in OFFER_RELATIONS:
        if name in values:
            setattr(page, name, list(values[name]))
    if "locations" in values:
        # Rows for places the offer keeps keep their own HSDS ids (service_at_location).
        existing = {row.location_id: row for row in page.offer_locations.all()}
        rows = []
        for number, item in enumerate(values["locations"]):
            row = existing.pop(item["location"].pk, None) or OfferLocation(
                location=item["location"]
            )
            row.note = item.get("note", "")
            row.sort_order = number
            rows.append(row)
        page.offer_locations = rows
    if "opening_hours" in values:
        page.opening_hours = [
            OpeningHours(sort_order=number, **{k: v for k, v in item.items() if k in HOURS_FIELDS})
            for number, item in enumerate(values["opening_hours"])
        ]


def _messages(error):
    """A model ValidationError as {field: [message, ...]}, "__all__" under non_field_errors."""
    return {
        ("non_field_errors" if field == NON_FIELD_ERRORS else field): list(messages)
        for field, messages in error.message_dict.items()
    }


def _validate(page, parent=None):
    """The model's own rules (page, places, hours) plus those of OfferPageForm, all at once."""
    errors = {}
    try:
        # A new page has no place in the tree yet; its slug is checked against `parent`.
        page.full_clean(exclude=["path", "depth", "numchild", "url_path"] if parent else None)
    except ValidationError as error:
        errors.update(_messages(error))
    if parent is not None and page.slug and not Page._slug_is_available(page.slug, parent):
        errors.setdefault("slug", []).append(
            _("Another offer of this organisation already has this slug.")
        )

    locations = list(page.offer_locations.all())
    location_errors = [{} for _row in locations]
    seen = set()
    for row, row_errors in zip(locations, location_errors, strict=True):
        try:
            row.full_clean(exclude=["offer"])
        except ValidationError as error:
            row_errors.update(_messages(error))
        if row.location_id in seen:
            row_errors.setdefault("location", []).append(_("This place is listed twice."))
        elif row.location.organisation_id != page.organisation_id:
            row_errors.setdefault("location", []).append(
                _("This place belongs to another organisation.")
            )
        seen.add(row.location_id)

    hours = list(page.opening_hours.all())
    hours_errors = [{} for _row in hours]
    for row, row_errors in zip(hours, hours_errors, strict=True):
        try:
            row.full_clean(exclude=["offer"])
        except ValidationError as error:
            row_errors.update(_messages(error))
        if row.location_id is not None and row.location_id not in seen:
            # The same rule and wording as OfferPageForm in the admin.
            row_errors.setdefault("location", []).append(
                _("Add “%(location)s” to the offer's locations first.") % {"location": row.location}
            )

    if any(location_errors):
        errors["locations"] = location_errors
    if any(hours_errors):
        errors["opening_hours"] = hours_errors
    if errors:
        raise InvalidOffer(errors)


def _content(page):
    """What the partner API can change, to tell a real change from a repeated sync."""
    return (
        tuple(
            clean_rich_text(page.description) if name == "description" else getattr(page, name)
            for name in OFFER_FIELDS
            if name != "handover_contact"
        ),
        page.handover_contact_id,
        tuple(
            tuple(sorted(obj.pk for obj in getattr(page, name).all())) for name in OFFER_RELATIONS
        ),
        tuple((row.location_id, row.note) for row in page.offer_locations.all()),
        tuple(
            tuple(getattr(row, "location_id" if f == "location" else f) for f in HOURS_FIELDS)
            for row in page.opening_hours.all()
        ),
    )


def _may_take_over_review(user, page):
    """Raise OfferLocked unless `user` may write now; True if a review must be cancelled first.

    As in the admin: a locked page is closed to others, and a page in review is locked to all
    but the reviewers, while the person who submitted it may withdraw it and submit anew.
    """
    lock = page.get_lock()
    if lock is None or not lock.for_user(user):
        return False
    state = page.current_workflow_state
    if isinstance(lock, WorkflowLock) and state is not None and state.user_can_cancel(user):
        return True
    raise OfferLocked(_("Someone else is working on this offer or reviewing it. Try again later."))


def _publish_or_submit(user, page, revision):
    """Publish if the user may, else submit to the review workflow as the admin's edit view does."""
    if permissions.can(user, permissions.PUBLISH, page):
        # Like the admin's "Publish": a review still in progress is cancelled.
        revision.publish(user=user, skip_permission_checks=True)
        return
    workflow = page.get_workflow()
    if workflow is None:
        return  # no review configured: the change waits as a draft
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    elif state is not None:
        if state.user_can_cancel(user):
            # "Restart workflow": the reviewers start again on the newest version.
            state.cancel(user=user)
            workflow.start(page, user)
        # Otherwise the running review goes on; approving publishes the newest revision.
    else:
        workflow.start(page, user)


def _saved(page, created, changed):
    from .models import OfferPage

    offer = OfferPage.objects.get(pk=page.pk)
    return OfferSaved(offer=offer, status=offer_status(offer), created=created, changed=changed)


@transaction.atomic
def create_offer(user, organisation, parent, values):
    """A new offer below `parent` from the partner API: a revision, then publish or review.

    Raises InvalidOffer (nothing is written) or PermissionDenied.
    """
    from .models import OfferPage

    if not permissions.can(user, permissions.ADD, OfferPage(organisation=organisation)):
        raise PermissionDenied
    page = OfferPage(owner=user, live=False, organisation=organisation)
    _apply(page, values)
    if not page.slug:
        page.slug = _free_slug(parent, page.title)
    _validate(page, parent=parent)
    parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    _publish_or_submit(user, page, revision)
    return _saved(page, created=True, changed=True)


@transaction.atomic
def update_offer(user, offer, values):
    """Change an offer from the partner API as an edit in the admin would.

    Untrusted partners' changes become a revision in review and leave the live page alone;
    a repeated sync of unchanged content writes nothing. Raises InvalidOffer (nothing is
    written), OfferLocked or PermissionDenied.
    """
    from .models import OfferPage

    offer = OfferPage.objects.select_for_update().get(pk=offer.pk)
    if not permissions.can(user, permissions.CHANGE, offer):
        raise PermissionDenied
    cancel_review = _may_take_over_review(user, offer)
    page = offer.get_latest_revision_as_object()
    before = _content(page)
    _apply(page, values)
    _validate(page)
    if _content(page) == before and offer_status(offer) in (PUBLISHED, IN_REVIEW):
        return _saved(offer, created=False, changed=False)
    if cancel_review:
        offer.current_workflow_state.cancel(user=user)
    if not page.live:
        page.save()
    revision = page.save_revision(user=user, log_action=True)
    _publish_or_submit(user, page, revision)
    return _saved(page, created=False, changed=True)
