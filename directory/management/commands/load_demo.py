"""Build the fictional demo county "Landkreis Lahnfeld" with its network, offers and users.

Idempotent: every object is found by a natural key before it is created, so a second run
changes nothing. Refuses to run unless DEBUG is on, because it creates users with a
published password.
"""

import datetime as dt
import logging
import random
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from directory import demo_county as data
from directory.models import (
    DirectoryIndexPage,
    Location,
    OfferLocation,
    OfferPage,
    OpeningHours,
    OrganisationPage,
    TargetGroup,
    Topic,
)
from network.models import Language, Membership, Organisation, Person, SocialArea

DEMO_PASSWORD = "demo-lotse"
SEED = 20261122


def hm(value):
    return dt.time.fromisoformat(value)


class Progress:
    """A one-line progress bar that rewrites itself on a terminal."""

    def __init__(self, stdout, label, total):
        self.stdout, self.label, self.total, self.done = stdout, label, total, 0
        self.tty = hasattr(sys.stdout, "isatty") and sys.stdout.isatty()

    def step(self):
        self.done += 1
        if self.tty or self.done == self.total:
            width = 30
            filled = width * self.done // max(self.total, 1)
            bar = "█" * filled + "·" * (width - filled)
            ending = "\n" if self.done == self.total else ""
            self.stdout.write(f"\r{self.label:<16} {bar} {self.done}/{self.total}", ending=ending)
            self.stdout.flush()


class Command(BaseCommand):
    help = _(
        "Builds the fictional demo county with partners, offers and demo users "
        "(password “demo-lotse”). Runs only with DEBUG on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                _("Refusing to create demo users with a known password while DEBUG is off.")
            )
        started = time.monotonic()
        # Wagtail logs every page it creates; the progress bars say enough.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        self.random = random.Random(SEED)
        self.created = 0
        with transaction.atomic():
            self.languages = self.load_languages()
            self.areas = self.load_areas()
            self.topics = self.load_taxonomy(Topic, data.TOPICS)
            self.groups = self.load_taxonomy(
                TargetGroup, [(s, n, None) for s, n in data.TARGET_GROUPS]
            )
            self.organisations = self.load_organisations()
            self.load_users()
            index = self.load_index_page()
            self.load_offers(index)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo county ready: %(orgs)d organisations, %(offers)d live offers, "
                    "%(created)d objects created in %(seconds).1f s."
                )
                % {
                    "orgs": Organisation.objects.count(),
                    "offers": OfferPage.objects.live().count(),
                    "created": self.created,
                    "seconds": time.monotonic() - started,
                }
            )
        )

    def get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += created
        return obj, created

    def load_languages(self):
        return {
            code: self.get_or_create(
                Language,
                code=code,
                defaults={"name": name, "native_name": native, "right_to_left": rtl},
            )[0]
            for code, name, native, rtl in data.LANGUAGES
        }

    def load_areas(self):
        county, _created = self.get_or_create(
            SocialArea,
            slug="landkreis-lahnfeld",
            defaults={
                "name": "Landkreis Lahnfeld",
                "kind": SocialArea.Kind.COUNTY,
                "latitude": 50.55,
                "longitude": 8.5,
            },
        )
        areas = {}
        for slug, name, postcode, lat, lon in data.TOWNS:
            areas[slug] = self.get_or_create(
                SocialArea,
                slug=slug,
                defaults={
                    "name": name,
                    "kind": SocialArea.Kind.MUNICIPALITY,
                    "parent": county,
                    "postcodes": postcode,
                    "latitude": lat,
                    "longitude": lon,
                },
            )[0]
        for slug, name, postcode, lat, lon in data.SOCIAL_AREAS:
            areas[slug] = self.get_or_create(
                SocialArea,
                slug=slug,
                defaults={
                    "name": name,
                    "kind": SocialArea.Kind.SOCIAL_AREA,
                    "parent": areas["lahnfeld"],
                    "postcodes": postcode,
                    "latitude": lat,
                    "longitude": lon,
                },
            )[0]
        return areas

    def load_taxonomy(self, model, rows):
        terms = {}
        for slug, name, parent in rows:
            terms[slug] = self.get_or_create(
                model, slug=slug, defaults={"name": name, "parent": terms.get(parent)}
            )[0]
        return terms

    def load_organisations(self):
        towns = {slug: (name, postcode, lat, lon) for slug, name, postcode, lat, lon in data.TOWNS}
        organisations = {}
        progress = Progress(self.stdout, _("Organisations"), len(data.ORGANISATIONS))
        for index, row in enumerate(data.ORGANISATIONS):
            slug, name, short, kind, town, street, parent, description = row
            domain = slug.replace("kreis-", "landkreis-lahnfeld-") + ".example"
            organisation, _created = self.get_or_create(
                Organisation,
                slug=slug,
                defaults={
                    "name": name,
                    "short_name": short,
                    "kind": kind,
                    "parent": organisations.get(parent),
                    "description": description,
                    "website": f"https://www.{domain}",
                    "email": f"info@{domain}",
                    "phone": f"06441 {400 + index:03d}-0",
                },
            )
            organisations[slug] = organisation
            town_name, postcode, lat, lon = towns[town]
            jitter = (index % 7 - 3) * 0.0011
            self.get_or_create(
                Location,
                organisation=organisation,
                name=short,
                defaults={
                    "street": street,
                    "postcode": postcode,
                    "town": town_name,
                    "social_area": self.areas[town],
                    "latitude": round(lat + jitter, 5),
                    "longitude": round(lon - jitter, 5),
                    "step_free_access": index % 3 != 0,
                    "lift": index % 4 == 0,
                    "accessible_toilet": index % 3 == 1,
                    "hearing_loop": index % 5 == 0,
                    "accessibility_notes": (
                        "Eingang über den Hof, Klingel in Rollstuhlhöhe." if index % 3 == 0 else ""
                    ),
                },
            )
            for number in range(2):
                first = data.FIRST_NAMES[(index + number * 5) % len(data.FIRST_NAMES)]
                last = data.LAST_NAMES[(index * 3 + number) % len(data.LAST_NAMES)]
                person, created = self.get_or_create(
                    Person,
                    organisation=organisation,
                    name=f"{first} {last}",
                    defaults={
                        "function": "Beraterin" if number else "Leitung",
                        "email": f"{first}.{last}@{domain}".lower().replace("ı", "i"),
                        "phone": f"06441 {400 + index:03d}-{11 + number}",
                    },
                )
                if created:
                    person.languages.set(
                        [self.languages["de"], self.random.choice(list(self.languages.values()))]
                    )
            people = list(organisation.people.order_by("pk"))
            if people[1].deputy_id is None:
                people[1].deputy = people[0]
                people[1].save(update_fields=["deputy"])
            progress.step()
        return organisations

    def load_index_page(self):
        index = DirectoryIndexPage.objects.filter(slug="hilfe-finden").first()
        if index is None:
            root = Page.get_first_root_node()
            index = root.add_child(
                instance=DirectoryIndexPage(
                    title="Hilfe finden im Landkreis Lahnfeld",
                    slug="hilfe-finden",
                    intro=(
                        "<p>Alle Beratungs- und Hilfsangebote der Partner im Landkreis Lahnfeld: "
                        "wer hilft, wo, wann und in welcher Sprache.</p>"
                    ),
                )
            )
            self.created += 1
        site = Site.objects.filter(is_default_site=True).first()
        if site and site.root_page_id != index.pk:
            old_root = site.root_page
            site.root_page = index
            site.site_name = "Lotse – Landkreis Lahnfeld"
            site.save()
            # Wagtail's untouched welcome page is not part of the demo.
            if old_root.depth == 2 and type(old_root.specific) is Page:
                old_root.delete()
        return index

    def load_offers(self, index):
        plan = []
        for slug, organisation in self.organisations.items():
            types = [t for t in data.OFFER_TYPES if organisation.kind in t[3]]
            rng = random.Random(f"{SEED}-{slug}")
            plan.append((organisation, rng.sample(types, min(len(types), 8)), rng))
        progress = Progress(self.stdout, _("Offers"), sum(len(types) for _o, types, _r in plan))
        for organisation, types, rng in plan:
            org_page = OrganisationPage.objects.filter(organisation=organisation).first()
            if org_page is None:
                org_page = index.add_child(
                    instance=OrganisationPage(
                        title=organisation.name,
                        slug=organisation.slug,
                        organisation=organisation,
                        intro=f"<p>{organisation.description}</p>",
                    )
                )
                self.created += 1
            existing = set(OfferPage.objects.child_of(org_page).values_list("slug", flat=True))
            for offer_type in types:
                self.add_offer(org_page, organisation, offer_type, rng, existing)
                progress.step()
        self.add_mobile_consultation()

    def add_offer(self, org_page, organisation, offer_type, rng, existing):
        title, topics, groups, _kinds, summary, plain, bring, cost, ages = offer_type
        slug = slugify(title)
        if slug in existing:
            return
        location = organisation.locations.order_by("pk").first()
        # Demo users who are handover contacts receive their organisation's handovers.
        contact = (
            organisation.people.filter(user__isnull=False).first()
            or organisation.people.order_by("pk").last()
        )
        languages = ["de", *rng.sample(["en", "tr", "ar", "ru", "uk", "fa", "pl", "ro"], 2)]
        town_area = location.social_area
        offer = OfferPage(
            title=title,
            slug=slug,
            summary=summary,
            easy_language_summary=plain,
            description=(
                f"<p>{summary}</p><p>Das Angebot von {organisation.short_name} "
                "ist vertraulich. Wir nehmen uns Zeit für Ihr Anliegen und arbeiten eng mit den "
                "anderen Stellen im Netzwerk zusammen.</p>"
            ),
            is_free=cost is True,
            fee_description="" if cost is True else cost,
            eligibility="Für alle Menschen, die im Landkreis Lahnfeld wohnen.",
            how_to_apply=rng.choice(
                [
                    "Kommen Sie in die offene Sprechstunde oder rufen Sie uns an.",
                    "Bitte vereinbaren Sie vorher einen Termin – telefonisch oder per E-Mail.",
                    "Ohne Anmeldung während der Öffnungszeiten.",
                ]
            ),
            what_to_bring=bring,
            min_age=ages[0],
            max_age=ages[1],
            phone=organisation.phone,
            email=organisation.email,
            handover_contact=contact,
            last_confirmed_at=dt.date(2026, 11, 1) - dt.timedelta(days=rng.randint(0, 400)),
        )
        offer.topics = [self.topics[t] for t in topics]
        offer.target_groups = [self.groups[g] for g in groups]
        offer.languages = [self.languages[code] for code in languages]
        offer.service_areas = [town_area] if rng.random() < 0.3 else []
        offer.offer_locations = [OfferLocation(location=location)]
        hours = []
        pattern = rng.choice(data.WEEKLY_PATTERNS)
        for days, opens, closes in pattern:
            hours.append(
                OpeningHours(
                    kind="in_person",
                    location=location,
                    weekdays=days,
                    opens_at=hm(opens),
                    closes_at=hm(closes),
                )
            )
        extra = rng.random()
        if extra < 0.45:
            hours.append(
                OpeningHours(
                    kind="phone", weekdays=["MO", "TH"], opens_at=hm("13:00"), closes_at=hm("15:00")
                )
            )
        elif extra < 0.6:
            hours.append(
                OpeningHours(
                    kind="video",
                    weekdays=["WE"],
                    opens_at=hm("16:00"),
                    closes_at=hm("18:00"),
                    note="Link nach Anmeldung per E-Mail",
                )
            )
        elif extra < 0.8:
            hours.append(OpeningHours(kind="appointment", note="Termine auch abends möglich"))
        if rng.random() < 0.1:
            hours.append(
                OpeningHours(
                    kind="in_person",
                    location=location,
                    weekdays=["SA"],
                    opens_at=hm("10:00"),
                    closes_at=hm("13:00"),
                    valid_from=dt.date(2026, 11, 1),
                    valid_to=dt.date(2027, 3, 31),
                    note="Wintersprechstunde",
                )
            )
        offer.opening_hours = hours
        org_page.add_child(instance=offer)
        offer.save_revision().publish()
        self.created += 1
        existing.add(slug)

    def add_mobile_consultation(self):
        """The care advice centre tours four town halls, one Wednesday morning each month."""
        organisation = self.organisations["kreis-pflegestuetzpunkt"]
        org_page = OrganisationPage.objects.get(organisation=organisation)
        if OfferPage.objects.child_of(org_page).filter(slug="mobile-pflegeberatung").exists():
            return
        halls = []
        for week, town in enumerate(["weilstein", "hohenau", "felsberg", "kirchwald"], start=1):
            area = self.areas[town]
            hall, _created = self.get_or_create(
                Location,
                organisation=organisation,
                name=f"Rathaus {area.name}",
                defaults={
                    "street": "Rathausplatz 1",
                    "postcode": area.postcode_list[0],
                    "town": area.name,
                    "social_area": area,
                    "latitude": area.latitude,
                    "longitude": area.longitude,
                    "step_free_access": True,
                    "lift": True,
                    "accessible_toilet": True,
                },
            )
            halls.append((week, hall))
        offer = OfferPage(
            title="Mobile Pflegeberatung in den Rathäusern",
            slug="mobile-pflegeberatung",
            summary=(
                "Der Pflegestützpunkt kommt zu Ihnen: jeden Mittwochvormittag in einem anderen "
                "Rathaus des Landkreises."
            ),
            easy_language_summary="Wir beraten zur Pflege. Wir kommen in Ihr Rathaus.",
            description="<p>Ohne Anmeldung. Beratung zu Pflegegrad, Entlastung und Hilfen.</p>",
            phone=organisation.phone,
            handover_contact=organisation.people.order_by("pk").last(),
            last_confirmed_at=dt.date(2026, 10, 15),
        )
        offer.topics = [self.topics["pflege"], self.topics["pflegeberatung"]]
        offer.target_groups = [self.groups["angehoerige"], self.groups["senioren"]]
        offer.languages = [self.languages["de"], self.languages["tr"]]
        offer.offer_locations = [OfferLocation(location=hall) for _week, hall in halls]
        offer.opening_hours = [
            OpeningHours(
                kind="mobile",
                location=hall,
                weekdays=["WE"],
                frequency="monthly",
                week_of_month=week,
                opens_at=hm("09:00"),
                closes_at=hm("12:00"),
            )
            for week, hall in halls
        ]
        org_page.add_child(instance=offer)
        offer.save_revision().publish()
        self.created += 1

    def load_users(self):
        User = get_user_model()
        group, _created = self.get_or_create(Group, name="Lotse")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        users = [
            (
                "koordination",
                "Karin",
                "Koordinatorin",
                "kreis-koordination",
                [Membership.Role.COORDINATOR],
            ),
            ("beratung", "Ben", "Berater", "kreis-sozialbuero", [Membership.Role.ADVISER]),
            (
                "awo",
                "Aylin",
                "Arslan",
                "awo-kreisverband",
                [Membership.Role.EDITOR, Membership.Role.CONTACT],
            ),
            (
                "diakonie",
                "Dieter",
                "Diehl",
                "diakonie-lahnfeld",
                [Membership.Role.EDITOR, Membership.Role.CONTACT],
            ),
        ]
        for username, first, last, org_slug, roles in users:
            organisation = self.organisations[org_slug]
            user, created = self.get_or_create(
                User,
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@lotse-demo.example",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.groups.add(group)
            for role in roles:
                self.get_or_create(Membership, user=user, organisation=organisation, role=role)
            self.get_or_create(
                Person,
                organisation=organisation,
                name=f"{first} {last}",
                defaults={"user": user, "email": user.email, "function": "Demo-Zugang"},
            )
        admin, created = self.get_or_create(
            User,
            username="admin",
            defaults={"is_superuser": True, "is_staff": True, "email": "admin@lotse-demo.example"},
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
