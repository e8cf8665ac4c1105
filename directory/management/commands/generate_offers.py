"""Create many varied offer pages fast, for scale tests and benchmarks.

Pages are written in bulk straight into Wagtail's tree (materialised paths computed here),
not one `add_child` per page: 10,000 offers take seconds instead of many minutes. The pages
are live but have no revisions; the search index is not updated (rebuild it afterwards).
"""

import argparse
import datetime as dt
import random
import time
import uuid
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page

from directory import demo_county as data
from directory.management.commands.load_demo import Progress
from directory.models import (
    Location,
    OfferLocation,
    OfferPage,
    OpeningHours,
    OrganisationPage,
    TargetGroup,
    Topic,
)
from network.models import Language, SocialArea

BATCH = 500
PLACES = ["Lahnfeld", "Weilstein", "Hohenau", "Bergheim", "Dornbach", "Felsberg", "Grünau"]


def positive_int(value):
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(_("must be a whole number of at least 1"))
    return number


class Command(BaseCommand):
    help = _("Creates COUNT varied, published offers in bulk below the existing partner pages.")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=positive_int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, seed, **options):
        organisation_pages = list(OrganisationPage.objects.order_by("path"))
        if not organisation_pages:
            raise CommandError(_("No partner pages exist yet; run load_demo first."))
        topics = list(Topic.objects.values_list("pk", flat=True))
        if not topics:
            raise CommandError(_("No topics exist yet; run load_demo first."))
        started = time.monotonic()
        self.rng = random.Random(seed)
        self.topics = topics
        self.groups = list(TargetGroup.objects.values_list("pk", flat=True))
        self.languages = list(Language.objects.values_list("pk", flat=True))
        self.areas = list(SocialArea.objects.values_list("pk", flat=True))
        self.locations = defaultdict(list)
        for pk, organisation_id in Location.objects.values_list("pk", "organisation_id"):
            self.locations[organisation_id].append(pk)
        progress = Progress(self.stdout, _("Offers"), count)
        with transaction.atomic():
            next_step = {page.pk: self.last_child_step(page) + 1 for page in organisation_pages}
            added = defaultdict(int)
            for batch_start in range(0, count, BATCH):
                size = min(BATCH, count - batch_start)
                parents = [
                    organisation_pages[(batch_start + i) % len(organisation_pages)]
                    for i in range(size)
                ]
                self.create_batch(parents, next_step, batch_start)
                for parent in parents:
                    added[parent.pk] += 1
                for _i in range(size):
                    progress.step()
            for page in organisation_pages:
                if added[page.pk]:
                    Page.objects.filter(pk=page.pk).update(numchild=page.numchild + added[page.pk])
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                _("Created %(count)d offers in %(seconds).1f s (%(rate).0f offers/s).")
                % {"count": count, "seconds": seconds, "rate": count / max(seconds, 1e-9)}
            )
        )

    @staticmethod
    def last_child_step(parent):
        last = (
            Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        return Page._str2int(last[-Page.steplen :]) if last else 0

    def create_batch(self, parents, next_step, offset):
        rng = self.rng
        now = timezone.now()
        content_type = ContentType.objects.get_for_model(OfferPage)
        pages, offers = [], []
        for i, parent in enumerate(parents):
            offer_type = rng.choice(data.OFFER_TYPES)
            place = rng.choice(PLACES)
            title = f"{offer_type[0]} {place}"
            step = next_step[parent.pk]
            next_step[parent.pk] += 1
            slug = f"{slugify(title)}-{offset + i + 1}"
            common = {
                "title": title,
                "draft_title": title,
                "slug": slug,
                "path": Page._get_path(parent.path, parent.depth + 1, step),
                "depth": parent.depth + 1,
                "numchild": 0,
                "url_path": f"{parent.url_path}{slug}/",
                "live": True,
                "has_unpublished_changes": False,
                "first_published_at": now,
                "last_published_at": now,
                "content_type": content_type,
                "locale_id": parent.locale_id,
                "translation_key": uuid.uuid4(),
            }
            pages.append(Page(**common))
            cost = offer_type[7]
            offers.append(
                OfferPage(
                    **common,
                    summary=offer_type[4],
                    easy_language_summary=offer_type[5],
                    description=f"<p>{offer_type[4]}</p>",
                    what_to_bring=offer_type[6],
                    is_free=cost is True,
                    fee_description="" if cost is True else cost,
                    min_age=offer_type[8][0],
                    max_age=offer_type[8][1],
                    organisation_id=parent.organisation_id,
                    last_confirmed_at=dt.date(2026, 11, 1) - dt.timedelta(days=rng.randint(0, 500)),
                )
            )
        Page.objects.bulk_create(pages)
        if any(page.pk is None for page in pages):
            # Databases that cannot return ids from a bulk insert: read them back by path.
            ids = dict(
                Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk")
            )
            for page in pages:
                page.pk = page.id = ids[page.path]
        for page, offer in zip(pages, offers, strict=True):
            offer.pk = offer.page_ptr_id = offer.id = page.pk
        fields = list(OfferPage._meta.local_concrete_fields)
        OfferPage.objects._insert(offers, fields=fields)
        self.create_relations(offers)

    def create_relations(self, offers):
        rng = self.rng
        topics, groups, languages, areas, places, hours = [], [], [], [], [], []
        through = {
            name: getattr(OfferPage, name).through
            for name in ("topics", "target_groups", "languages", "service_areas")
        }
        for offer in offers:
            for pk in rng.sample(self.topics, min(2, len(self.topics))):
                topics.append(through["topics"](offerpage_id=offer.pk, topic_id=pk))
            for pk in rng.sample(self.groups, min(1, len(self.groups))):
                groups.append(through["target_groups"](offerpage_id=offer.pk, targetgroup_id=pk))
            for pk in rng.sample(self.languages, min(2, len(self.languages))):
                languages.append(through["languages"](offerpage_id=offer.pk, language_id=pk))
            if self.areas and rng.random() < 0.3:
                areas.append(
                    through["service_areas"](
                        offerpage_id=offer.pk, socialarea_id=rng.choice(self.areas)
                    )
                )
            location_ids = self.locations.get(offer.organisation_id)
            if not location_ids:
                continue
            location_id = rng.choice(location_ids)
            places.append(OfferLocation(offer_id=offer.pk, location_id=location_id))
            for sort_order, (days, opens, closes) in enumerate(rng.choice(data.WEEKLY_PATTERNS)):
                hours.append(
                    OpeningHours(
                        offer_id=offer.pk,
                        sort_order=sort_order,
                        kind="in_person",
                        location_id=location_id,
                        weekdays=days,
                        opens_at=dt.time.fromisoformat(opens),
                        closes_at=dt.time.fromisoformat(closes),
                    )
                )
        for model, rows in (
            (through["topics"], topics),
            (through["target_groups"], groups),
            (through["languages"], languages),
            (through["service_areas"], areas),
            (OfferLocation, places),
            (OpeningHours, hours),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)
