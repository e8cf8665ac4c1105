"""`manage.py search_benchmark`: speed and relevance of the offer search, on this database.

Makes sure there are `--offers` live offers (the demo county first if the directory is empty,
then `generate_offers`' bulk generator), indexes them for every contender, and times one
fixed set of queries with filters, in one run, on:

* `database (API)`: `GET /api/v1/search/` through Django's test client, database backend;
* `database`: our database backend (`lotse.search.backends.database`);
* `elasticsearch`: our Elasticsearch backend, on `ELASTICSEARCH_URL` or, when that is unset,
  on an osmem-server the command starts (as the test suite does), in an index of its own;
* `wagtail (stock)`: `OfferPage.objects.live().search(q)` on Wagtail's configured search
  backend (text and the free-of-charge filter only: it has no facets, places or hours).

It prints p50 and p95 per contender with the ratio to stock Wagtail, and a relevance table:
the rank of the first expected offer per query, and how many queries have one in the top 3
and the top 10. Not a test: the figures depend on the machine. Use a database of its own
(the generated offers stay), e.g. `createdb lotse_bench` and
`DATABASE_URL=postgres://…/lotse_bench manage.py migrate` first.
"""

import math
import statistics
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.conf import lotse_settings
from lotse.network.management.base import LotseCommand
from lotse.network.progress import Progress

from ... import analysis, documents, service
from ...backends import INSTALL_HINT, EngineUnavailable, client_installed
from ...query import SearchQuery

BENCHMARK_INDEX = "lotse-benchmark-offers"
PAGE_SIZE = 20
#: Seconds a benchmark query may take on Elasticsearch before it counts as failed.
ENGINE_TIMEOUT = 10
#: The demo county's main town (directory/demo_data.py TOWNS).
LAHNFELD = (50.5561, 8.5043)


@dataclass(frozen=True)
class Case:
    """One query of the set, and the titles (prefixes) of offers that answer it well."""

    label: str
    params: dict
    expected: tuple[str, ...] = ()
    #: Filters also applied to stock Wagtail (its OfferPage FilterFields).
    stock_filters: dict = field(default_factory=dict)


CASES = (
    Case(
        "Schulden",
        {"q": "Schulden"},
        ("Schuldner- und Insolvenzberatung", "Übernahme von Mietschulden"),
    ),
    Case(
        "Schuldnerberatng (typo)", {"q": "Schuldnerberatng"}, ("Schuldner- und Insolvenzberatung",)
    ),
    Case(
        "Pflege + in person",
        {"q": "Pflege", "attending": ("in_person",)},
        ("Pflegeberatung", "Hilfe zur Pflege", "Pflegekurs", "Ambulanter Pflegedienst"),
    ),
    Case("Hartz IV (synonym)", {"q": "Hartz IV"}, ("Bürgergeld beantragen",)),
    Case(
        "ALG II + free",
        {"q": "ALG II", "free": True},
        ("Bürgergeld beantragen",),
        {"is_free": True},
    ),
    Case(
        "Rente (synonym)",
        {"q": "Rente"},
        ("Rentenberatung", "Rentenantrag", "Servicetelefon der Rentenversicherung"),
    ),
    Case(
        "Beratungen Familien + free",
        {"q": "Beratungen Familien", "free": True},
        ("Erziehungs- und Familienberatung",),
        {"is_free": True},
    ),
    Case(
        "Wohngeld + Lahnfeld 15 km",
        {"q": "Wohngeld", "near": LAHNFELD, "radius_km": 15},
        ("Wohngeld",),
    ),
    Case(
        "Suchtberatung + step-free", {"q": "Suchtberatung", "step_free": True}, ("Suchtberatung",)
    ),
    Case("Kita", {"q": "Kita"}, ("Kindertagesstätte", "Vermittlung von Kita-Plätzen")),
    Case(
        "Migrationsberatung + Arabic",
        {"q": "Migrationsberatung", "languages": ("ar",)},
        ("Migrationsberatung",),
    ),
    Case(
        "Frauenhaus + by phone",
        {"q": "Frauenhaus", "attending": ("phone",)},
        ("Frauenhaus",),
    ),
    Case(
        "Frauenberatung + open Tuesday",
        {"q": "Frauenberatung", "open_on": "TU"},
        ("Frauenberatungsstelle",),
    ),
    Case(
        "Schwangerschaftsberatung", {"q": "Schwangerschaftsberatung"}, ("Schwangerschaftsberatung",)
    ),
    Case(
        "free + Lahnfeld, by distance",
        {"free": True, "near": LAHNFELD, "sort": "distance"},
        (),
        {"is_free": True},
    ),
    Case("open now", {"open_now": True}),
)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def first_expected_rank(titles, expected):
    for rank, title in enumerate(titles, 1):
        if title.startswith(expected):
            return rank
    return None


def api_params(params):
    """SearchQuery fields as the JSON API's query parameters."""
    names = {
        "topics": "topic",
        "target_groups": "target_group",
        "languages": "language",
        "areas": "area",
    }
    query = {}
    for key, value in params.items():
        key = names.get(key, key)
        if key == "near":
            value = f"{value[0]},{value[1]}"
        elif isinstance(value, bool):
            value = "true" if value else "false"
        query[key] = list(value) if isinstance(value, tuple) else value
    return query


class Command(LotseCommand):
    help = gettext_lazy(
        "Time a fixed set of offer searches on our database backend, our Elasticsearch "
        "backend and stock Wagtail search over OFFERS live offers (generated as needed), and "
        "print p50/p95 and a relevance table. Use a database of its own."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--offers",
            type=int,
            default=10_000,
            help=gettext_lazy("Live offers to search (default 10000)."),
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=5,
            help=gettext_lazy("Timed rounds over the query set (default 5)."),
        )
        parser.add_argument(
            "--seed", type=int, default=1, help=gettext_lazy("Seed of the offer generator.")
        )
        parser.add_argument(
            "--reuse-indexes",
            action="store_true",
            help=gettext_lazy(
                "Keep the database and Wagtail search indexes of an earlier run when they hold "
                "every live offer (Elasticsearch on osmem-server is always rebuilt)."
            ),
        )
        parser.add_argument(
            "--skip-elasticsearch",
            action="store_true",
            help=gettext_lazy("Leave out the Elasticsearch backend."),
        )

    def handle(self, *args, offers, rounds, seed, skip_elasticsearch, reuse_indexes, **options):
        if offers < 1:
            raise CommandError(_("--offers must be a positive number."))
        if rounds < 1:
            raise CommandError(_("--rounds must be a positive number."))
        if not skip_elasticsearch and not client_installed():
            raise CommandError(
                _(
                    "The Elasticsearch client is not installed: %(hint)s, or leave the engine "
                    "out with --skip-elasticsearch."
                )
                % {"hint": INSTALL_HINT}
            )
        self.prepare_offers(offers, seed)
        total = documents.count_live()
        contenders = {}
        self.reuse = reuse_indexes
        self.index_database(total)
        contenders["database (API)"] = self.run_api
        contenders["database"] = self.run_database
        osmem = None
        try:
            if not skip_elasticsearch:
                osmem, self.engine = self.start_engine()
                self.index_engine(total)
                contenders["elasticsearch"] = self.run_engine
            self.index_wagtail()
            contenders["wagtail (stock)"] = self.run_wagtail
            timings, ranks = self.measure(contenders, rounds)
        finally:
            if osmem is not None:
                osmem.stop()
            elif not skip_elasticsearch and getattr(self, "engine", None) is not None:
                self.engine.drop()
        self.report(total, rounds, timings, ranks)

    # Data and indices

    def prepare_offers(self, wanted, seed):
        from lotse.directory.models import OrganisationPage

        if not OrganisationPage.objects.exists():
            if not settings.DEBUG:
                raise CommandError(
                    _("The directory is empty: run load_demo first (it needs DEBUG on).")
                )
            self.stdout.write(_("Loading the demo county …"))
            call_command("load_demo", stdout=self.stdout)
        missing = wanted - documents.count_live()
        if missing > 0:
            call_command("generate_offers", count=missing, seed=seed, stdout=self.stdout)

    def timed(self, label, function):
        started = time.perf_counter()
        result = function()
        self.stdout.write(
            _("%(label)s: %(seconds).1f s")
            % {"label": label, "seconds": time.perf_counter() - started}
        )
        return result

    def index_database(self, total):
        from ...backends import database
        from ...models import SearchDocument

        analysis.invalidate()
        if self.reuse and SearchDocument.objects.count() == total:
            self.stdout.write(_("Database index: kept (%(count)d offers).") % {"count": total})
            return
        progress = Progress(self.stdout, _("Database index"), total)
        self.timed(_("Database index built"), lambda: database.rebuild(progress=progress.step))

    def start_engine(self):
        from ...backends.elasticsearch import ElasticsearchBackend

        osmem = None
        url, compat = lotse_settings.ELASTICSEARCH_URL, lotse_settings.ELASTICSEARCH_COMPAT
        if not url:
            from ...osmem import OsmemProcess, OsmemUnavailable

            try:
                osmem = OsmemProcess().start()
            except OsmemUnavailable as error:
                raise CommandError(
                    _("No ELASTICSEARCH_URL and osmem-server cannot start: %(reason)s")
                    % {"reason": error}
                ) from error
            url, compat = osmem.url, "opensearch"
            self.stdout.write(_("Started osmem-server at %(url)s.") % {"url": url})
        engine = ElasticsearchBackend(url=url, index=BENCHMARK_INDEX, compat=compat)
        if not engine.ping(timeout=5):
            if osmem is not None:
                osmem.stop()
            raise CommandError(_("Elasticsearch at %(url)s does not answer.") % {"url": url})
        self.engine_errors = (EngineUnavailable,)
        return osmem, engine

    def index_engine(self, total):
        progress = Progress(self.stdout, _("Elasticsearch index"), total)
        with override_settings(LOTSE_SEARCH_INDEX_TIMEOUT=120, LOTSE_SEARCH_TIMEOUT=30):
            self.timed(
                _("Elasticsearch index built"), lambda: self.engine.rebuild(progress=progress.step)
            )

    def index_wagtail(self):
        from wagtail.search.backends import get_search_backend

        from lotse.directory.models import OfferPage

        backend = get_search_backend()
        pages = OfferPage.objects.live().prefetch_related("topics").order_by("pk")
        ids = list(pages.values_list("pk", flat=True))
        if self.reuse and OfferPage.objects.live().search("Beratung").count():
            self.stdout.write(_("Wagtail search index: kept."))
            return
        progress = Progress(self.stdout, _("Wagtail search index"), len(ids))

        def build():
            for start in range(0, len(ids), 500):
                chunk = list(pages.filter(pk__in=ids[start : start + 500]))
                backend.add_bulk(OfferPage, chunk)
                progress.step(len(chunk))

        self.timed(_("Wagtail search index built"), build)

    # Contenders: each returns the titles of the first page

    def run_database(self, case):
        from ...backends.database import get_database_backend

        query = service.prepare(SearchQuery(page_size=PAGE_SIZE, **case.params))
        return [hit.title for hit in get_database_backend().search(query).hits]

    def run_engine(self, case):
        query = service.prepare(SearchQuery(page_size=PAGE_SIZE, **case.params))
        with override_settings(LOTSE_SEARCH_TIMEOUT=ENGINE_TIMEOUT):
            try:
                return [hit.title for hit in self.engine.search(query).hits]
            except self.engine_errors as error:
                self.failures.setdefault(("elasticsearch", case.label), str(error))
                return None

    def run_api(self, case):
        # A request activates the language it asks for; the command's own stays afterwards.
        with translation.override(translation.get_language()):
            response = self.client.get(
                "/api/v1/search/", {**api_params(case.params), "page_size": PAGE_SIZE}
            )
        if response.status_code != 200:
            raise CommandError(
                _("The search API answered %(status)d for %(query)s.")
                % {"status": response.status_code, "query": case.label}
            )
        return [result["title"] for result in response.json()["results"]]

    def run_wagtail(self, case):
        from lotse.directory.models import OfferPage

        pages = OfferPage.objects.live().filter(**case.stock_filters)
        q = case.params.get("q", "")
        if not q:
            pages = pages.order_by("title")
            pages.count()
            return [page.title for page in pages[:PAGE_SIZE]]
        results = pages.search(q)
        results.count()
        return [page.title for page in results[:PAGE_SIZE]]

    def measure(self, contenders, rounds):
        timings = {name: [] for name in contenders}
        ranks = {}
        self.failures = {}
        self.client = Client()
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(ELASTICSEARCH_URL="", ALLOWED_HOSTS=hosts):
            steps = len(contenders) * len(CASES) * (rounds + 1)
            progress = Progress(self.stdout, _("Queries"), steps)
            for name, run in contenders.items():
                for case in CASES:  # warm-up, and the titles for the relevance table
                    titles = run(case)
                    ranks[name, case.label] = (
                        first_expected_rank(titles, case.expected)
                        if case.expected and titles is not None
                        else None
                    )
                    progress.step()
                for _round in range(rounds):
                    for case in CASES:
                        started, cpu_started = time.perf_counter(), time.process_time()
                        if run(case) is not None:
                            timings[name].append(
                                (
                                    (time.perf_counter() - started) * 1000,
                                    (time.process_time() - cpu_started) * 1000,
                                )
                            )
                        progress.step()
        return timings, ranks

    # Output

    def report(self, total, rounds, timings, ranks):
        from django.db import connection

        write = self.stdout.write
        write("")
        write(
            _(
                "Search benchmark: %(offers)d live offers, %(queries)d queries × %(rounds)d "
                "rounds, database %(vendor)s"
            )
            % {
                "offers": total,
                "queries": len(CASES),
                "rounds": rounds,
                "vendor": connection.vendor,
            }
        )
        stock = [wall for wall, _cpu in timings.get("wagtail (stock)", [])]
        stock_p95 = percentile(stock, 0.95) if stock else None
        stock_p50 = statistics.median(stock) if stock else None
        header = [f"{_('backend'):<18}", f"{'p50 ms':>9}", f"{'p95 ms':>9}"]
        header += [f"{_('stock p50 / p50'):>16}", f"{_('stock p95 / p95'):>16}"]
        header += [f"{'CPU p50 ms':>11}", f"{'CPU p95 ms':>11}"]
        write(" ".join(header))
        for name, values in timings.items():
            if not values:
                write(f"{name:<18} {'–':>9} {'–':>9}")
                continue
            walls = [wall for wall, _cpu in values]
            cpus = [cpu for _wall, cpu in values]
            p50, p95 = statistics.median(walls), percentile(walls, 0.95)
            ratio50 = f"{stock_p50 / p50:.1f}×" if stock_p50 else "–"
            ratio95 = f"{stock_p95 / p95:.1f}×" if stock_p95 else "–"
            cpu50, cpu95 = statistics.median(cpus), percentile(cpus, 0.95)
            write(
                f"{name:<18} {p50:>9.1f} {p95:>9.1f} {ratio50:>16} {ratio95:>16}"
                f" {cpu50:>11.1f} {cpu95:>11.1f}"
            )
        write(
            _(
                "CPU: processor time of this process only (a database server's work is not "
                "in it); on a busy machine it is steadier than wall time."
            )
        )
        write("")
        write(
            _("Relevance: rank of the first expected offer (– = not in the first %(n)d)")
            % {"n": PAGE_SIZE}
        )
        names = list(timings)
        write(f"{_('query'):<32} " + " ".join(f"{name:>16}" for name in names))
        judged = [case for case in CASES if case.expected]
        for case in judged:
            cells = []
            for name in names:
                rank = ranks.get((name, case.label))
                cells.append(f"{rank if rank is not None else '–':>16}")
            write(f"{case.label:<32} " + " ".join(cells))
        for limit in (3, 10):
            cells = []
            for name in names:
                good = sum(
                    1 for case in judged if (ranks.get((name, case.label)) or math.inf) <= limit
                )
                cells.append(f"{f'{good}/{len(judged)}':>16}")
            write(f"{_('expected in top %(n)d') % {'n': limit}:<32} " + " ".join(cells))
        for (name, label), reason in sorted(self.failures.items()):
            write(
                _("%(backend)s failed on %(query)s (left out of the timings): %(reason)s")
                % {"backend": name, "query": label, "reason": reason}
            )
