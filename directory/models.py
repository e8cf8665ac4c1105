"""The public catalogue: organisation and offer pages, locations, schedules and taxonomies.

Page tree: DirectoryIndexPage → OrganisationPage (one per partner) → OfferPage.
An OfferPage is an HSDS "service"; OfferLocation is "service_at_location"; OpeningHours is
"schedule". Offers carry a denormalised `organisation` so permissions and search never walk
the page tree.
"""

import datetime as dt
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from lotse.conf import lotse_settings, template_context
from lotse.network.choices import ScopedChoicesMixin
from lotse.network.inputs import TextValidator
from lotse.network.models import (
    HierarchyMixin,
    Language,
    Organisation,
    Person,
    SocialArea,
    validate_latitude,
    validate_longitude,
)

from . import opening_hours
from .fields import WeekdaysField


class TaxonomyTerm(HierarchyMixin, index.Indexed, models.Model):
    """A term of a hierarchical classification (HSDS taxonomy_term)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader term"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True, validators=[TextValidator()])
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("description"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        self.clean_parent()
        if not self.slug:
            self.slug = slugify(self.name)[:120]


class Topic(TaxonomyTerm):
    """What an offer helps with: debt, care, housing, …"""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class TargetGroup(TaxonomyTerm):
    """Whom an offer is for: families, older people, refugees, …"""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class Location(index.Indexed, models.Model):
    """A place where offers are given (HSDS location with its physical address)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="locations",
        help_text=_("The partner that maintains this place's details."),
    )
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    town = models.CharField(_("town"), max_length=100)
    # Places abroad come in through HSDS imports; only German postcodes are checked.
    country = models.CharField(
        _("country"), max_length=2, default="DE", help_text=_("ISO 3166-1 alpha-2 code.")
    )
    social_area = models.ForeignKey(
        SocialArea,
        verbose_name=_("social area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="locations",
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[validate_latitude]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[validate_longitude]
    )
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    lift = models.BooleanField(_("lift"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessibility_notes = models.TextField(
        _("accessibility notes"),
        blank=True,
        validators=[TextValidator()],
        help_text=_("E.g. “Entrance at the back of the building, bell at wheelchair height”."),
    )
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)

    panels = [
        FieldPanel("organisation"),
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("street"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("town")]),
                FieldPanel("social_area"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Address"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("step_free_access"),
                FieldPanel("lift"),
                FieldPanel("accessible_toilet"),
                FieldPanel("hearing_loop"),
                FieldPanel("accessibility_notes"),
            ],
            heading=_("Accessibility"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("town"),
        index.SearchField("street"),
        index.AutocompleteField("name"),
        index.FilterField("id"),  # permission filters narrow searches by id
        index.FilterField("organisation_id"),
        index.FilterField("postcode"),
    ]

    class Meta:
        ordering = ["town", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self):
        return f"{self.name}, {self.town}"

    def clean(self):
        self.postcode = self.postcode.strip()
        german = self.country.upper() == "DE"
        if german and not (len(self.postcode) == 5 and self.postcode.isdigit()):
            raise ValidationError({"postcode": _("Enter a German postcode of five digits.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    @property
    def address(self):
        return f"{self.street}, {self.postcode} {self.town}"

    @property
    def accessibility_features(self):
        """The accessibility features this place has, as translated labels."""
        return [
            field.verbose_name
            for field in (
                self._meta.get_field(name)
                for name in ("step_free_access", "lift", "accessible_toilet", "hearing_loop")
            )
            if getattr(self, field.name)
        ]


class DirectoryIndexPage(Page):
    """The public catalogue's entry page; holds one page per partner organisation."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["lotse_directory.OrganisationPage"]

    class Meta:
        verbose_name = _("directory")
        verbose_name_plural = _("directories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs) | template_context()
        context["organisation_pages"] = (
            OrganisationPage.objects.child_of(self)
            .live()
            .public()
            .select_related("organisation")
            .order_by("title")
        )
        # Other apps add to this page (the search app: its form and results).
        for add_context in hooks.get_hooks("lotse_directory_index_context"):
            add_context(self, request, context)
        return context


class DirectoryPageForm(ScopedChoicesMixin, WagtailAdminPageForm):
    """Partners pick only their own organisation, places and people in page forms, too."""


class OrganisationPage(Page):
    """A partner's public page; its child pages are the partner's offers."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="pages",
    )
    # The page's locale, here so the database keeps one page per organisation and language
    # (a constraint cannot reach the locale in Wagtail's page table); set by save().
    page_locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", editable=False, null=True
    )
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        validators=[TextValidator()],
    )

    content_panels = [*Page.content_panels, FieldPanel("organisation"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["lotse_directory.DirectoryIndexPage"]
    base_form_class = DirectoryPageForm
    subpage_types = ["lotse_directory.OfferPage"]

    class Meta:
        verbose_name = _("organisation page")
        verbose_name_plural = _("organisation pages")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "page_locale"],
                name="lotse_directory_organisation_page_locale",
            )
        ]

    def save(self, *args, **kwargs):
        if self.locale_id is None:  # Wagtail picks it in full_clean, after this point
            self.locale = self.get_default_locale()
        self.page_locale_id = self.locale_id
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        others = OrganisationPage.objects.filter(
            organisation_id=self.organisation_id, locale_id=self.locale_id
        ).exclude(pk=self.pk)
        if self.organisation_id and others.exists():
            raise ValidationError(
                {"organisation": _("This organisation already has a page in this language.")}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs) | template_context()
        context["offers"] = (
            OfferPage.objects.child_of(self)
            .live()
            .public()
            .prefetch_related("topics")
            .order_by("title")
        )
        return context


class OfferPageForm(DirectoryPageForm):
    """Checks that opening hours only name places where the offer is actually given."""

    def clean_handover_contact(self):
        """On a new offer the owner is not known to the model yet: take it from the parent."""
        contact = self.cleaned_data.get("handover_contact")
        organisation_id = self.instance.organisation_id
        parent = getattr(self, "parent_page", None)
        if organisation_id is None and parent is not None:
            organisation_id = organisation_id_for_parent_page(parent)
        if contact and organisation_id and contact.organisation_id != organisation_id:
            raise ValidationError(
                _("The handover contact must work for the organisation that makes this offer.")
            )
        return contact

    def clean(self):
        cleaned_data = super().clean()
        locations_formset = self.formsets.get("offer_locations")
        hours_formset = self.formsets.get("opening_hours")
        if not locations_formset or not hours_formset:
            return cleaned_data
        self.limit_opening_hours(hours_formset)
        if not (locations_formset.is_valid() and hours_formset.is_valid()):
            return cleaned_data
        offered_at = {
            form.cleaned_data["location"].pk
            for form in locations_formset.forms
            if form.cleaned_data.get("location") and not form.cleaned_data.get("DELETE")
        }
        for form in hours_formset.forms:
            location = form.cleaned_data.get("location")
            if location and not form.cleaned_data.get("DELETE") and location.pk not in offered_at:
                form.add_error(
                    "location",
                    _("Add “%(location)s” to the offer's locations first.")
                    % {"location": location},
                )
                self.add_error(
                    None, _("Some opening hours name a place that is not among the locations.")
                )
        return cleaned_data

    def limit_opening_hours(self, hours_formset):
        """At most so many rows per offer and per place (`opening_hours.too_many`)."""
        hours_formset.is_valid()  # cleans every row, so that each knows its place
        rows = [
            form
            for form in hours_formset.forms
            if (form.has_changed() or form not in hours_formset.extra_forms)
            and not getattr(form, "cleaned_data", {}).get("DELETE")
        ]
        locations = [getattr(form, "cleaned_data", {}).get("location") for form in rows]
        for _index, message in opening_hours.too_many(locations):
            self.add_error(None, message)


def stale_after_days():
    """How long a confirmation holds: `LOTSE_STALE_AFTER_DAYS`, about six months by default."""
    return lotse_settings.LOTSE_STALE_AFTER_DAYS


def stale_before(now=None):
    """Offers last confirmed before this moment are stale."""
    return (now or timezone.now()) - dt.timedelta(days=stale_after_days())


class OfferPageQuerySet(PageQuerySet):
    def stale(self, now=None):
        """Live offers nobody has confirmed current for too long, oldest confirmation first."""
        return (
            self.live()
            .filter(models.Q(confirmed_at__lt=stale_before(now)) | models.Q(confirmed_at=None))
            .order_by(models.F("confirmed_at").asc(nulls_first=True), "pk")
        )

    def in_language(self, language=None):
        """Of each offer, the version in `language` (default: the active one), else German.

        Without Wagtail's i18n every page is in the one default locale and nothing changes.
        The choice is a subquery, so it adds no query.
        """
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return self
        wanted = get_supported_content_language_variant(language or get_language())
        fallback = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        translated = self.filter(locale__language_code=wanted).values("translation_key")
        return self.filter(
            models.Q(locale__language_code=wanted)
            | models.Q(locale__language_code=fallback) & ~models.Q(translation_key__in=translated)
        )


OfferPageManager = PageManager.from_queryset(OfferPageQuerySet)


class OfferPage(Page):
    """One offer of a partner (HSDS service)."""

    summary = models.CharField(
        _("short summary"),
        max_length=300,
        help_text=_("One or two sentences shown in search results."),
    )
    description = RichTextField(
        _("description"),
        blank=True,
        features=["h3", "bold", "italic", "ul", "ol", "link"],
        validators=[TextValidator()],
    )
    easy_language_summary = models.TextField(
        _("summary in plain language"),
        blank=True,
        validators=[TextValidator()],
        help_text=_("Short sentences, everyday words, one idea per sentence."),
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), related_name="offers")
    target_groups = ParentalManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="offers"
    )
    languages = ParentalManyToManyField(
        Language, verbose_name=_("languages"), blank=True, related_name="offers"
    )
    service_areas = ParentalManyToManyField(
        SocialArea,
        verbose_name=_("service areas"),
        blank=True,
        related_name="offers",
        help_text=_("Where people must live to use this offer; leave empty for the whole county."),
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    fee_description = models.CharField(_("costs"), max_length=300, blank=True)
    eligibility = models.TextField(_("who can use it"), blank=True, validators=[TextValidator()])
    how_to_apply = models.TextField(_("how to apply"), blank=True, validators=[TextValidator()])
    what_to_bring = models.TextField(_("what to bring"), blank=True, validators=[TextValidator()])
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    handover_contact = models.ForeignKey(
        Person,
        verbose_name=_("handover contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handover_offers",
        help_text=_("The named person who receives handovers for this offer."),
    )
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    # Not content: kept out of the form and restored from no revision (see with_content_json).
    confirmed_at = models.DateTimeField(
        _("last confirmed current"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the offer was last published or confirmed as still current."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="offers",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("easy_language_summary"),
        MultiFieldPanel(
            [
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("target_groups"),
                FieldPanel("languages"),
                FieldPanel("service_areas"),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("eligibility"),
                FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")]),
                FieldRowPanel([FieldPanel("is_free"), FieldPanel("fee_description")]),
                FieldPanel("how_to_apply"),
                FieldPanel("what_to_bring"),
            ],
            heading=_("Access"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("website"),
                FieldPanel("handover_contact"),
            ],
            heading=_("Contact"),
        ),
    ]
    places_panels = [
        InlinePanel("offer_locations", heading=_("Locations"), label=_("Location")),
        InlinePanel("opening_hours", heading=_("Opening hours"), label=_("Opening hours")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Offer")),
            ObjectList(places_panels, heading=_("Places and times")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    base_form_class = OfferPageForm
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.SearchField("easy_language_summary"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("organisation_id"),
        index.FilterField("is_free"),
    ]
    parent_page_types = ["lotse_directory.OrganisationPage"]
    subpage_types = []
    # A copy is new content: it counts as confirmed once it is published, and it is another
    # HSDS service (its places and schedules get new ids too, see copy_all_child_relations).
    exclude_fields_in_copy = ["confirmed_at", "confirmed_by", "hsds_id"]

    objects = OfferPageManager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    @property
    def is_stale(self):
        """Not confirmed current within `LOTSE_STALE_AFTER_DAYS`; the public is told so."""
        return self.confirmed_at is None or self.confirmed_at < stale_before()

    def with_content_json(self, content):
        """Restoring a revision (publish, revert, edit) keeps the newest confirmation.

        "Still current" confirms without writing a revision, so every revision holds an older
        value that must not win over it.
        """
        page = super().with_content_json(content)
        page.confirmed_at = self.confirmed_at
        page.confirmed_by_id = self.confirmed_by_id
        # HSDS ids are identities, not content: a revision copied with the page names the
        # original's, which stay the original's.
        page.hsds_id = self.hsds_id
        for relation in (page.offer_locations, page.opening_hours):
            keep_hsds_ids(relation.model, self.pk, list(relation.all()))
        return page

    def copy_all_child_relations(self, target, exclude=None, commit=False, append=False):
        """Copied places and schedules are new HSDS objects (copies, aliases, translations)."""
        copies = super().copy_all_child_relations(target, exclude, commit, append)
        for child in copies.values():
            if hasattr(child, "hsds_id"):
                child.hsds_id = uuid.uuid4()
                if commit:
                    child.save(update_fields=["hsds_id"])
        return copies

    def clean(self):
        super().clean()
        errors = {}
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors["max_age"] = _("The maximum age cannot be below the minimum age.")
        if not self.is_free and not self.fee_description.strip():
            errors["fee_description"] = _("Say what the offer costs, or mark it free of charge.")
        if (
            self.handover_contact is not None
            and self.organisation_id is not None
            and self.handover_contact.organisation_id != self.organisation_id
        ):
            errors["handover_contact"] = _(
                "The handover contact must work for the organisation that makes this offer."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Always from the tree: a revision written before a move must not restore the old owner.
        if self.depth:
            self.organisation_id = organisation_id_for_parent(self) or self.organisation_id
        return super().save(*args, **kwargs)

    def with_related(self):
        """Load everything the public page shows in a fixed number of queries."""
        prefetch_related_objects(
            [self],
            "topics",
            "target_groups",
            "languages",
            "service_areas",
            models.Prefetch(
                "offer_locations",
                queryset=OfferLocation.objects.select_related("location").order_by("sort_order"),
            ),
            models.Prefetch(
                "opening_hours",
                queryset=OpeningHours.objects.select_related("location").order_by(
                    "sort_order", "pk"
                ),
            ),
        )
        return self

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs) | template_context()
        self.with_related()
        context["breadcrumbs"] = list(self.get_ancestors()[1:])
        schedules = list(self.opening_hours.all())
        now = timezone.now()
        context["open_now"] = opening_hours.is_open(schedules, now)
        context["holiday_today"] = opening_hours.holiday_name(timezone.localdate(now))
        context["next_opening"] = opening_hours.next_opening(schedules, now)
        context["places"] = opening_hours.group_by_location(
            [ol.location for ol in self.offer_locations.all()], schedules
        )
        context["remote_hours"] = opening_hours.remote_groups(schedules)
        return context


def keep_hsds_ids(model, offer_id, children):
    """Children restored from a revision keep the HSDS ids their rows have now; one that has
    no row any more keeps its old id unless another row took it (it is then a new object)."""
    if not children:
        return
    stored = dict(model.objects.filter(offer_id=offer_id).values_list("pk", "hsds_id"))
    unknown = [child for child in children if child.pk not in stored]
    taken = set(
        model.objects.filter(hsds_id__in=[child.hsds_id for child in unknown]).values_list(
            "hsds_id", flat=True
        )
        if unknown
        else ()
    )
    for child in children:
        if child.pk in stored:
            child.hsds_id = stored[child.pk]
        elif child.hsds_id in taken:
            child.hsds_id = uuid.uuid4()


def organisation_id_for_parent(page):
    """The organisation of the OrganisationPage above an offer page, from the tree."""
    parent = page.get_parent()
    return None if parent is None else organisation_id_for_parent_page(parent)


def organisation_id_for_parent_page(parent):
    pages = OrganisationPage.objects.filter(pk=parent.pk)
    return pages.values_list("organisation_id", flat=True).first()


class OfferLocation(Orderable):
    """An offer given at a place (HSDS service_at_location)."""

    offer = ParentalKey(OfferPage, on_delete=models.CASCADE, related_name="offer_locations")
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("E.g. “Room 2.14, second floor”.")
    )
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)

    panels = [FieldPanel("location"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("offer location")
        verbose_name_plural = _("offer locations")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "location"], name="lotse_directory_offer_location"
            )
        ]

    def __str__(self):
        return str(self.location)


class OpeningHours(Orderable):
    """When an offer can be reached: at a place, on tour, by phone or video (HSDS schedule)."""

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("Opening hours")
        MOBILE = "mobile", _("Mobile consultation hours")
        APPOINTMENT = "appointment", _("By appointment")
        PHONE = "phone", _("Phone hours")
        VIDEO = "video", _("Video consultation")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    offer = ParentalKey(OfferPage, on_delete=models.CASCADE, related_name="opening_hours")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.IN_PERSON)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Required for opening hours and mobile consultation hours."),
    )
    weekdays = WeekdaysField(_("weekdays"), blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    interval = models.PositiveSmallIntegerField(
        _("every … weeks"),
        default=1,
        help_text=_("2 means every other week, counted from the “valid from” date."),
    )
    week_of_month = models.SmallIntegerField(
        _("week of the month"),
        choices=WeekOfMonth.choices,
        null=True,
        blank=True,
        help_text=_("For monthly hours, e.g. the first Wednesday of each month."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("location")]),
        FieldPanel("weekdays"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldRowPanel(
            [FieldPanel("frequency"), FieldPanel("interval"), FieldPanel("week_of_month")]
        ),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self):
        return opening_hours.describe(self)

    @property
    def is_on_site(self):
        return self.kind in (self.Kind.IN_PERSON, self.Kind.MOBILE)

    def clean(self):
        errors = {}
        has_times = self.opens_at is not None or self.closes_at is not None
        if self.kind != self.Kind.APPOINTMENT or has_times:
            if self.opens_at is None:
                errors["opens_at"] = _("Give the time the offer opens.")
            if self.closes_at is None:
                errors["closes_at"] = _("Give the time the offer closes.")
            if not self.weekdays:
                errors["weekdays"] = _("Choose at least one weekday.")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("Closing time must be after opening time.")
        if self.kind in (self.Kind.IN_PERSON, self.Kind.MOBILE) and self.location_id is None:
            errors["location"] = _("Opening hours on site need a location.")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end of validity cannot be before its start.")
        if self.interval < 1:
            errors["interval"] = _("The interval is at least one week.")
        if self.frequency == self.Frequency.MONTHLY and self.week_of_month is None:
            errors["week_of_month"] = _("Monthly hours need the week of the month.")
        if self.frequency == self.Frequency.WEEKLY and self.week_of_month is not None:
            errors["week_of_month"] = _("Only monthly hours have a week of the month.")
        if self.interval > 1 and self.frequency == self.Frequency.WEEKLY and not self.valid_from:
            errors["valid_from"] = _(
                "Hours every few weeks need a “valid from” date to count the weeks from."
            )
        if errors:
            raise ValidationError(errors)


class FreshnessReminder(models.Model):
    """A digest of stale offers e-mailed to an organisation's editors; throttles the next one."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    offer_count = models.PositiveIntegerField(_("stale offers"))

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("freshness reminder")
        verbose_name_plural = _("freshness reminders")

    def __str__(self):
        return f"{self.organisation} – {self.sent_at:%Y-%m-%d}"
