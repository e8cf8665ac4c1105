"""The demo county: what `load_demo` builds, that a rerun changes nothing, and its guard.

`load_demo` takes several seconds, so one run is shared by the whole module: it happens in
a transaction that is rolled back when the module ends, and every test runs inside it in a
savepoint of its own, as usual.
"""

import datetime as dt
import io
from collections import Counter, defaultdict

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, Revision, Site

from lotse.directory import opening_hours
from lotse.directory.models import (
    DirectoryIndexPage,
    Location,
    OfferPage,
    OpeningHours,
    OrganisationPage,
    TargetGroup,
    Topic,
)
from lotse.network.models import Language, Membership, Organisation, Person, SocialArea

pytestmark = pytest.mark.django_db


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def model_counts():
    """Rows of every table Django manages: nothing may appear or vanish unnoticed."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The output of one load_demo run, rolled back after the module."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def test_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    before = model_counts()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=io.StringIO())
    assert model_counts() == before
    assert not get_user_model().objects.filter(username="koordination").exists()


def test_network_of_partners(demo):
    organisations = Organisation.objects.all()
    assert organisations.count() >= 30
    assert {o.kind for o in organisations} == set(Organisation.Kind.values)
    for organisation in organisations:
        assert organisation.website.startswith("https://"), organisation
        assert organisation.website.split("/")[2].endswith(".example")
        assert organisation.phone and organisation.email, organisation
        assert organisation.people.count() >= 2, organisation
        assert organisation.locations.exists(), organisation
    names = " ".join(organisations.values_list("name", flat=True))
    for expected in ("Gesundheitsamt", "Jugendamt", "Sozialbüro", "Pflegestützpunkt",
                     "Kommunales Jobcenter", "Agentur für Arbeit", "Rentenversicherung", "AWO",
                     "Diakonie", "Caritas", "DRK", "Stadtteilbüro", "Familienzentrum"):  # fmt: skip
        assert expected in names
    drk = Organisation.objects.get(slug="drk-kreisverband-lahnfeld")
    assert drk.children.count() >= 3
    assert Person.objects.exclude(deputy=None).count() >= 10
    assert Person.objects.filter(languages__code="tr").exists()


def test_areas_languages_and_taxonomies(demo):
    county = SocialArea.objects.get(kind=SocialArea.Kind.COUNTY)
    towns = SocialArea.objects.filter(kind=SocialArea.Kind.MUNICIPALITY, parent=county)
    assert towns.count() >= 15
    for town in towns:
        assert 50.4 <= town.latitude <= 50.7 and 8.2 <= town.longitude <= 8.8, town
        assert town.postcode_list and all(code.startswith("35") for code in town.postcode_list)
    biggest = SocialArea.objects.get(slug="lahnfeld")
    assert biggest.children.filter(kind=SocialArea.Kind.SOCIAL_AREA).count() >= 3

    codes = set(Language.objects.values_list("code", flat=True))
    assert {"de", "en", "tr", "ar", "ru", "uk", "fa", "pl", "ro"} <= codes
    assert set(Language.objects.filter(right_to_left=True).values_list("code", flat=True)) >= {
        "ar",
        "fa",
    }
    assert Language.objects.get(code="uk").native_name == "Українська"

    assert Topic.objects.count() >= 20
    assert Topic.objects.exclude(parent=None).count() >= 5
    assert TargetGroup.objects.count() >= 8


def test_locations_have_addresses_coordinates_and_accessibility(demo):
    locations = list(Location.objects.all())
    for location in locations:
        location.full_clean()
    placed = [loc for loc in locations if loc.latitude is not None]
    assert len(placed) >= len(locations) - 1  # only the women's shelter keeps its place secret
    assert all(50.35 < loc.latitude < 50.75 and 8.15 < loc.longitude < 8.85 for loc in placed)
    for feature in ("step_free_access", "lift", "accessible_toilet", "hearing_loop"):
        values = {getattr(loc, feature) for loc in locations}
        assert values == {True, False}, feature
    assert any(loc.accessibility_notes for loc in locations)


def test_published_offers(demo):
    offers = OfferPage.objects.live()
    assert offers.count() >= 200
    assert OfferPage.objects.not_live().count() == 0
    assert Topic.objects.filter(offers__in=offers).distinct().count() >= 20
    assert offers.filter(is_free=False).exclude(fee_description="").exists()
    assert offers.filter(is_free=True).count() > offers.count() / 2
    assert offers.exclude(min_age=None).exists()
    # Every page went through a revision, like an editor's publication.
    ids = [str(pk) for pk in offers.values_list("pk", flat=True)]
    assert Revision.page_revisions.filter(object_id__in=ids).count() == len(ids)
    for offer in offers.select_related("handover_contact", "organisation"):
        assert offer.organisation_id == offer.get_parent().specific.organisation_id
        assert offer.handover_contact.organisation_id == offer.organisation_id, offer
        assert offer.summary and offer.description.startswith("<p>"), offer
        assert offer.easy_language_summary and offer.how_to_apply, offer
        assert offer.topics.exists() and offer.languages.filter(code="de").exists(), offer
        assert offer.offer_locations.exists() and offer.opening_hours.exists(), offer
        assert "lorem" not in offer.description.lower()
    kinds = Counter(OpeningHours.objects.values_list("kind", flat=True))
    assert set(kinds) == set(OpeningHours.Kind.values)
    assert OpeningHours.objects.exclude(valid_from=None).exists()
    assert OpeningHours.objects.exclude(valid_to=None).exists()
    assert OpeningHours.objects.filter(frequency="monthly").exists()
    assert OpeningHours.objects.filter(interval__gt=1).exists()
    for hours in OpeningHours.objects.all():
        hours.full_clean()


def test_model_rules_hold_for_every_offer(demo):
    for offer in OfferPage.objects.all():
        offer.full_clean()
    assert Page.find_problems() == ([], [], [], [], [])


def test_site_root_is_the_directory(demo):
    index = DirectoryIndexPage.objects.get(slug="hilfe-finden")
    assert Site.objects.get(is_default_site=True).root_page_id == index.pk
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    assert OrganisationPage.objects.child_of(index).count() == Organisation.objects.count()


def test_rotating_wednesday_mobile_consultation(demo):
    """Each Wednesday morning the consultation is in exactly one town hall, a different one
    every week."""
    mobile = defaultdict(list)
    for hours in OpeningHours.objects.filter(kind="mobile").select_related("location"):
        assert hours.weekdays == ["WE"] and hours.opens_at < dt.time(12)
        mobile[hours.offer_id].append(hours)
    touring = {offer: rows for offer, rows in mobile.items() if len(rows) >= 3}
    # Weeks 1–4 of the month after next: after every "valid from" the demo sets.
    month = (timezone.localdate().replace(day=1) + dt.timedelta(days=62)).replace(day=1)
    first_wednesday = month + dt.timedelta(days=(2 - month.weekday()) % 7)
    assert len(touring) >= 1
    for rows in touring.values():
        assert len({row.location.town for row in rows}) >= 3
        assert all(row.location.name.startswith("Rathaus") for row in rows)
        wednesdays = [first_wednesday + dt.timedelta(weeks=n) for n in range(4)]
        towns = []
        for day in wednesdays:
            here = [row.location.town for row in rows if opening_hours.occurs_on(row, day)]
            assert len(here) == 1, (day, here)
            towns += here
        assert len(set(towns)) == 4


def test_demo_users_and_their_roles(demo, client):
    users = get_user_model().objects.in_bulk(
        ["koordination", "beratung", "awo", "diakonie", "admin"], field_name="username"
    )
    assert len(users) == 5
    for user in users.values():
        assert user.check_password("demo-lotse"), user
    assert users["admin"].is_superuser
    roles = set(Membership.objects.values_list("user__username", "organisation__slug", "role"))
    assert {
        ("koordination", "koordinierungsstelle-soziales-netzwerk", "coordinator"),
        ("beratung", "sozialbuero-lahnfeld", "adviser"),
        ("awo", "awo-kreisverband-lahnfeld", "editor"),
        ("awo", "awo-kreisverband-lahnfeld", "contact"),
        ("diakonie", "diakonisches-werk-lahnfeld", "editor"),
        ("diakonie", "diakonisches-werk-lahnfeld", "contact"),
    } <= roles
    for name in ("awo", "diakonie"):
        person = Person.objects.get(user=users[name])
        assert Membership.objects.filter(user=users[name], organisation=person.organisation)
        assert person.handover_offers.live().filter(organisation=person.organisation).exists()
    for name in ("koordination", "beratung", "awo", "diakonie"):
        user = users[name]
        assert not user.is_superuser and user.has_perm("wagtailadmin.access_admin")
        client.force_login(user)
        assert client.get("/admin/").status_code == 200


def test_second_run_changes_nothing(demo):
    before = model_counts()
    newest_revision = Revision.objects.order_by("-pk").values_list("pk", flat=True).first()
    with override_settings(DEBUG=True):
        output = load_demo()
    assert model_counts() == before
    assert Revision.objects.order_by("-pk").values_list("pk", flat=True).first() == newest_revision
    assert "(0 " in output


def test_demo_pages_render(demo, client):
    index = DirectoryIndexPage.objects.get()
    assert client.get(index.url).status_code == 200
    for page in OrganisationPage.objects.order_by("path")[:3]:
        assert client.get(page.url).status_code == 200
    for offer in OfferPage.objects.order_by("path")[::25]:
        response = client.get(offer.url)
        assert response.status_code == 200, offer.url
        assert offer.title in response.content.decode()


def test_prints_progress_and_summary(demo):
    offers = OfferPage.objects.count()
    assert f"{offers}/{offers}" in demo
    assert f"{offers} ({offers} " in demo
    assert "demo-lotse" in demo


def test_generate_offers_on_top_of_the_demo(demo, client):
    demo_offers = OfferPage.objects.count()
    call_command("generate_offers", "--count", "1200", "--batch-size", "500", stdout=io.StringIO())
    assert OfferPage.objects.live().count() == demo_offers + 1200
    assert Page.find_problems() == ([], [], [], [], [])
    for page in OrganisationPage.objects.all():
        assert page.numchild == page.get_children().count(), page
    for offer in OfferPage.objects.order_by("-pk")[:5]:
        assert client.get(offer.url).status_code == 200
    # The demo loader still recognises its own pages and adds nothing.
    with override_settings(DEBUG=True):
        load_demo()
    assert OfferPage.objects.count() == demo_offers + 1200


def test_demo_users_show_both_ways_of_publishing(demo):
    """awo's changes wait for the coordination, diakonie publishes, beratung only reads."""
    users = {u.username: u for u in get_user_model().objects.all()}
    awo_offer = OfferPage.objects.filter(organisation__slug="awo-kreisverband-lahnfeld").first()
    diakonie_offer = OfferPage.objects.filter(
        organisation__slug="diakonisches-werk-lahnfeld"
    ).first()
    assert awo_offer.permissions_for_user(users["awo"]).can_edit()
    assert not awo_offer.permissions_for_user(users["awo"]).can_publish()
    assert awo_offer.get_workflow().name == "Freigabe durch die Koordination"
    assert diakonie_offer.permissions_for_user(users["diakonie"]).can_publish()
    assert not diakonie_offer.permissions_for_user(users["awo"]).can_edit()
    assert awo_offer.permissions_for_user(users["koordination"]).can_publish()
    assert not awo_offer.permissions_for_user(users["beratung"]).can_edit()
    for username in ("awo", "diakonie", "beratung", "koordination"):
        assert users[username].has_perm("wagtailadmin.access_admin"), username
