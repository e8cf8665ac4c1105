"""The Elasticsearch/OpenSearch backend, through elasticsearch-dsl (the `elasticsearch` extra).

It stores the documents of `lotse.search.documents.build_document`, the ones the database backend
stores, and answers the same `SearchQuery` with the same `SearchResult`, but lets the engine
do the work: full text over the pre-analysed tokens, filters, disjunctive facet counts as
terms aggregations, `geo_distance` filter and sort, "open now" and "open on a weekday" as
nested queries over the opening hours, and typo corrections from a term suggester.

German stemming, decompounding and synonyms come from `lotse.search.analysis` (OpenSearch-compatible
servers ignore such filters in index settings), so documents carry its tokens and queries are
expanded by it; the built-in `german` analyser on the text fields adds to the score. Snippets
are highlighted in Python with the same function the database backend uses.

The index name in settings (`LOTSE_SEARCH_INDEX`) is an alias over timestamped concrete
indices: `rebuild()` fills a new one, swaps the alias in one atomic request and then deletes
the old one, so searches keep answering during a rebuild. Updates go to every index of the
alias and carry an external version (when their data was read), so a rebuild's older snapshot
never overwrites an update written meanwhile.
"""

import datetime as dt
import logging
import re
import threading
import time
from collections import Counter

from elastic_transport import TransportError, Urllib3HttpNode
from elasticsearch import ApiError, Elasticsearch
from elasticsearch.dsl import (
    Date,
    Document,
    GeoPoint,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    Nested,
    Object,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch.helpers import streaming_bulk

from lotse.conf import lotse_settings
from lotse.directory import opening_hours
from lotse.directory.fields import WEEKDAY_CODES

from .. import analysis
from ..documents import schedule_objects
from ..query import Hit, SearchQuery, SearchResult
from . import EngineUnavailable
from .database import FACETS, MAX_CORRECTIONS, build_facets, empty_facets, haversine_km, highlight

logger = logging.getLogger(__name__)

COMPAT_MEDIA_TYPES = {
    "application/vnd.elasticsearch+json; compatible-with=8": "application/json",
    "application/vnd.elasticsearch+x-ndjson; compatible-with=8": "application/x-ndjson",
}
#: Separates a facet value from its label in the `*_labelled` keyword fields.
SEP = "\x1f"
#: Weight of the title, summary and the rest, as in the database backend.
TITLE_BOOST, SUMMARY_BOOST, BODY_BOOST = 10.0, 4.0, 1.0
#: "Every n weeks" rhythms up to this many weeks are recognised by "open now".
MAX_RHYTHM_WEEKS = 52
EPOCH_MONDAY = dt.date(1970, 1, 5)
BULK_CHUNK = 500


# Connecting


class PlainJsonNode(Urllib3HttpNode):
    """Sends plain JSON media types, which OpenSearch-compatible servers accept.

    The official client asks for `application/vnd.elasticsearch+json; compatible-with=8`,
    which OpenSearch answers with 406, and insists on the `X-Elastic-Product` response header,
    which OpenSearch does not send.
    """

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value in COMPAT_MEDIA_TYPES:
                    headers[name] = COMPAT_MEDIA_TYPES[value]
        response = super().perform_request(method, target, body=body, headers=headers, **kwargs)
        if "x-elastic-product" not in response.meta.headers:
            response.meta.headers["x-elastic-product"] = "Elasticsearch"
        return response


_clients = {}
_clients_lock = threading.Lock()


def get_client(url=None, compat=None):
    """One client (with its connection pool) per server and mode, shared by all threads."""
    url = url or lotse_settings.ELASTICSEARCH_URL
    compat = lotse_settings.ELASTICSEARCH_COMPAT if compat is None else compat
    key = (url, compat)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            options = {"max_retries": 0, "retry_on_timeout": False}
            if compat == "opensearch":
                options["node_class"] = PlainJsonNode
            client = _clients[key] = Elasticsearch(url, **options)
    return client


def describe(error):
    """A one-line reason without request bodies (which could hold search words)."""
    status = getattr(error, "status_code", None) or getattr(
        getattr(error, "meta", None), "status", None
    )
    name = type(error).__name__
    message = getattr(error, "message", None) or str(error)
    text = f"{name} {status}: {message}" if status else f"{name}: {message}"
    return text.splitlines()[0][:300] if text else name


_version_lock = threading.Lock()
_last_version = 0


def now_version():
    """External document version: microseconds since the epoch, rising within a process."""
    global _last_version
    with _version_lock:
        _last_version = max(_last_version + 1, time.time_ns() // 1000)
        return _last_version


# Mapping


class Schedule(InnerDoc):
    """An opening-hours row: the document's fields plus what the nested queries compare."""

    kind = Keyword()
    location_id = Integer()
    weekdays = Keyword()
    opens_at = Keyword(index=False)
    closes_at = Keyword(index=False)
    frequency = Keyword()
    interval = Integer()
    week_of_month = Integer()
    valid_from = Date()
    valid_to = Date()
    #: Minutes after midnight.
    opens = Integer()
    closes = Integer()
    #: "n:r": every n weeks, in the weeks whose number (since 1970-01-05) modulo n is r.
    rhythm = Keyword()


PREFIX_ANALYZER = analyzer(
    "lotse_prefix",
    tokenizer="whitespace",
    filter=[token_filter("lotse_edge", type="edge_ngram", min_gram=2, max_gram=40)],
)


class OfferDocument(Document):
    """An offer as the engine stores it; `source_for()` fills it from a search document."""

    page_id = Integer()
    hsds_id = Keyword()
    url = Keyword(index=False)
    title = Text(analyzer="german")
    #: The title folded like analysed text (as in the database backend): sorting, and word
    #: prefixes for autocomplete.
    title_sort = Keyword(
        fields={"prefix": Text(analyzer=PREFIX_ANALYZER, search_analyzer="whitespace")}
    )
    summary = Text(analyzer="german")
    description = Text(analyzer="german")
    organisation_id = Keyword()
    organisation_name = Text(analyzer="german")
    topic_names = Keyword(index=False)
    #: Tokens from `lotse.search.analysis`: stems, family roots and compound parts.
    title_terms = Text(analyzer="whitespace")
    summary_terms = Text(analyzer="whitespace")
    body_terms = Text(analyzer="whitespace")
    #: Every token and every normalised word ("word<SEP>Surface"), for typo tolerance
    #: and autocomplete.
    tokens = Keyword()
    words = Keyword()
    words_displayed = Keyword()
    topic_slugs = Keyword()
    target_group_slugs = Keyword()
    language_codes = Keyword()
    area_slugs = Keyword()
    attending = Keyword()
    #: Facet values with their labels; the area facet leaves the county out.
    topic_labelled = Keyword()
    target_group_labelled = Keyword()
    language_labelled = Keyword()
    area_labelled = Keyword()
    free = Keyword()
    step_free = Keyword()
    points = GeoPoint()
    schedules = Nested(Schedule)
    #: Shown in results only.
    topics = Object(enabled=False)

    class Index:
        name = "lotse-offers-template"


def index_definition(name):
    index = Index(name)
    index.document(OfferDocument)
    return index


def week_number(day):
    return (day - EPOCH_MONDAY).days // 7


def _minutes(value):
    if not value:
        return None
    hours, minutes = value.split(":")[:2]
    return int(hours) * 60 + int(minutes)


def schedule_source(schedule):
    every = schedule.get("interval") or 1
    valid_from = schedule.get("valid_from")
    if every > 1 and valid_from:
        residue = week_number(dt.date.fromisoformat(valid_from)) % every
    else:
        every, residue = 1, 0
    return {
        **schedule,
        "opens": _minutes(schedule.get("opens_at")),
        "closes": _minutes(schedule.get("closes_at")),
        "rhythm": f"{every}:{residue}",
    }


def _labelled(pairs):
    return [f"{value}{SEP}{label}" for value, label in pairs]


def source_for(document):
    """What the engine stores of a search document (see `lotse.search.documents`)."""
    organisation = document.get("organisation") or {}
    areas = document.get("areas", [])
    words = document.get("words", {})
    tokens = {
        token
        for key in ("title_terms", "summary_terms", "body_terms")
        for token in document.get(key, "").split()
    }
    return {
        "page_id": document["page_id"],
        "hsds_id": document["hsds_id"],
        "url": document.get("url", ""),
        "title": document["title"],
        "title_sort": title_sort(document["title"]),
        "summary": document.get("summary", ""),
        "description": document.get("description", ""),
        "organisation_id": organisation.get("id", ""),
        "organisation_name": organisation.get("name", ""),
        "title_terms": document.get("title_terms", ""),
        "summary_terms": document.get("summary_terms", ""),
        "body_terms": document.get("body_terms", ""),
        "tokens": sorted(tokens),
        "words": sorted(words),
        "words_displayed": _labelled(sorted(words.items())),
        "topic_slugs": document.get("topic_slugs", []),
        "target_group_slugs": document.get("target_group_slugs", []),
        "language_codes": document.get("language_codes", []),
        "area_slugs": document.get("area_slugs", []),
        "attending": document.get("attending", []),
        "topic_labelled": _labelled(
            zip(document.get("topic_slugs", []), document.get("topic_names", []), strict=False)
        ),
        "target_group_labelled": _labelled(
            zip(
                document.get("target_group_slugs", []),
                document.get("target_group_names", []),
                strict=False,
            )
        ),
        "language_labelled": _labelled(
            (lang["code"], lang["name"]) for lang in document.get("languages", [])
        ),
        "area_labelled": _labelled(
            (area["slug"], area["name"]) for area in areas if area.get("kind") != "county"
        ),
        "free": ["true"] if document.get("is_free") else [],
        "step_free": ["true"] if document.get("step_free") else [],
        "points": [{"lat": p["lat"], "lon": p["lon"]} for p in document.get("points", [])],
        "schedules": [schedule_source(s) for s in document.get("schedules", [])],
        "topics": [t["name"] for t in document.get("topics", [])],
    }


def title_sort(title):
    """The title folded as the database backend folds it, so both sort alike."""
    return " ".join(analysis.normalise(word) for word in title.split())[:255]


def document_id(document):
    return str(document["page_id"])


def batches(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# Queries

#: Facet name -> (field filtered on, field aggregated, whether values carry labels)
FACET_FIELDS = {
    "topic": ("topic_slugs", "topic_labelled", True),
    "target_group": ("target_group_slugs", "target_group_labelled", True),
    "language": ("language_codes", "language_labelled", True),
    "area": ("area_slugs", "area_labelled", True),
    "free": ("free", "free", False),
    "step_free": ("step_free", "step_free", False),
    "attending": ("attending", "attending", False),
}
FACET_SIZE = 500


def selected_values(query):
    return {
        "topic": set(query.topics),
        "target_group": set(query.target_groups),
        "language": set(query.languages),
        "area": set(query.areas),
        "free": {"true"} if query.free else set(),
        "step_free": {"true"} if query.step_free else set(),
        "attending": set(query.attending),
    }


def text_query(groups, q):
    """Every group must match one of its tokens; the title counts most, as in the database."""
    if not groups:
        return Q("match_all")
    must = []
    for group in groups:
        tokens = " ".join(group)
        must.append(
            Q(
                "bool",
                should=[
                    Q("match", title_terms={"query": tokens, "boost": TITLE_BOOST}),
                    Q("match", summary_terms={"query": tokens, "boost": SUMMARY_BOOST}),
                    Q("match", body_terms={"query": tokens, "boost": BODY_BOOST}),
                ],
                minimum_should_match=1,
            )
        )
    # The German analyser on the original text only adds to the score.
    scoring = Q(
        "multi_match",
        query=q,
        fields=["title^2", "summary", "description", "organisation_name"],
        boost=0.5,
    )
    return Q("bool", must=must, should=[scoring])


def on_day(day):
    """Nested conditions for schedule rows that occur on this day (`opening_hours.occurs_on`)."""
    iso = day.isoformat()
    week = week_number(day)
    weeks_of_month = [(day.day - 1) // 7 + 1]
    if (day + dt.timedelta(days=7)).month != day.month:
        weeks_of_month.append(-1)
    rhythms = ["1:0"] + [f"{n}:{week % n}" for n in range(2, MAX_RHYTHM_WEEKS + 1)]
    monthly = Q("term", schedules__frequency="monthly") & Q(
        "terms", schedules__week_of_month=weeks_of_month
    )
    weekly = ~Q("term", schedules__frequency="monthly") & Q("terms", schedules__rhythm=rhythms)
    return [
        Q("term", schedules__weekdays=WEEKDAY_CODES[day.weekday()]),
        ~Q("range", schedules__valid_from={"gt": iso}),
        ~Q("range", schedules__valid_to={"lt": iso}),
        Q("bool", should=[monthly, weekly], minimum_should_match=1),
    ]


def on_site():
    return [
        Q("terms", schedules__kind=sorted(opening_hours.ON_SITE)),
        Q("exists", field="schedules.opens"),
        Q("exists", field="schedules.closes"),
    ]


def open_at(moment):
    """On-site hours covering `moment`; nothing on public holidays (`opening_hours.is_open`)."""
    local = moment.astimezone(opening_hours.local_zone())
    day = local.date()
    if opening_hours.holiday_name(day):
        return Q("match_none")
    minute = local.hour * 60 + local.minute
    conditions = [
        *on_site(),
        Q("range", schedules__opens={"lte": minute}),
        Q("range", schedules__closes={"gt": minute}),
        *on_day(day),
    ]
    return Q("nested", path="schedules", query=Q("bool", filter=conditions))


def open_on(weekday, now):
    """On-site hours on one of the next five such weekdays that are not public holidays."""
    target = WEEKDAY_CODES.index(weekday)
    today = now.astimezone(opening_hours.local_zone()).date()
    first = today + dt.timedelta(days=(target - today.weekday()) % 7)
    days = [first + dt.timedelta(weeks=w) for w in range(5)]
    should = [
        Q("nested", path="schedules", query=Q("bool", filter=[*on_site(), *on_day(day)]))
        for day in days
        if not opening_hours.holiday_name(day)
    ]
    return Q("bool", should=should, minimum_should_match=1) if should else Q("match_none")


def plain_filters(query):
    """Filters that are not facets: they narrow the facet counts too."""
    filters = []
    if query.near is not None and query.radius_km is not None:
        lat, lon = query.near
        filters.append(
            Q("geo_distance", distance=f"{query.radius_km}km", points={"lat": lat, "lon": lon})
        )
    if query.open_now:
        filters.append(open_at(query.now))
    if query.open_on:
        filters.append(open_on(query.open_on, query.now))
    return filters


def facet_filters(selected):
    """Facet name -> the filter its selected values make (values of one facet are OR-ed)."""
    return {
        name: Q("terms", **{FACET_FIELDS[name][0]: sorted(values)})
        for name, values in selected.items()
        if values
    }


def sort_order(query, groups):
    """The same order as the database backend, ties broken by title and page id."""
    sort = query.sort
    if sort == "distance" and query.near is None:
        sort = "relevance"
    if sort == "relevance" and not groups:
        sort = "distance" if query.near is not None else "title"
    by_title = [{"title_sort": "asc"}, {"page_id": "asc"}]
    if sort == "title":
        return by_title
    relevance = [{"_score": "desc"}, *by_title]
    if sort == "relevance":
        return relevance
    lat, lon = query.near
    distance = {
        "_geo_distance": {
            "points": {"lat": lat, "lon": lon},
            "order": "asc",
            "unit": "km",
            "mode": "min",
        }
    }
    return [distance, *relevance]


SOURCE_FIELDS = [
    "page_id",
    "hsds_id",
    "url",
    "title",
    "summary",
    "description",
    "organisation_id",
    "organisation_name",
    "topics",
    "points",
    "schedules",
]


class ElasticsearchVocabulary:
    """The indexed words, for `analysis.expand_query`'s typo tolerance (see the database's)."""

    def __init__(self, backend):
        self.backend = backend

    def known(self, tokens):
        tokens = sorted(t for t in tokens if t)
        if not tokens:
            return set()
        body = {
            "size": 0,
            "query": {"terms": {"tokens": tokens}},
            "aggs": {
                "known": {"terms": {"field": "tokens", "include": tokens, "size": len(tokens)}}
            },
        }
        answer = self.backend.raw_search(body)
        return {bucket["key"] for bucket in answer["aggregations"]["known"]["buckets"]}

    def similar(self, word):
        limit = analysis.max_typos(word)
        if limit == 0:
            return []
        body = {
            "size": 0,
            "suggest": {
                "words": {
                    "text": word,
                    "term": {
                        "field": "words",
                        "max_edits": limit,
                        "prefix_length": 0,
                        "suggest_mode": "always",
                        "size": 50,
                    },
                }
            },
        }
        answer = self.backend.raw_search(body)
        options = [
            option
            for entry in answer.get("suggest", {}).get("words", [])
            for option in entry.get("options", [])
        ]
        scored = sorted(
            (
                analysis.edit_distance(word, option["text"], limit),
                -option.get("freq", 0),
                option["text"],
            )
            for option in options
            if analysis.close_enough(word, option["text"])
        )
        tokens = []
        for _distance, _freq, candidate in scored:
            token = analysis.stem(candidate)
            if token not in tokens:
                tokens.append(token)
        # The term suggester still sees words of deleted documents until segments merge;
        # correct only towards words some current document has (as the database does).
        known = self.known(tokens) if tokens else set()
        return [token for token in tokens if token in known][:MAX_CORRECTIONS]


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url=None, index=None, compat=None):
        self.url = url or lotse_settings.ELASTICSEARCH_URL
        self.alias = index or lotse_settings.LOTSE_SEARCH_INDEX
        self.client = get_client(self.url, compat)

    # Talking to the engine

    @property
    def search_timeout(self):
        return lotse_settings.LOTSE_SEARCH_TIMEOUT

    @property
    def write_timeout(self):
        return lotse_settings.LOTSE_SEARCH_INDEX_TIMEOUT

    def _call(self, timeout, function):
        """Run `function(client)` with a timeout; engine problems become EngineUnavailable."""
        try:
            return function(self.client.options(request_timeout=timeout))
        except (TransportError, ApiError) as error:
            raise EngineUnavailable(describe(error)) from error

    def ping(self, timeout=None):
        """Does the engine answer within the timeout?"""
        try:
            self._call(timeout or self.search_timeout, lambda client: client.info())
        except EngineUnavailable:
            return False
        return True

    def raw_search(self, body, index=None):
        return self._call(
            self.search_timeout,
            lambda client: client.search(index=index or self.alias, body=body),
        )

    # Index lifecycle

    def new_index_name(self):
        return f"{self.alias}-{time.strftime('%Y%m%d-%H%M%S')}-{now_version() % 10**6:06d}"

    def serving_indices(self):
        """Concrete indices behind the alias (normally one)."""
        answer = self._call(
            self.write_timeout,
            lambda client: client.options(ignore_status=404).indices.get_alias(name=self.alias),
        )
        if answer.meta.status == 404:
            return []
        return sorted(answer.body)

    def all_indices(self):
        """Every concrete index of this alias: serving, being built, or left by a crash."""
        answer = self._call(
            self.write_timeout,
            lambda client: client.indices.get(
                index=f"{self.alias}-*", ignore_unavailable=True, allow_no_indices=True
            ),
        )
        return sorted(answer.body)

    def create_index(self, name):
        definition = index_definition(name).to_dict()
        self._call(
            self.write_timeout,
            lambda client: client.indices.create(
                index=name,
                settings=definition.get("settings", {}),
                mappings=definition["mappings"],
            ),
        )

    def ensure_index(self):
        """Create a first concrete index with the alias on it, if there is none."""
        if self.serving_indices():
            return
        name = self.new_index_name()
        self.create_index(name)
        self._call(
            self.write_timeout, lambda client: client.indices.put_alias(index=name, name=self.alias)
        )

    def swap_alias(self, new_index):
        """Point the alias at `new_index` in one atomic request; returns the old indices."""
        old = self.serving_indices()
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": new_index, "alias": self.alias}})
        self._call(
            self.write_timeout, lambda client: client.indices.update_aliases(actions=actions)
        )
        return old

    def delete_indices(self, names):
        for name in names:
            self._call(
                self.write_timeout,
                lambda client, name=name: client.options(ignore_status=404).indices.delete(
                    index=name
                ),
            )

    def drop(self):
        """Delete every index of the alias (and so the alias)."""
        self.delete_indices(self.all_indices())

    def refresh(self, index=None):
        self._call(
            self.write_timeout, lambda client: client.indices.refresh(index=index or self.alias)
        )

    def count(self, index=None):
        answer = self._call(
            self.search_timeout, lambda client: client.count(index=index or self.alias)
        )
        return answer["count"]

    # Writing

    def _bulk(self, actions, refresh=False):
        """Send actions; a version conflict means a newer write is there already: fine."""
        failures = []

        def run(client):
            for ok, item in streaming_bulk(
                client,
                actions,
                chunk_size=BULK_CHUNK,
                raise_on_error=False,
                raise_on_exception=True,
                refresh=refresh,
            ):
                if not ok:
                    result = next(iter(item.values()))
                    if result.get("status") not in (404, 409):
                        failures.append(result)

        self._call(self.write_timeout, run)
        if failures:
            error = failures[0].get("error")
            reason = error.get("reason") if isinstance(error, dict) else error
            raise EngineUnavailable(f"{len(failures)} index writes failed, the first: {reason}")

    @staticmethod
    def _index_action(target, document, version):
        return {
            "_op_type": "index",
            "_index": target,
            "_id": document_id(document),
            "_source": source_for(document),
            "version": version,
            "version_type": "external",
        }

    def index(self, documents, version=None):
        """Add or replace these documents (from `build_document`) in every index of the alias."""
        documents = list(documents)
        if not documents:
            return
        version = version or now_version()
        self.ensure_index()
        targets = self.all_indices()
        self._bulk(
            (
                self._index_action(target, document, version)
                for target in targets
                for document in documents
            ),
            refresh=True,
        )

    def delete(self, ids, version=None):
        """Remove the documents of these offers (page ids); missing ones are fine."""
        ids = [int(pk) for pk in ids]
        if not ids:
            return
        version = version or now_version()
        self.ensure_index()
        targets = self.all_indices()
        self._bulk(
            (
                {
                    "_op_type": "delete",
                    "_index": target,
                    "_id": str(pk),
                    "version": version,
                    "version_type": "external",
                }
                for target in targets
                for pk in ids
            ),
            refresh=True,
        )

    def rebuild(self, documents=None, progress=None, before_swap=None):
        """Fill a new index (default: every live offer), swap the alias to it, drop the old.

        `progress(count)` is called after each batch; `before_swap(index_name)` runs when the
        new index is full but not yet serving. If anything fails the new index is deleted and
        the old one keeps serving. Returns how many documents were indexed.
        """
        from ..documents import all_documents

        if documents is None:
            analysis.invalidate()
            documents = all_documents()
        version = now_version()
        name = self.new_index_name()
        self.create_index(name)
        total = 0
        try:
            for batch in batches(documents, BULK_CHUNK):
                self._bulk(self._index_action(name, document, version) for document in batch)
                total += len(batch)
                if progress:
                    progress(len(batch))
            self.refresh(name)
            if before_swap:
                before_swap(name)
            old = self.swap_alias(name)
        except BaseException:
            try:
                self.delete_indices([name])
            except EngineUnavailable:
                logger.warning("Could not delete the unfinished index %s", name)
            raise
        # Also indices a crashed rebuild left behind.
        self.delete_indices(sorted({*old, *self.all_indices()} - {name}))
        return total

    # Reading

    def expand(self, q):
        if not q.strip():
            return []
        vocabulary = ElasticsearchVocabulary(self)
        return [g for g in analysis.expand_query(q, vocabulary=vocabulary) if g]

    def search(self, query: SearchQuery) -> SearchResult:
        groups = self.expand(query.q)
        if query.q.strip() and not groups:
            return SearchResult(0, query.page, query.page_size, self.name, [], empty_facets())
        selected = selected_values(query)
        plain = plain_filters(query)
        facets = facet_filters(selected)

        search = Search(index=self.alias).query(text_query(groups, query.q))
        search = search.post_filter(Q("bool", filter=[*plain, *facets.values()]))
        for name in FACETS:
            others = [f for facet, f in facets.items() if facet != name]
            bucket = search.aggs.bucket(name, "filter", filter=Q("bool", filter=[*plain, *others]))
            bucket.bucket("values", "terms", field=FACET_FIELDS[name][1], size=FACET_SIZE)
        # Labels of selected values no offer in the counts has (as the database finds them).
        for name, values in selected.items():
            if values and FACET_FIELDS[name][2]:
                bucket = search.aggs.bucket(
                    f"labels_{name}",
                    "filter",
                    filter=Q("terms", **{FACET_FIELDS[name][0]: sorted(values)}),
                )
                bucket.bucket("values", "terms", field=FACET_FIELDS[name][1], size=FACET_SIZE)
        start = (query.page - 1) * query.page_size
        search = (
            search.sort(*sort_order(query, groups))
            .source(SOURCE_FIELDS)
            .extra(from_=start, size=query.page_size, track_total_hits=True)
        )
        answer = self.raw_search(search.to_dict())

        counts, labels = self._facet_counts(answer["aggregations"], selected)
        tokens = analysis.query_tokens(groups)
        dictionary = analysis.current_dictionary() if tokens else None
        hits = [
            self._hit(item["_source"], query, tokens, dictionary) for item in answer["hits"]["hits"]
        ]
        return SearchResult(
            count=answer["hits"]["total"]["value"],
            page=query.page,
            page_size=query.page_size,
            backend=self.name,
            hits=hits,
            facets=build_facets(counts, selected, labels),
        )

    @staticmethod
    def _facet_counts(aggregations, selected):
        counts = {name: Counter() for name in FACETS}
        labels = {}

        def read(name, buckets, count):
            for bucket in buckets:
                key = bucket["key"]
                if FACET_FIELDS[name][2]:
                    value, _sep, label = key.partition(SEP)
                    labels[name, value] = label
                else:
                    value = str(bucket.get("key_as_string", key))
                if count:
                    counts[name][value] += bucket["doc_count"]

        for name in FACETS:
            read(name, aggregations[name]["values"]["buckets"], True)
            extra = aggregations.get(f"labels_{name}")
            if extra:
                read(
                    name,
                    [
                        b
                        for b in extra["values"]["buckets"]
                        if b["key"].partition(SEP)[0] in selected[name]
                    ],
                    False,
                )
        return counts, labels

    @staticmethod
    def _hit(source, query, tokens, dictionary):
        schedules = source.get("schedules") or []
        distance = None
        if query.near is not None and source.get("points"):
            distance = round(
                min(haversine_km(query.near, (p["lat"], p["lon"])) for p in source["points"]), 2
            )
        return Hit(
            id=source["hsds_id"],
            page_id=source["page_id"],
            title=source["title"],
            url=source.get("url", ""),
            organisation_id=source.get("organisation_id", ""),
            organisation_name=source.get("organisation_name", ""),
            summary=source.get("summary", ""),
            topics=list(source.get("topics") or []),
            distance_km=distance,
            open_now=(
                opening_hours.is_open(schedule_objects(schedules), query.now) is not None
                if schedules
                else None
            ),
            highlight=highlight(
                [source.get("summary", ""), source.get("description", "")], tokens, dictionary
            ),
        )

    def suggest(self, prefix, limit=10):
        """Indexed words starting with the last word typed, then titles with a word so."""
        norm = " ".join(analysis.tokenize(prefix)) or analysis.normalise(prefix.strip())
        if len(norm) < 2:
            return []
        last = norm.split()[-1]
        body = {
            "size": limit * 2,
            "query": {"match": {"title_sort.prefix": {"query": norm, "operator": "and"}}},
            "sort": [{"title_sort": "asc"}, {"page_id": "asc"}],
            "_source": ["title"],
        }
        if " " not in norm:
            # Words of every offer, not only of the titles found.
            body["aggs"] = {
                "all": {
                    "global": {},
                    "aggs": {
                        "starting": {
                            "filter": {"prefix": {"words": last}},
                            "aggs": {
                                "words": {
                                    "terms": {
                                        "field": "words_displayed",
                                        "include": f"{re.escape(last)}[^{SEP}]*{SEP}.*",
                                        "size": limit * 2,
                                        "order": [{"_count": "desc"}, {"_key": "asc"}],
                                    }
                                }
                            },
                        }
                    },
                }
            }
        answer = self.raw_search(body)
        found, seen = [], set()

        def add(text):
            key = text.casefold()
            if key not in seen:
                seen.add(key)
                found.append(text)

        words = answer.get("aggregations", {}).get("all", {}).get("starting", {}).get("words", {})
        for bucket in words.get("buckets", []):
            add(bucket["key"].partition(SEP)[2])
        for item in answer["hits"]["hits"]:
            title = item["_source"]["title"]
            if title_sort(title).startswith(norm) or f" {norm}" in title_sort(title):
                add(title)
        words_first = [t for t in found if " " not in t]
        phrases = [t for t in found if " " in t]
        return (words_first[: max(limit // 2, limit - len(phrases))] + phrases)[:limit]
