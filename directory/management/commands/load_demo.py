"""Build the fictional demo county "Landkreis Lahnfeld": network, catalogue and demo users.

Every object is looked up by a natural key (slug, username, or an `hsds_id` derived with
uuid5) before it is created, and existing pages are skipped, so a second run changes nothing.
Texts come from `lotse.directory.demo_data`, combined by a random generator seeded per object: the
same seed gives the same county, whatever already exists.
"""

import contextlib
import datetime as dt
import logging
import random
import time
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page, Site

from lotse.directory import demo_data as data
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
from lotse.directory.signals import demo_loaded
from lotse.network.management.base import LotseCommand
from lotse.network.models import Language, Membership, Organisation, Person, SocialArea
from lotse.network.progress import Progress
from lotse.network.two_factor import DEMO_TOTP_NAME, DEMO_TOTP_SECRET, demo_totp_key

DEFAULT_SEED = 20261122
INDEX_SLUG = "hilfe-finden"
SITE_NAME = "Lotse – Landkreis Lahnfeld"
WELCOME_TITLE = "Welcome to your new Wagtail site!"
#: Organisation kinds whose offers in the county town serve the whole county.
COUNTY_WIDE = {
    data.COUNTY_DEPARTMENT,
    data.JOB_CENTRE,
    data.EMPLOYMENT_AGENCY,
    data.PENSION_INSURANCE,
    data.OTHER,
}
#: Offers given from the main office (home visits, phone) rather than a place in each town.
FROM_MAIN_OFFICE = {"care", "always", "phone"}


@contextlib.contextmanager
def quiet_logger(name):
    """Wagtail logs every page it creates and publishes; the progress line says enough."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(LotseCommand):
    help = gettext_lazy(
        "Build the fictional demo county 'Landkreis Lahnfeld': partner organisations, people, "
        "places, taxonomies, a published directory with over 200 offers, and demo users "
        "(koordination, beratung, awo, diakonie, admin) with the password 'demo-lotse'. "
        "Runs again without changing anything. Refuses to run unless DEBUG is on, because "
        "the demo users have a published password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=gettext_lazy("Seed of the text generator (default: %(default)s)."),
        )

    def handle(self, *args, seed, **options):
        if not settings.DEBUG:
            raise CommandError(
                _("load_demo creates users with a published password and runs only with DEBUG on.")
            )
        started = time.perf_counter()
        self.seed = seed
        self.today = timezone.localdate()
        self.zone = timezone.get_current_timezone()
        self.created = Counter()
        with quiet_logger("wagtail"), transaction.atomic():
            self.languages = self.load_languages()
            self.areas = self.load_areas()
            self.topics = self.load_terms(Topic, data.TOPICS)
            self.target_groups = self.load_terms(
                TargetGroup, [(slug, name, parent, "") for slug, name, parent in data.TARGET_GROUPS]
            )
            self.organisations = self.load_organisations()
            self.locations = {}
            self.people = self.load_people()
            self.load_users()
            index = self.load_index_page()
            pages = self.load_organisation_pages(index)
            self.load_offers(pages)
        demo_loaded.send(sender=self.__class__, stdout=self.stdout)
        self.report(time.perf_counter() - started)

    def rng(self, *key):
        """A generator of its own per object, so results do not depend on what exists."""
        return random.Random(":".join(str(k) for k in (self.seed, *key)))

    def get_or_create(self, label, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created[label] += created
        return obj, created

    # --- network -----------------------------------------------------------------------------

    def load_languages(self):
        return {
            code: self.get_or_create(
                "languages",
                Language,
                code=code,
                defaults={"name": name, "native_name": native, "right_to_left": rtl},
            )[0]
            for code, name, native, rtl in data.LANGUAGES
        }

    def load_areas(self):
        county = data.COUNTY
        areas = {}
        areas[county["slug"]] = self.get_or_create(
            "areas",
            SocialArea,
            slug=county["slug"],
            defaults={
                "name": county["name"],
                "kind": SocialArea.Kind.COUNTY,
                "latitude": county["latitude"],
                "longitude": county["longitude"],
                "hsds_id": data.demo_uuid("area", county["slug"]),
            },
        )[0]
        for slug, name, postcodes, lat, lon, _hall in data.TOWNS:
            areas[slug] = self.get_or_create(
                "areas",
                SocialArea,
                slug=slug,
                defaults={
                    "name": name,
                    "kind": SocialArea.Kind.MUNICIPALITY,
                    "parent": areas[county["slug"]],
                    "postcodes": postcodes,
                    "latitude": lat,
                    "longitude": lon,
                    "hsds_id": data.demo_uuid("area", slug),
                },
            )[0]
        for slug, name, postcodes, lat, lon in data.SOCIAL_AREAS:
            areas[slug] = self.get_or_create(
                "areas",
                SocialArea,
                slug=slug,
                defaults={
                    "name": name,
                    "kind": SocialArea.Kind.SOCIAL_AREA,
                    "parent": areas[data.BIGGEST_TOWN],
                    "postcodes": postcodes,
                    "latitude": lat,
                    "longitude": lon,
                    "hsds_id": data.demo_uuid("area", slug),
                },
            )[0]
        return areas

    def load_terms(self, model, rows):
        """Topics or target groups; the tables list broader terms before narrower ones."""
        label = model._meta.model_name
        terms = {}
        for slug, name, parent, description in rows:
            terms[slug] = self.get_or_create(
                label,
                model,
                slug=slug,
                defaults={
                    "name": name,
                    "parent": terms.get(parent),
                    "description": description,
                    "hsds_id": data.demo_uuid(label, slug),
                },
            )[0]
        return terms

    def load_organisations(self):
        organisations = {}
        for number, spec in enumerate(data.ORGANISATIONS):
            organisations[spec["slug"]] = self.get_or_create(
                "organisations",
                Organisation,
                slug=spec["slug"],
                defaults={
                    "name": spec["name"],
                    "short_name": spec["short_name"],
                    "kind": spec["kind"],
                    "description": spec["description"],
                    "parent": organisations.get(spec["parent"]),
                    "website": spec["website"],
                    "phone": data.phone(100 + number),
                    "email": spec["email"],
                    "hsds_id": data.demo_uuid("organisation", spec["slug"]),
                    "trusted": spec["kind"] in data.TRUSTED_KINDS
                    or spec["slug"] in data.TRUSTED_ORGANISATIONS,
                },
            )[0]
        return organisations

    def location(self, org_slug, key):
        """The organisation's place `key`: "main", a town slug, or "rathaus-<town>"."""
        if (org_slug, key) in self.locations:
            return self.locations[org_slug, key]
        spec = data.ORG[org_slug]
        rng = self.rng("location", org_slug, key)
        if key == "main":
            town = spec["town"]
            name, street, access = spec["place"], spec["street"], spec["access"]
        elif key.startswith("rathaus-"):
            town = key.removeprefix("rathaus-")
            name, street = f"Rathaus {data.TOWN[town][1]}", data.TOWN[town][5]
            access = rng.choice(["good", "ground", "old", "ramp"])
        else:
            town = key
            name = _("%(organisation)s, office %(town)s") % {
                "organisation": spec["short_name"],
                "town": data.TOWN[town][1],
            }
            street = f"{rng.choice(data.STREETS)} {rng.randint(1, 60)}"
            access = rng.choice(["full", "good", "ground", "ramp", "upstairs", "loop"])
        _slug, town_name, postcodes, lat, lon, _hall = data.TOWN[town]
        area_slug = data.ORG_AREAS.get(org_slug) if key == "main" else None
        if area_slug:
            lat, lon = next((a[3], a[4]) for a in data.SOCIAL_AREAS if a[0] == area_slug)
        lat = round(lat + rng.uniform(-0.004, 0.004), 5)
        lon = round(lon + rng.uniform(-0.006, 0.006), 5)
        if town == data.BIGGEST_TOWN and not area_slug:
            area_slug = min(
                data.SOCIAL_AREAS, key=lambda a: data.distance_km(lat, lon, a[3], a[4])
            )[0]
        step_free, lift, toilet, loop, notes = data.ACCESS[access]
        hidden = org_slug in data.HIDDEN_ADDRESS
        location, _created = self.get_or_create(
            "locations",
            Location,
            hsds_id=data.demo_uuid("location", org_slug, key),
            defaults={
                "organisation": self.organisations[org_slug],
                "name": name,
                "street": street,
                "postcode": postcodes.split(",")[0].strip(),
                "town": town_name,
                "social_area": self.areas[area_slug or town],
                "latitude": None if hidden else lat,
                "longitude": None if hidden else lon,
                "step_free_access": step_free,
                "lift": lift,
                "accessible_toilet": toilet,
                "hearing_loop": loop,
                "accessibility_notes": notes,
            },
        )
        self.locations[org_slug, key] = location
        return location

    def load_people(self):
        """Named contacts: a lead and staff whose functions match the organisation's offers.

        Returns {org slug: {"lead": person, template key: person, …}}.
        """
        people = {}
        extension = 300
        for spec in data.ORGANISATIONS:
            org_slug = spec["slug"]
            templates = list(spec["offers"])
            templates += [r["template"] for r in data.ROTATING if r["organisation"] == org_slug]
            roles = ["lead", *templates][: max(2, min(4, len(templates) + 1))]
            staff, names = {}, set()
            for number, role in enumerate(roles):
                rng = self.rng("person", org_slug, number)
                first, last, female, spoken = data.pick_person(rng)
                while (first, last) in names:
                    first, last, female, spoken = data.pick_person(rng)
                names.add((first, last))
                if role == "lead":
                    function = data.LEAD_FUNCTIONS[spec["kind"]][0 if female else 1]
                else:
                    function = data.OFFERS[role]["staff"][0 if female else 1]
                extension += 1
                person, created = self.get_or_create(
                    "people",
                    Person,
                    hsds_id=data.demo_uuid("person", org_slug, number),
                    defaults={
                        "organisation": self.organisations[org_slug],
                        "name": f"{first} {last}",
                        "function": function,
                        "phone": data.phone(extension),
                        "email": f"{data.ascii_name(first)[0]}.{data.ascii_name(last)}"
                        f"@{spec['domain']}",
                        "accepts_handovers": role != "lead" or rng.random() < 0.6,
                    },
                )
                if created:
                    codes = ["de", *spoken] + (["en"] if rng.random() < 0.3 else [])
                    person.languages.set([self.languages[c] for c in dict.fromkeys(codes)])
                staff[role] = person
            people[org_slug] = staff
            # Deputies stand in during absences: the first two cover each other in most teams.
            rng = self.rng("deputies", org_slug)
            members = list(staff.values())
            if len(members) >= 2 and rng.random() < 0.75:
                for person, deputy in ((members[0], members[1]), (members[1], members[0])):
                    if person.deputy_id is None and person.pk != deputy.pk:
                        Person.objects.filter(pk=person.pk, deputy__isnull=True).update(
                            deputy=deputy
                        )
                        person.deputy = deputy
        return people

    def load_users(self):
        user_model = get_user_model()
        for spec in data.USERS:
            org_spec = data.ORG.get(spec.get("organisation"))
            email = (
                f"{spec['username']}@{org_spec['domain']}" if org_spec else "admin@lotse.example"
            )
            superuser = spec.get("superuser", False)
            user, created = self.get_or_create(
                "users",
                user_model,
                username=spec["username"],
                defaults={
                    "first_name": spec["first_name"],
                    "last_name": spec["last_name"],
                    "email": email,
                    "is_staff": superuser,
                    "is_superuser": superuser,
                },
            )
            if created:
                # Not through the password validators: the demo password is published anyway.
                user.set_password(data.DEMO_PASSWORD)
                user.save(update_fields=["password"])
            self.load_demo_totp(user)
            if superuser:
                continue
            organisation = self.organisations[spec["organisation"]]
            for role in spec["roles"]:
                self.get_or_create(
                    "memberships", Membership, user=user, organisation=organisation, role=role
                )
            first, last = spec["first_name"], spec["last_name"]
            person, created = self.get_or_create(
                "people",
                Person,
                hsds_id=data.demo_uuid("person", "user", spec["username"]),
                defaults={
                    "organisation": organisation,
                    "name": f"{first} {last}",
                    "function": spec["person"],
                    "email": f"{data.ascii_name(first)[0]}.{data.ascii_name(last)}"
                    f"@{org_spec['domain']}",
                    "phone": data.phone(290 + data.USERS.index(spec)),
                    "user": user,
                },
            )
            if created:
                person.languages.set([self.languages["de"], self.languages["en"]])
            for template in spec.get("handover_for", []):
                self.people[spec["organisation"]][f"user:{template}"] = person

    def load_demo_totp(self, user):
        """Every demo user signs in with the second step too, with one published app secret."""
        device, created = TOTPDevice.objects.get_or_create(
            user=user,
            name=DEMO_TOTP_NAME,
            defaults={"key": demo_totp_key(), "confirmed": True},
        )
        self.created["totp"] += created

    # --- pages -------------------------------------------------------------------------------

    def load_index_page(self):
        """The directory's entry page, made the default site's root instead of the welcome page."""
        root = Page.get_first_root_node()
        index = DirectoryIndexPage.objects.child_of(root).filter(slug=INDEX_SLUG).first()
        if index is None:
            index = DirectoryIndexPage(
                title="Hilfe finden im Landkreis Lahnfeld",
                slug=INDEX_SLUG,
                intro=(
                    "<p>Beratung, Unterstützung und Anlaufstellen in allen 18 Städten und "
                    "Gemeinden des Landkreises – von der <b>Pflegeberatung</b> bis zur "
                    "<b>Schuldnerberatung</b>. Suchen Sie nach Thema, Ort, Sprache oder "
                    "Öffnungszeit.</p>"
                ),
            )
            root.add_child(instance=index)
            index.save_revision().publish()
            self.created["pages"] += 1
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=index,
                is_default_site=True,
                site_name=SITE_NAME,
            )
        elif site.root_page_id != index.pk or not site.site_name:
            site.root_page = index
            site.site_name = site.site_name or SITE_NAME
            site.save(update_fields=["root_page", "site_name"])
        page_type = ContentType.objects.get_for_model(Page)
        for welcome in Page.objects.child_of(root).filter(
            content_type=page_type, title=WELCOME_TITLE, numchild=0, latest_revision__isnull=True
        ):
            if not Site.objects.filter(root_page=welcome).exists():
                welcome.delete()
        return index

    def load_organisation_pages(self, index):
        existing = {
            page.organisation_id: page
            for page in OrganisationPage.objects.filter(
                organisation__in=self.organisations.values()
            )
        }
        pages = {}
        progress = Progress(self.stdout, _("Organisations"), len(self.organisations))
        for slug, organisation in self.organisations.items():
            page = existing.get(organisation.pk)
            if page is None:
                page = OrganisationPage(
                    title=organisation.name,
                    slug=slug,
                    organisation=organisation,
                    intro=f"<p>{organisation.description}</p>",
                )
                index.add_child(instance=page)
                page.save_revision().publish()
                self.created["pages"] += 1
            pages[slug] = page
            progress.step()
        return pages

    def plan_offers(self):
        """(org slug, template key, town slug or None for a rotating offer) for every offer."""
        plan = []
        for spec in data.ORGANISATIONS:
            for key, towns in spec["offers"].items():
                plan += [(spec["slug"], key, town) for town in towns]
        plan += [(r["organisation"], r["template"], None) for r in data.ROTATING]
        return plan

    def load_offers(self, pages):
        plan = self.plan_offers()
        wanted = {data.demo_uuid("offer", *item): item for item in plan}
        existing = set(
            OfferPage.objects.filter(hsds_id__in=wanted).values_list("hsds_id", flat=True)
        )
        progress = Progress(self.stdout, _("Offers"), len(plan))
        for hsds_id, (org_slug, key, town) in wanted.items():
            if hsds_id not in existing:
                self.create_offer(pages[org_slug], hsds_id, org_slug, key, town)
            progress.step()

    def service_areas(self, rng, spec, key, town):
        if spec["slug"] in data.ORG_AREAS:
            return [self.areas[data.ORG_AREAS[spec["slug"]]]]
        if spec["kind"] == data.MUNICIPALITY:
            return [self.areas[spec["town"]]]
        if town == data.BIGGEST_TOWN and (spec["kind"] in COUNTY_WIDE or spec["parent"] is None):
            return []  # the whole county
        towns = [town, *data.neighbours(town, rng.randint(1, 3))]
        return [self.areas[t] for t in towns]

    def handover_contact(self, org_slug, key, town):
        staff = self.people[org_slug]
        spec = data.ORG[org_slug]
        if town == spec["town"] and f"user:{key}" in staff:
            return staff[f"user:{key}"]
        person = staff.get(key) or staff["lead"]
        return person if person.accepts_handovers else next(iter(staff.values()))

    def create_offer(self, parent, hsds_id, org_slug, key, town):
        spec = data.ORG[org_slug]
        template = data.OFFERS[key]
        rng = self.rng("offer", org_slug, key, town)
        rotating = next((r for r in data.ROTATING if r["template"] == key), None)
        if rotating:
            places = [self.location(org_slug, f"rathaus-{t}") for t in rotating["towns"]]
            rows = data.rotating_hours(rotating, self.today)
            rows += data.phone_hours(rng)
            town = spec["town"]
            fields = data.compose_offer(rng, key, data.TOWN[town][1], with_town=False)
            areas = [self.areas[t] for t in rotating["towns"]]
        else:
            if template["hours"] in FROM_MAIN_OFFICE or town == spec["town"]:
                places = [self.location(org_slug, "main")]
            else:
                places = [self.location(org_slug, town)]
            rows = data.compose_hours(rng, key, self.today)
            with_town = len(spec["offers"][key]) > 1 or town != spec["town"]
            fields = data.compose_offer(rng, key, data.TOWN[town][1], with_town=with_town)
            areas = self.service_areas(rng, spec, key, town)
        contact = self.handover_contact(org_slug, key, town)
        codes = ["de", *template["languages"]]
        codes += [lang.code for lang in contact.languages.all() if lang.code in self.languages]
        if rng.random() < 0.3:
            codes.append("en")
        slug = data.slug_for(fields["title"])
        offer = OfferPage(
            **fields,
            slug=slug,
            hsds_id=hsds_id,
            phone=rng.choice([self.organisations[org_slug].phone, contact.phone or ""]),
            email=(
                f"{template['mailbox']}@{spec['domain']}" if template["mailbox"] else spec["email"]
            ),
            website=f"{spec['website']}/angebote/{slug}" if rng.random() < 0.5 else "",
            handover_contact=contact,
        )
        # About a quarter of the demo offers are stale (LOTSE_STALE_AFTER_DAYS, 183).
        unconfirmed_days = rng.randint(0, 240)
        offer.topics = [self.topics[s] for s in template["topics"]]
        offer.target_groups = [self.target_groups[s] for s in template["groups"]]
        offer.languages = [self.languages[c] for c in dict.fromkeys(codes)]
        offer.service_areas = areas
        offer.offer_locations = [
            OfferLocation(
                location=place,
                sort_order=number,
                hsds_id=data.demo_uuid("offer-location", hsds_id, place.hsds_id),
            )
            for number, place in enumerate(places)
        ]
        offer.opening_hours = [
            OpeningHours(
                **{**row, "location": None if row["location"] is None else places[row["location"]]},
                sort_order=number,
            )
            for number, row in enumerate(rows)
        ]
        parent.add_child(instance=offer)
        offer.save_revision().publish()
        # Publishing confirms the offer today; the demo county's partners did so earlier.
        confirmed = dt.datetime.combine(
            self.today - dt.timedelta(days=unconfirmed_days), dt.time(10), tzinfo=self.zone
        )
        OfferPage.objects.filter(pk=offer.pk).update(confirmed_at=confirmed)
        self.created["offers"] += 1

    # --- summary -----------------------------------------------------------------------------

    def report(self, seconds):
        rows = [
            (_("Organisations"), Organisation.objects.count(), "organisations"),
            (_("People"), Person.objects.count(), "people"),
            (_("Locations"), Location.objects.count(), "locations"),
            (_("Live offers"), OfferPage.objects.live().count(), "offers"),
            (_("Opening hours"), OpeningHours.objects.count(), None),
            (_("Topics"), Topic.objects.count(), "topic"),
            (_("Target groups"), TargetGroup.objects.count(), "targetgroup"),
            (_("Languages"), Language.objects.count(), "languages"),
            (_("Social areas"), SocialArea.objects.count(), "areas"),
            (_("Users"), get_user_model().objects.count(), "users"),
        ]
        for label, total, key in rows:
            line = _("%(label)s: %(total)d") % {"label": label, "total": total}
            if key:
                line += " " + _("(%(new)d new)") % {"new": self.created[key]}
            self.stdout.write(f"  {line}")
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo county ready in %(seconds).1f s. Demo users log in with “%(password)s”.")
                % {"seconds": seconds, "password": data.DEMO_PASSWORD}
            )
        )
        self.stdout.write(
            _(
                "Second sign-in step: add the key %(secret)s to an authenticator app (time-based, "
                "6 digits), or print the current code with “manage.py demo_otp_code”."
            )
            % {"secret": DEMO_TOTP_SECRET}
        )
