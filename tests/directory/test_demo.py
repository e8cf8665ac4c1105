"""The demo county (`load_demo`) and the scale generator (`generate_offers`)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Revision, Site

from directory.models import (
    DirectoryIndexPage,
    Location,
    OfferLocation,
    OfferPage,
    OpeningHours,
    OrganisationPage,
    Topic,
)
from network.models import Language, Membership, Organisation, Person, SocialArea

pytestmark = pytest.mark.django_db

MODELS = [
    Organisation,
    Person,
    Membership,
    SocialArea,
    Language,
    Topic,
    Location,
    Page,
    OfferPage,
    OfferLocation,
    OpeningHours,
    Revision,
    get_user_model(),
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_load_demo_builds_a_realistic_county_and_a_second_run_changes_nothing(debug, client):
    output = load_demo()
    assert "34" in output
    assert Organisation.objects.count() >= 30
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(Organisation.Kind.values)
    live = OfferPage.objects.live()
    assert live.count() >= 200
    assert Topic.objects.filter(offers__in=live).distinct().count() >= 20
    towns = SocialArea.objects.filter(kind="municipality", latitude__isnull=False)
    assert towns.count() >= 15
    assert Language.objects.filter(right_to_left=True).exists()
    assert Location.objects.filter(step_free_access=True).exists()
    assert Location.objects.filter(hearing_loop=True).exists()
    assert OpeningHours.objects.filter(kind="phone").exists()
    assert OpeningHours.objects.filter(valid_to__isnull=False).exists()
    # The rotating Wednesday mobile consultation: a different town hall each week of the month.
    mobile = OpeningHours.objects.filter(kind="mobile", weekdays="WE", frequency="monthly")
    assert mobile.values("location__town").distinct().count() >= 3
    assert sorted(mobile.values_list("week_of_month", flat=True)) == [1, 2, 3, 4]
    # The demo site answers at its root with the directory.
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, DirectoryIndexPage)
    assert client.get("/").status_code == 200
    offer = live.order_by("pk").first()
    assert client.get(offer.url).status_code == 200

    before = counts()
    load_demo()
    assert counts() == before


def test_demo_users_share_one_password_and_have_their_roles(debug):
    load_demo()
    User = get_user_model()
    for username in ("koordination", "beratung", "awo", "diakonie", "admin"):
        assert User.objects.get(username=username).check_password("demo-lotse"), username
    assert User.objects.get(username="admin").is_superuser
    roles = {
        (m.user.username, m.organisation.short_name, m.role)
        for m in Membership.objects.select_related("user", "organisation")
    }
    assert ("koordination", "Koordination", "coordinator") in roles
    assert ("beratung", "Sozialbüro", "adviser") in roles
    assert {("awo", "AWO", "editor"), ("awo", "AWO", "contact")} <= roles
    assert {("diakonie", "Diakonie", "editor"), ("diakonie", "Diakonie", "contact")} <= roles
    awo_person = Person.objects.get(user__username="awo")
    assert OfferPage.objects.filter(handover_contact=awo_person).exists()
    assert User.objects.get(username="beratung").has_perm("wagtailadmin.access_admin")


def test_load_demo_refuses_without_debug_and_creates_nothing(settings):
    settings.DEBUG = False
    before = counts()
    with pytest.raises(CommandError, match="DEBUG"):
        load_demo()
    assert counts() == before


def test_generate_offers_bulk_creates_a_consistent_routable_tree(debug, client):
    load_demo()
    before = OfferPage.objects.count()
    out = io.StringIO()
    call_command("generate_offers", count=700, stdout=out)
    assert "700" in out.getvalue()
    assert OfferPage.objects.count() == before + 700
    assert Page.find_problems() == ([], [], [], [], [])
    for parent in OrganisationPage.objects.all():
        assert parent.numchild == parent.get_children().count()
    newest = OfferPage.objects.order_by("-pk")[:5]
    for offer in newest:
        assert offer.live
        assert offer.topics.exists()
        assert offer.organisation_id == offer.get_parent().specific.organisation_id
        assert offer.opening_hours.exists()
        assert client.get(offer.url).status_code == 200
    # A second batch continues the paths instead of colliding with the first.
    call_command("generate_offers", count=50, stdout=io.StringIO())
    assert Page.find_problems() == ([], [], [], [], [])


def test_generate_offers_without_partner_pages_fails_cleanly():
    before = counts()
    with pytest.raises(CommandError, match="load_demo"):
        call_command("generate_offers", count=10, stdout=io.StringIO())
    assert counts() == before


@pytest.mark.parametrize("count", ["0", "-5", "zehn"])
def test_generate_offers_rejects_a_bad_count(count):
    with pytest.raises(CommandError, match="at least 1|mindestens 1"):
        call_command("generate_offers", "--count", count, stdout=io.StringIO())
