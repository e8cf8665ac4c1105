"""factory_boy factories shared by all tests."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from lotse.directory.models import (
    DirectoryIndexPage,
    Location,
    OfferLocation,
    OfferPage,
    OpeningHours,
    OrganisationPage,
    TargetGroup,
    Topic,
)
from lotse.network.models import Language, Membership, Organisation, Person, SocialArea


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("test-password")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Beratungsstelle {n}")
    slug = factory.Sequence(lambda n: f"beratungsstelle-{n}")
    kind = Organisation.Kind.WELFARE_ASSOCIATION


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Erika Muster {n}")
    function = "Beraterin"
    email = factory.Sequence(lambda n: f"kontakt{n}@example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.EDITOR


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = "de"
    name = "Deutsch"


class SocialAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialArea

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    slug = factory.Sequence(lambda n: f"gemeinde-{n}")
    kind = SocialArea.Kind.MUNICIPALITY


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup

    name = factory.Sequence(lambda n: f"Zielgruppe {n}")
    slug = factory.Sequence(lambda n: f"zielgruppe-{n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Beratungszentrum {n}")
    street = "Marktplatz 1"
    postcode = "35578"
    town = "Lahnfeld"
    latitude = 50.55
    longitude = 8.5


def directory_root():
    """The DirectoryIndexPage of the default site, created on first use."""
    index = DirectoryIndexPage.objects.first()
    if index is None:
        root = Page.get_first_root_node()
        if root is None:
            # Transactional tests flush the tree that Wagtail's migrations create.
            Locale.objects.get_or_create(language_code=get_supported_content_language_variant("de"))
            root = Page.add_root(title="Root", slug="root")
        index = root.add_child(instance=DirectoryIndexPage(title="Hilfe finden", slug="hilfe"))
        if not Site.objects.update(root_page=index):
            Site.objects.create(hostname="localhost", root_page=index, is_default_site=True)
    return index


def make_organisation_page(organisation=None, **kwargs):
    organisation = organisation or OrganisationFactory()
    page = OrganisationPage(
        title=organisation.name, slug=organisation.slug, organisation=organisation, **kwargs
    )
    return directory_root().add_child(instance=page)


def make_offer(organisation_page=None, topics=(), locations=(), hours=(), publish=True, **fields):
    """An OfferPage below `organisation_page` with its places and opening hours.

    `hours` holds dicts of OpeningHours fields; a `location` may be given as an index into
    `locations`. With `publish=False` the offer is a never-published draft.
    """
    organisation_page = organisation_page or make_organisation_page()
    fields.setdefault("title", "Schuldnerberatung")
    fields.setdefault("summary", "Hilfe bei Schulden und drohender Überschuldung.")
    offer = OfferPage(**fields)
    offer.offer_locations = [OfferLocation(location=location) for location in locations]
    opening = []
    for values in hours:
        values = dict(values)
        if isinstance(values.get("location"), int):
            values["location"] = locations[values["location"]]
        opening.append(OpeningHours(**values))
    offer.opening_hours = opening
    offer.topics = list(topics) or [TopicFactory()]
    if not publish:
        offer.live = False
    organisation_page.add_child(instance=offer)
    revision = offer.save_revision()
    if publish:
        revision.publish()
    return OfferPage.objects.get(pk=offer.pk)


WEEKDAY_HOURS = {
    "kind": "in_person",
    "weekdays": ["MO", "TU", "FR"],
    "opens_at": dt.time(8, 30),
    "closes_at": dt.time(12, 30),
}


# Handovers


def handover_consent(**overrides):
    """Complete consent fields as the API and `lotse.handover.services.create_handover` take
    them."""
    from django.utils import timezone

    values = {
        "given_at": timezone.now() - dt.timedelta(minutes=5),
        "method": "written",
        "data_categories": ["finances", "housing"],
        "purpose": "Schuldnerberatung und Sicherung der Wohnung",
        "valid_until": timezone.localdate() + dt.timedelta(days=90),
    }
    values.update(overrides)
    return values


def make_handover(sender, recipient, offer=None, **overrides):
    """A sent handover through the service layer, with a distinctive citizen and summary."""
    from lotse.handover import services

    values = {
        "summary": "Mietschulden seit drei Monaten, Räumungsklage angekündigt.",
        "citizen": {
            "name": "Zarah Leander-Quist",
            "phone": "06441 998877",
            "email": "zarah.quist@example.net",
            "preferred_language": "Türkisch",
            "best_times": "vormittags",
        },
        "consent": handover_consent(),
        "urgency": "normal",
    }
    values.update(overrides)
    return services.create_handover(sender, recipient=recipient, offer=offer, **values)


def api_token(user, name="Test"):
    """A working API token for `user` (only its digest is stored: keep the returned value)."""
    from lotse.network import tokens

    return tokens.issue(user, name=name, replace=False)[1]
