"""Create many published offers at once, for scale tests and benchmarks.

Pages are written in bulk instead of one `add_child()` each: the command computes the
treebeard materialised paths itself, inserts the `wagtailcore_page` rows with `bulk_create`,
the `lotse_directory_offerpage` rows of the multi-table child with one `executemany`, then the
many-to-many, location and opening-hours rows, and finally bumps the parents' `numchild`.
No revisions, log entries, search-index or reference-index entries are written; run
`manage.py update_index` afterwards if a search backend must see the offers.
"""

import datetime as dt
import random
import time
import uuid
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from lotse.directory import demo_data as data
from lotse.directory.management.commands.load_demo import Progress
from lotse.directory.models import (
    Location,
    OfferLocation,
    OfferPage,
    OpeningHours,
    OrganisationPage,
    TargetGroup,
    Topic,
)
from lotse.network.management.base import LotseCommand
from lotse.network.models import Language, Person, SocialArea

TITLE_ENDINGS = ["", "", "", " – Außensprechstunde", " – Abendtermine", " (Projekt)"]


def encode_step(number):
    """Position `number` among siblings as a treebeard path step, e.g. 37 → "0011"."""
    base = len(Page.alphabet)
    if not 0 < number < base**Page.steplen:
        raise CommandError(_("Too many child pages below one organisation page."))
    digits = []
    for _position in range(Page.steplen):
        number, digit = divmod(number, base)
        digits.append(Page.alphabet[digit])
    return "".join(reversed(digits))


def decode_step(step):
    base = len(Page.alphabet)
    number = 0
    for char in step:
        number = number * base + Page.alphabet.index(char)
    return number


class Parent:
    """Where the next child of an organisation page goes, and which slugs are taken."""

    def __init__(self, page):
        self.page = page
        children = Page.objects.filter(path__startswith=page.path, depth=page.depth + 1)
        paths_and_slugs = list(children.values_list("path", "slug"))
        self.slugs = {slug for _path, slug in paths_and_slugs}
        last = max((path for path, _slug in paths_and_slugs), default=None)
        self.position = decode_step(last[-Page.steplen :]) if last else 0
        self.added = 0

    def next_path(self):
        self.position += 1
        self.added += 1
        return self.page.path + encode_step(self.position)

    def free_slug(self, slug):
        candidate, number = slug, 1
        while candidate in self.slugs:
            number += 1
            candidate = f"{slug}-{number}"
        self.slugs.add(candidate)
        return candidate


class Command(LotseCommand):
    help = gettext_lazy(
        "Create COUNT published offers in bulk below the existing organisation pages, for "
        "scale tests (run load_demo first). Writes no revisions and no search-index entries; "
        "run update_index afterwards when search must find the offers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help=_("Number of offers."))
        parser.add_argument("--seed", type=int, default=1, help=_("Seed of the generator."))
        parser.add_argument(
            "--batch-size", type=int, default=1000, help=_("Offers written per batch.")
        )

    def handle(self, *args, count, seed, batch_size, **options):
        if count < 1:
            raise CommandError(
                _("--count must be a positive number, not %(count)d.") % {"count": count}
            )
        if batch_size < 1:
            raise CommandError(_("--batch-size must be a positive number."))
        started = time.perf_counter()
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.now = timezone.now()
        with transaction.atomic():
            pages = list(OrganisationPage.objects.order_by("path"))
            if not pages:
                raise CommandError(
                    _("There are no organisation pages to add offers to; run load_demo first.")
                )
            self.load_context(pages)
            progress = Progress(self.stdout, _("Offers"), count)
            for start in range(0, count, batch_size):
                size = min(batch_size, count - start)
                self.create_batch(size)
                progress.step(size)
            for parent in self.parents:
                if parent.added:
                    Page.objects.filter(pk=parent.page.pk).update(
                        numchild=F("numchild") + parent.added
                    )
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                _("Created %(count)d offers in %(seconds).1f s (%(rate)d offers/s).")
                % {"count": count, "seconds": seconds, "rate": count / max(seconds, 1e-6)}
            )
        )

    def load_context(self, pages):
        """Everything the generator picks from, read once."""
        self.parents = [Parent(page) for page in pages]
        self.content_type_id = ContentType.objects.get_for_model(OfferPage).pk
        self.topics = dict(Topic.objects.values_list("slug", "pk"))
        self.target_groups = dict(TargetGroup.objects.values_list("slug", "pk"))
        self.languages = dict(Language.objects.values_list("code", "pk"))
        self.areas = dict(
            SocialArea.objects.filter(kind=SocialArea.Kind.MUNICIPALITY).values_list("slug", "pk")
        )
        self.people = defaultdict(list)
        people = Person.objects.filter(accepts_handovers=True).order_by("pk")
        for pk, organisation_id in people.values_list("pk", "organisation_id"):
            self.people[organisation_id].append(pk)
        self.locations = defaultdict(list)
        for pk, organisation_id in Location.objects.order_by("pk").values_list(
            "pk", "organisation_id"
        ):
            self.locations[organisation_id].append(pk)
        slugs = {page.pk: page.slug for page in pages}
        self.templates = {
            page.pk: list(data.ORG[slugs[page.pk]]["offers"])
            for page in pages
            if slugs[page.pk] in data.ORG
        }

    def pick(self, known, wanted, at_least=1):
        """Pks of the `wanted` slugs that exist, else a few random ones."""
        found = [known[slug] for slug in wanted if slug in known]
        if found or not known:
            return found
        return self.rng.sample(sorted(known.values()), min(at_least, len(known)))

    def create_batch(self, size):
        rng = self.rng
        offers, extras = [], []
        for _number in range(size):
            parent = rng.choice(self.parents)
            page = parent.page
            own = self.templates.get(page.pk)
            key = rng.choice(own if own and rng.random() < 0.7 else list(data.OFFERS))
            town_slug, town_name, *_rest = rng.choice(data.TOWNS)
            fields = data.compose_offer(rng, key, town_name, with_town=True)
            title = (fields.pop("title") + rng.choice(TITLE_ENDINGS))[:255]
            slug = parent.free_slug(data.slug_for(title)[:240])
            published = self.now - dt.timedelta(
                days=rng.randint(0, 700), minutes=rng.randint(0, 1440)
            )
            people = self.people.get(page.organisation_id) or [None]
            template = data.OFFERS[key]
            offers.append(
                OfferPage(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    path=parent.next_path(),
                    depth=page.depth + 1,
                    numchild=0,
                    url_path=f"{page.url_path}{slug}/",
                    content_type_id=self.content_type_id,
                    locale_id=page.locale_id,
                    translation_key=uuid.uuid4(),
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                    organisation_id=page.organisation_id,
                    hsds_id=uuid.uuid4(),
                    handover_contact_id=rng.choice(people),
                    phone=data.phone(rng.randint(100, 999)),
                    email=f"{data.slug_for(key)}@lahnfeld.example",
                    confirmed_at=max(published, self.now - dt.timedelta(days=rng.randint(0, 500))),
                    **fields,
                )
            )
            areas = [town_slug, *data.neighbours(town_slug, rng.randint(0, 2))]
            languages = ["de", *template["languages"]]
            if rng.random() < 0.3:
                languages.append(rng.choice(data.LANGUAGES)[0])
            extras.append(
                {
                    "topics": self.pick(self.topics, template["topics"]),
                    "target_groups": self.pick(self.target_groups, template["groups"]),
                    "languages": self.pick(self.languages, dict.fromkeys(languages), 0),
                    "service_areas": self.pick(self.areas, areas),
                    "locations": rng.sample(
                        self.locations.get(page.organisation_id, []),
                        min(
                            rng.choice([1, 1, 1, 2]),
                            len(self.locations.get(page.organisation_id, [])),
                        ),
                    ),
                    "hours": data.compose_hours(rng, key, self.today),
                }
            )
        self.insert_pages(offers)
        self.insert_relations(offers, extras)

    def insert_pages(self, offers):
        """Base rows through the ORM, child rows by hand: bulk_create refuses MTI children."""
        page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        rows = [
            Page(**{f.attname: getattr(offer, f.attname) for f in page_fields}) for offer in offers
        ]
        Page.objects.bulk_create(rows)
        for offer, row in zip(offers, rows, strict=True):
            offer.pk = offer.page_ptr_id = row.pk
        fields = OfferPage._meta.local_concrete_fields
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(OfferPage._meta.db_table),
            ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
        )
        values = [
            [f.get_db_prep_save(getattr(offer, f.attname), connection) for f in fields]
            for offer in offers
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)

    def insert_relations(self, offers, extras):
        for name in ("topics", "target_groups", "languages", "service_areas"):
            field = OfferPage._meta.get_field(name)
            through = field.remote_field.through
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            through.objects.bulk_create(
                through(**{source: offer.pk, target: pk})
                for offer, extra in zip(offers, extras, strict=True)
                for pk in extra[name]
            )
        places, hours = [], []
        for offer, extra in zip(offers, extras, strict=True):
            locations = extra["locations"]
            places += [
                OfferLocation(offer_id=offer.pk, location_id=pk, sort_order=number)
                for number, pk in enumerate(locations)
            ]
            rows = [r for r in extra["hours"] if r["location"] is None or locations]
            if not rows:
                rows = data.phone_hours(self.rng)
            hours += [
                OpeningHours(
                    **{k: v for k, v in row.items() if k != "location"},
                    offer_id=offer.pk,
                    location_id=None if row["location"] is None else locations[row["location"]],
                    sort_order=number,
                )
                for number, row in enumerate(rows)
            ]
        OfferLocation.objects.bulk_create(places)
        OpeningHours.objects.bulk_create(hours)
