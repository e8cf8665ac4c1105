"""The database search backend: SQLite FTS5 or PostgreSQL full text, no extra server.

One `SearchDocument` row per live offer holds the analysed tokens (`lotse.search.analysis`) and the
rest of the document as JSON. A search runs in three steps:

1. Full text finds the candidate offers and their rank (SQLite: FTS5 `bm25` with the title
   weighted 10, the summary 4, the rest 1; PostgreSQL: `ts_rank` over a weighted tsvector,
   A/B/C). The query is the AND of OR-groups `lotse.search.analysis.expand_query` makes; tokens of
   unknown words are corrected against the indexed vocabulary (PostgreSQL: trigram
   similarity; SQLite: a length and letter window), both confirmed by the same edit distance.
2. Filters, facet counts, "open now", "open on" and distances are computed in Python over the
   candidates' parsed documents, which each process keeps in memory (checked against
   `updated_at` on every query), so a query is two or three SQL statements. The cache keeps
   them as bitsets too (`CompactIndex`): a filter is an AND, a facet count a popcount, and
   "open now" and distances are computed once per group of records with the same hours or
   places.
3. The requested page is loaded for display, with highlighted snippets.
"""

import gc
import heapq
import math
import threading
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape

from django.db import connection, transaction
from django.utils.translation import gettext as _

from lotse.conf import lotse_settings
from lotse.directory.fields import WEEKDAY_CODES

from .. import analysis
from ..documents import schedule_objects
from ..models import SearchDocument, SearchTerm
from ..query import ATTENDING_LABELS, FacetValue, Hit, SearchQuery, SearchResult

FACETS = ("topic", "target_group", "language", "area", "free", "step_free", "attending")
#: Facets whose values' labels come from the documents (the others are fixed words).
LABELLED_FACETS = ("topic", "target_group", "language", "area")
#: Corrections offered for one unknown word at most.
MAX_CORRECTIONS = 3
SNIPPET_CHARS = 180
EARTH_KM = 6371.0088
#: Parsed documents a process keeps (about 2 KB each); more than any county has offers.
MAX_CACHED_RECORDS = 200_000
#: Separates the parts of `Record.index_keys`.
SEP = "\x1f"


@dataclass
class Record:
    """What filtering, faceting and sorting need of one document."""

    page_id: int
    facets: dict  # facet name -> frozenset of values
    points: list
    schedules: list
    title_sort: str
    labels: dict = field(default_factory=dict)  # (facet, value) -> label
    #: Area slugs including the county, for filtering (the facet leaves the county out).
    all_areas: frozenset = frozenset()
    #: The fields of the on-site schedules that decide "open now" and "open on": documents
    #: with the same key are open at the same moments, so a query asks once per key.
    schedule_key: tuple = ()
    #: Strings (their hashes are kept) naming the bitsets of `CompactIndex` the record is in:
    #: "facet<SEP>value", "=area<SEP>slug" (filter), "@points<SEP>…", "@hours<SEP>…".
    index_keys: tuple = ()
    #: Weekday codes with on-site hours: most offers are ruled out for "open now" and
    #: "open on" without computing their schedules.
    on_site_weekdays: frozenset = frozenset()
    #: weekday code -> [(opens, closes)] in minutes after midnight, of on-site hours.
    on_site_minutes: dict = field(default_factory=dict)
    #: Names of the offer's own topics, as hits show them.
    topics: tuple = ()
    _schedule_objects: list | None = None
    _radians: list | None = None

    @classmethod
    def from_data(cls, page_id, title_sort, data):
        area_kinds = {a["slug"]: a.get("kind") for a in data.get("areas", [])}
        facets = {
            "topic": frozenset(data.get("topic_slugs", [])),
            "target_group": frozenset(data.get("target_group_slugs", [])),
            "language": frozenset(data.get("language_codes", [])),
            "area": frozenset(s for s, kind in area_kinds.items() if kind != "county"),
            "free": frozenset(["true"] if data.get("is_free") else []),
            "step_free": frozenset(["true"] if data.get("step_free") else []),
            "attending": frozenset(data.get("attending", [])),
        }
        labels = {}
        for slug, name in zip(
            data.get("topic_slugs", []), data.get("topic_names", []), strict=False
        ):
            labels["topic", slug] = name
        for slug, name in zip(
            data.get("target_group_slugs", []), data.get("target_group_names", []), strict=False
        ):
            labels["target_group", slug] = name
        for language in data.get("languages", []):
            labels["language", language["code"]] = language["name"]
        for area in data.get("areas", []):
            labels["area", area["slug"]] = area["name"]
        from lotse.directory.opening_hours import ON_SITE

        schedules = data.get("schedules", [])
        minutes = {}
        for s in schedules:
            if s["kind"] in ON_SITE and s.get("opens_at") and s.get("closes_at"):
                window = (_minute(s["opens_at"]), _minute(s["closes_at"]))
                for day in s.get("weekdays") or []:
                    minutes.setdefault(day, []).append(window)
        points = [(p["lat"], p["lon"]) for p in data.get("points", [])]
        schedule_key = _schedule_key(schedules)
        index_keys = (
            *(f"{name}{SEP}{value}" for name in FACETS for value in facets[name]),
            *(f"=area{SEP}{area}" for area in area_kinds),
            f"@points{SEP}{points!r}",
            f"@hours{SEP}{schedule_key!r}",
        )
        return cls(
            page_id=page_id,
            facets=facets,
            points=points,
            schedules=schedules,
            title_sort=title_sort,
            labels=labels,
            all_areas=frozenset(area_kinds),
            schedule_key=schedule_key,
            index_keys=index_keys,
            on_site_weekdays=frozenset(minutes),
            topics=tuple(t["name"] for t in data.get("topics", [])),
            on_site_minutes=minutes,
        )

    @property
    def schedule_objects(self):
        if self._schedule_objects is None:
            self._schedule_objects = schedule_objects(self.schedules)
        return self._schedule_objects

    def may_be_open(self, weekday, minute):
        """False when no on-site hours cover this weekday and minute in any week."""
        return any(
            opens <= minute < closes for opens, closes in self.on_site_minutes.get(weekday, ())
        )

    def distance_to(self, point):
        if not self.points or point is None:
            return None
        return self.distance_from(Origin.of(point))

    def distance_from(self, origin):
        """`distance_to` from a prepared origin; the same arithmetic as `haversine_km`."""
        if self._radians is None:
            self._radians = [
                (math.radians(lat), math.radians(lon), math.cos(math.radians(lat)))
                for lat, lon in self.points
            ]
        if not self._radians:
            return None
        lat1, lon1, cos1 = origin
        sin, asin, sqrt = math.sin, math.asin, math.sqrt
        return min(
            2
            * EARTH_KM
            * asin(
                min(
                    1.0,
                    sqrt(sin((lat2 - lat1) / 2) ** 2 + cos1 * cos2 * sin((lon2 - lon1) / 2) ** 2),
                )
            )
            for lat2, lon2, cos2 in self._radians
        )


class Origin(tuple):
    """A point as (lat, lon in radians, cosine of lat), computed once per query."""

    @classmethod
    def of(cls, point):
        lat, lon = map(math.radians, point)
        return cls((lat, lon, math.cos(lat)))


def _schedule_key(schedules):
    from lotse.directory.opening_hours import ON_SITE

    frozen = (
        tuple(
            sorted(
                (name, tuple(value) if isinstance(value, list) else value)
                for name, value in s.items()
                if name not in ("location_id", "note")
            )
        )
        for s in schedules
        if s["kind"] in ON_SITE
    )
    return tuple(sorted(frozen, key=repr))


def _minute(value):
    hours, minutes = value.split(":")[:2]
    return int(hours) * 60 + int(minutes)


def haversine_km(a, b):
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


class RecordCache:
    """Parsed documents per process, refreshed when a row's `updated_at` changes.

    Stamps are compared as the candidate query returns them, whatever their type.
    """

    def __init__(self):
        self._records = {}
        #: (facet, value) -> label, from the documents loaded last
        self._labels = {}
        self._lock = threading.Lock()
        #: Changes whenever a record is loaded or dropped, so the index is built again.
        self._version = 0
        self._index = None
        #: (fingerprint, stamps) of the whole table, for queries without text (PostgreSQL)
        self.everything = None
        #: (stamps, records, version) of the last `get`, and records known to be indexed
        self._last = None
        self._indexed = None

    def index(self, records):
        """The `CompactIndex` of every cached record, built after each change.

        `records` (from `get`) are all in it unless another thread dropped some meanwhile;
        then they get an index of their own.
        """
        with self._lock:
            if self._index is None or self._index.version != self._version:
                self._index = CompactIndex(
                    [record for _stamp, record in self._records.values()], self._version
                )
            index = self._index
        indexed = self._indexed
        if indexed is not None and indexed[0] is records and indexed[1] is index:
            return index
        if any(page_id not in index.slots for page_id in records):
            return CompactIndex(list(records.values()))
        self._indexed = (records, index)
        return index

    def label(self, name, value):
        return self._labels.get((name, value))

    def get(self, stamps):
        """Records for {page_id: updated_at}; loads the missing and outdated ones.

        The same stamps (object) as last time, with nothing loaded since, give the same
        records (object): queries without text ask for every document again and again.
        """
        last = self._last
        if last is not None and last[0] is stamps and last[2] == self._version:
            return last[1]
        found, missing = {}, []
        for page_id, stamp in stamps.items():
            entry = self._records.get(page_id)
            if entry is not None and entry[0] == stamp:
                found[page_id] = entry[1]
            else:
                missing.append(page_id)
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            rows = SearchDocument.objects.filter(pk__in=chunk).values_list(
                "page_id", "title_normalised", "data"
            )
            with self._lock:
                for page_id, title_sort, data in rows:
                    record = Record.from_data(page_id, title_sort, data)
                    self._records[page_id] = (stamps[page_id], record)
                    self._version += 1
                    self._labels.update(record.labels)
                    found[page_id] = record
        if len(self._records) > MAX_CACHED_RECORDS:
            # Only documents of deleted offers are dropped for good; others load again.
            with self._lock:
                self._records = {k: v for k, v in self._records.items() if k in stamps}
                self._version += 1
        self._last = (stamps, found, self._version)
        return found

    def clear(self):
        with self._lock:
            self._records.clear()
            self._labels.clear()
            self._version += 1
            self._index = self.everything = self._last = self._indexed = None


_cache = RecordCache()


class DatabaseVocabulary:
    """The indexed words, for `analysis.expand_query`'s typo tolerance."""

    def __init__(self, backend):
        self.backend = backend

    def known(self, tokens):
        return self.backend.known_tokens(tokens)

    def similar(self, word):
        limit = analysis.max_typos(word)
        if limit == 0:
            return []
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT word, token FROM lotse_search_searchterm WHERE word %% %s "
                    "ORDER BY similarity(word, %s) DESC, documents DESC LIMIT 50",
                    [word, word],
                )
                rows = cursor.fetchall()
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT word, token FROM lotse_search_searchterm "
                    "WHERE length(word) BETWEEN %s AND %s "
                    "AND (substr(word, 1, 1) = %s OR substr(word, 2, 1) = %s) "
                    "ORDER BY documents DESC LIMIT 2000",
                    [len(word) - limit, len(word) + limit, word[:1], word[1:2]],
                )
                rows = cursor.fetchall()
        scored = sorted(
            (analysis.edit_distance(word, candidate, limit), token)
            for candidate, token in rows
            if analysis.close_enough(word, candidate)
        )
        tokens = []
        for _distance, token in scored:
            if token not in tokens:
                tokens.append(token)
        return tokens[:MAX_CORRECTIONS]


@contextmanager
def collector_paused():
    """No garbage collection during one search.

    A query allocates tens of thousands of small tuples; each collection they trigger would
    walk the record cache's long-lived objects (most of the time of a 10,000-offer query).
    What a query allocates holds no cycles, so collecting afterwards loses nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _stamp():
    """`updated_at` as text: parsing thousands of timestamps per query costs more than SQL."""
    return "updated_at::text" if connection.vendor == "postgresql" else "updated_at"


def _fts5_query(groups):
    return " AND ".join(
        "(" + " OR ".join(f'"{token}"' for token in group) + ")" for group in groups
    )


def _tsquery(groups):
    return " & ".join("(" + " | ".join(group) + ")" for group in groups)


def _clean_groups(groups):
    """Only [a-z0-9] tokens reach SQL (analysis makes no others; this makes sure)."""
    cleaned = []
    for group in groups:
        tokens = [t for t in group if t and t.isascii() and t.isalnum()]
        if tokens:
            cleaned.append(tokens)
    return cleaned


class DatabaseBackend:
    name = "database"

    # Writing

    def index(self, documents):
        """Add or replace the documents of these offers (dicts from `build_document`)."""
        documents = list(documents)
        if not documents:
            return
        with transaction.atomic():
            ids = [d["page_id"] for d in documents]
            old_words = {
                page_id: set((data or {}).get("words", {}))
                for page_id, data in SearchDocument.objects.filter(pk__in=ids).values_list(
                    "page_id", "data"
                )
            }
            SearchDocument.objects.filter(pk__in=ids).delete()
            SearchDocument.objects.bulk_create([self._row(d) for d in documents])
            delta, display = Counter(), {}
            for document in documents:
                new = document.get("words", {})
                old = old_words.get(document["page_id"], set())
                for word in set(new) - old:
                    delta[word] += 1
                    display.setdefault(word, new[word])
                for word in old - set(new):
                    delta[word] -= 1
            self._apply_vocabulary(delta, display)

    def delete(self, ids):
        """Remove the documents of these offers (page ids); missing ones are fine."""
        ids = [int(pk) for pk in ids]
        if not ids:
            return
        with transaction.atomic():
            delta = Counter()
            for data in SearchDocument.objects.filter(pk__in=ids).values_list("data", flat=True):
                for word in (data or {}).get("words", {}):
                    delta[word] -= 1
            SearchDocument.objects.filter(pk__in=ids).delete()
            self._apply_vocabulary(delta, {})

    def rebuild(self, documents=None, progress=None):
        """Replace the whole index with these documents (default: every live offer).

        Runs in one transaction, so searches see the old index until it commits.
        """
        from ..documents import all_documents

        if documents is None:
            analysis.invalidate()
            documents = all_documents()
        total = 0
        counts, display = Counter(), {}
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            SearchTerm.objects.all().delete()
            batch = []
            for document in documents:
                batch.append(self._row(document))
                for word, surface in document.get("words", {}).items():
                    counts[word] += 1
                    display.setdefault(word, surface)
                if len(batch) >= 500:
                    SearchDocument.objects.bulk_create(batch)
                    total += len(batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            if batch:
                SearchDocument.objects.bulk_create(batch)
                total += len(batch)
                if progress:
                    progress(len(batch))
            SearchTerm.objects.bulk_create(
                [
                    SearchTerm(
                        word=word[:100],
                        token=analysis.stem(word)[:100],
                        display=display[word][:100],
                        documents=count,
                    )
                    for word, count in counts.items()
                ],
                batch_size=1000,
                ignore_conflicts=True,
            )
        _cache.clear()
        return total

    def count(self):
        return SearchDocument.objects.count()

    @staticmethod
    def _row(document):
        data = {
            key: value
            for key, value in document.items()
            if key not in ("title_terms", "summary_terms", "body_terms", "description")
        }
        organisation = document.get("organisation") or {}
        return SearchDocument(
            page_id=document["page_id"],
            hsds_id=document["hsds_id"],
            title=document["title"][:255],
            title_normalised=" ".join(analysis.normalise(w) for w in document["title"].split())[
                :255
            ],
            summary=document.get("summary", ""),
            description=document.get("description", ""),
            url=document.get("url", "")[:500],
            organisation_id=organisation.get("id", ""),
            organisation_name=organisation.get("name", "")[:255],
            title_terms=document.get("title_terms", ""),
            summary_terms=document.get("summary_terms", ""),
            body_terms=document.get("body_terms", ""),
            data=data,
        )

    @staticmethod
    def _apply_vocabulary(delta, display):
        delta = {word[:100]: change for word, change in delta.items() if change}
        if not delta:
            return
        existing = {t.word: t for t in SearchTerm.objects.filter(word__in=list(delta))}
        changed, created, emptied = [], [], []
        for word, change in delta.items():
            term = existing.get(word)
            if term is None:
                if change > 0:
                    created.append(
                        SearchTerm(
                            word=word,
                            token=analysis.stem(word)[:100],
                            display=display.get(word, word)[:100],
                            documents=change,
                        )
                    )
            elif term.documents + change <= 0:
                emptied.append(term.pk)
            else:
                term.documents += change
                changed.append(term)
        SearchTerm.objects.bulk_update(changed, ["documents"], batch_size=1000)
        SearchTerm.objects.bulk_create(created, batch_size=1000, ignore_conflicts=True)
        SearchTerm.objects.filter(pk__in=emptied).delete()

    # Reading

    def known_tokens(self, tokens):
        """Those tokens some indexed document contains."""
        tokens = sorted(t for t in tokens if t and t.isascii() and t.isalnum())
        if not tokens:
            return set()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT t FROM unnest(%s::text[]) AS t WHERE EXISTS ("
                    "SELECT 1 FROM lotse_search_searchdocument "
                    "WHERE search_vector @@ to_tsquery('simple', t))",
                    [tokens],
                )
            else:
                cursor.execute(
                    " UNION ALL ".join(
                        "SELECT %s WHERE EXISTS "
                        "(SELECT 1 FROM lotse_search_fts WHERE lotse_search_fts MATCH %s)"
                        for _token in tokens
                    ),
                    [value for token in tokens for value in (token, f'"{token}"')],
                )
            return {row[0] for row in cursor.fetchall()}

    def all_stamps(self):
        """{page_id: updated_at} of every document.

        PostgreSQL first sums the table up (count, page ids, updated_at in microseconds): when
        that is unchanged, the stamps of the last time are still right and 10,000 rows need
        not travel. Any write changes an `updated_at` (auto_now), hence the sum.
        """
        with connection.cursor() as cursor:
            fingerprint = None
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT count(*), sum(page_id), "
                    "sum((extract(epoch FROM updated_at) * 1000000)::bigint)::text "
                    "FROM lotse_search_searchdocument"
                )
                fingerprint = cursor.fetchone()
                everything = _cache.everything
                if everything is not None and everything[0] == fingerprint:
                    return everything[1]
            cursor.execute(f"SELECT page_id, {_stamp()} FROM lotse_search_searchdocument")
            stamps = dict(cursor.fetchall())
        if fingerprint is not None:
            _cache.everything = (fingerprint, stamps)
        return stamps

    def text_candidates(self, groups):
        """({page_id: updated_at}, {page_id: score}) of the documents matching every group."""
        if not groups:
            return self.all_stamps(), {}
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT page_id, updated_at::text, "
                    "ts_rank('{0.1, 0.2, 0.4, 1.0}', search_vector, query) "
                    "FROM lotse_search_searchdocument, to_tsquery('simple', %s) AS query "
                    "WHERE search_vector @@ query",
                    [_tsquery(groups)],
                )
                rows = [(pk, stamp, float(rank)) for pk, stamp, rank in cursor.fetchall()]
            else:
                cursor.execute(
                    "SELECT d.page_id, d.updated_at, bm25(lotse_search_fts, 10.0, 4.0, 1.0) "
                    "FROM lotse_search_fts JOIN lotse_search_searchdocument d "
                    "ON d.page_id = lotse_search_fts.rowid WHERE lotse_search_fts MATCH %s",
                    [_fts5_query(groups)],
                )
                # bm25 is lower for better matches.
                rows = [(pk, stamp, -float(score)) for pk, stamp, score in cursor.fetchall()]
        return {pk: stamp for pk, stamp, _ in rows}, {pk: score for pk, _, score in rows}

    def expand(self, q):
        if not q.strip():
            return []
        return _clean_groups(analysis.expand_query(q, vocabulary=DatabaseVocabulary(self)))

    def search(self, query: SearchQuery) -> SearchResult:
        groups = self.expand(query.q)
        if query.q.strip() and not groups:
            return SearchResult(0, query.page, query.page_size, self.name, [], empty_facets())
        with collector_paused():
            stamps, scores = self.text_candidates(groups)
            records = _cache.get(stamps)
            return run_query(
                query, records, scores, groups, self.name, load_hits, _cache.index(records)
            )

    def suggest(self, prefix, limit=10):
        """Words and offer titles that start with (a word starting with) `prefix`."""
        norm = " ".join(analysis.tokenize(prefix)) or analysis.normalise(prefix.strip())
        if len(norm) < 2:
            return []
        last = norm.split()[-1]
        found = []
        seen = set()

        def add(text):
            key = text.casefold()
            if key not in seen:
                seen.add(key)
                found.append(text)

        if " " not in norm:
            for display in (
                SearchTerm.objects.filter(word__startswith=last)
                .order_by("-documents", "word")
                .values_list("display", flat=True)[: limit * 2]
            ):
                add(display)
        titles = (
            SearchDocument.objects.extra(
                where=["(title_normalised LIKE %s OR title_normalised LIKE %s)"],
                params=[f"{norm}%", f"% {norm}%"],
            )
            .order_by("title_normalised")
            .values_list("title", flat=True)[: limit * 2]
        )
        for title in titles:
            add(title)
        words_first = [t for t in found if " " not in t]
        phrases = [t for t in found if " " in t]
        return (words_first[: max(limit // 2, limit - len(phrases))] + phrases)[:limit]


def empty_facets():
    return {name: [] for name in FACETS}


# Filtering, facets, sorting and hits; shared with any backend that works on records.


def _selected(query):
    return {
        "topic": set(query.topics),
        "target_group": set(query.target_groups),
        "language": set(query.languages),
        "area": set(query.areas),
        "free": {"true"} if query.free else set(),
        "step_free": {"true"} if query.step_free else set(),
        "attending": set(query.attending),
    }


def open_on_weekday(record, weekday, now):
    """Has the offer on-site hours on one of the next four such weekdays (or the fifth)?"""
    import datetime as dt

    from lotse.directory import opening_hours
    from lotse.directory.fields import WEEKDAY_CODES

    target = WEEKDAY_CODES.index(weekday)
    today = now.astimezone(opening_hours.local_zone()).date()
    first = today + dt.timedelta(days=(target - today.weekday()) % 7)
    return any(
        opening_hours.openings_on(record.schedule_objects, first + dt.timedelta(weeks=w))
        for w in range(5)
    )


#: Set bits of every byte value, for turning a bitset into slot numbers.
_BYTE_BITS = tuple(tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256))


def _bits(slots):
    """A bitset (a Python int) with these bits set."""
    if not slots:
        return 0
    digits = bytearray(b"0") * (max(slots) + 1)
    for slot in slots:
        digits[slot] = 49  # "1"
    digits.reverse()
    return int(digits, 2)


def _slots(bits, limit=None):
    """The set bits of a bitset, lowest first; at most `limit` of them."""
    found = []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for position, byte in enumerate(data):
        if byte:
            base = position * 8
            found.extend(base + bit for bit in _BYTE_BITS[byte])
            if limit is not None and len(found) >= limit:
                return found[:limit]
    return found


def _union(bitsets):
    result = 0
    for bits in bitsets:
        result |= bits
    return result


class CompactIndex:
    """Records as bitsets, so filters and facet counts are a few big-integer operations.

    Slots (bit positions) follow the title order, so the lowest set bits are the first page
    of a list by title. Records that share their points or their on-site schedules form
    groups: a query computes a distance or "open now" once per group with the same functions
    as for one record, and ORs the groups' bitsets, so results stay exactly the same.
    """

    def __init__(self, records, version=None):
        self.version = version
        self.records = sorted(records, key=lambda r: (r.title_sort, r.page_id))
        self.slots = {record.page_id: slot for slot, record in enumerate(self.records)}
        self.all = (1 << len(self.records)) - 1
        found = defaultdict(list)
        for slot, record in enumerate(self.records):
            for key in record.index_keys:
                found[key].append(slot)
        #: facet -> {value: bitset}, for counting
        self.values = {name: {} for name in FACETS}
        #: area slug (the county included) -> bitset, for filtering
        self.areas = {}
        #: (a record with these points, bitset), (a record with this schedule key, bitset)
        self.point_groups, self.schedule_groups = [], []
        for key, slots in found.items():
            kind, _sep, value = key.partition(SEP)
            if kind == "@points":
                self.point_groups.append((self.records[slots[0]], _bits(slots)))
            elif kind == "@hours":
                self.schedule_groups.append((self.records[slots[0]], _bits(slots)))
            elif kind == "=area":
                self.areas[value] = _bits(slots)
            else:
                self.values[kind][value] = _bits(slots)
        self.whole_minutes = all(
            value[1].count(":") == 1
            for record, _group in self.schedule_groups
            for schedule in record.schedule_key
            for value in schedule
            if value[0] in ("opens_at", "closes_at") and value[1]
        )
        self._open_now = (None, 0)
        self._open_on = (None, 0)

    def bits_of(self, page_ids):
        if len(page_ids) == len(self.records):
            return self.all
        return _bits([self.slots[page_id] for page_id in page_ids])

    def facet_filter(self, name, wanted):
        if name == "area":
            return _union(self.areas.get(value, 0) for value in wanted)
        found = self.values[name]
        return _union(found.get(value, 0) for value in wanted)

    def open_at(self, now):
        """Records on-site open at `now` (`opening_hours.is_open`), as a bitset."""
        from lotse.directory import opening_hours

        local = now.astimezone(opening_hours.local_zone())
        # Hours are whole minutes, so the answer holds for the whole minute.
        key = (
            local.replace(second=0, microsecond=0) if self.whole_minutes else local,
            lotse_settings.LOTSE_HOLIDAY_STATE,
        )
        if self._open_now[0] == key:
            return self._open_now[1]
        today, minute = WEEKDAY_CODES[local.weekday()], local.hour * 60 + local.minute
        bits = _union(
            group
            for record, group in self.schedule_groups
            if record.may_be_open(today, minute)
            and opening_hours.is_open(record.schedule_objects, now)
        )
        self._open_now = (key, bits)
        return bits

    def open_on(self, weekday, now):
        """Records with on-site hours on one of the next such weekdays, as a bitset."""
        from lotse.directory import opening_hours

        key = (
            weekday,
            now.astimezone(opening_hours.local_zone()).date(),
            lotse_settings.LOTSE_HOLIDAY_STATE,
        )
        if self._open_on[0] == key:
            return self._open_on[1]
        bits = _union(
            group
            for record, group in self.schedule_groups
            if weekday in record.on_site_weekdays and open_on_weekday(record, weekday, now)
        )
        self._open_on = (key, bits)
        return bits

    def distances(self, origin):
        """[(distance or None, bitset)] per group of records with the same points."""
        return [(record.distance_from(origin), group) for record, group in self.point_groups]


def run_query(query, records, scores, groups, backend_name, load, index=None):
    """Filter, count facets, sort and page `records` (page_id -> Record) for `query`."""
    from lotse.directory import opening_hours

    if index is None:
        index = CompactIndex(list(records.values()))
    selected = _selected(query)
    active = {name: wanted for name, wanted in selected.items() if wanted}
    now = query.now
    in_radius = query.near is not None and query.radius_km is not None
    origin = Origin.of(query.near) if query.near is not None else None
    by_point = index.distances(origin) if origin is not None else []

    # Filters that are not facets apply to everything, facet counts included.
    base = index.bits_of(records)
    if in_radius:
        base &= _union(
            group
            for distance, group in by_point
            if distance is not None and distance <= query.radius_km
        )
    if query.open_now:
        base &= index.open_at(now)
    if query.open_on:
        base &= index.open_on(query.open_on, now)
    filters = {name: index.facet_filter(name, wanted) for name, wanted in active.items()}
    passing = base
    for bits in filters.values():
        passing &= bits

    counts = {}
    for name in FACETS:
        # Counts for a facet ignore that facet's own selection (disjunctive facets).
        within = passing
        if name in filters:
            within = base
            for other, bits in filters.items():
                if other != name:
                    within &= bits
        counts[name] = {
            value: count
            for value, bits in index.values[name].items()
            if (count := (within & bits).bit_count())
        }
    labels = _labels(counts, selected, records)

    sort = query.sort
    if sort == "distance" and query.near is None:
        sort = "relevance"
    if sort == "relevance" and not groups:
        sort = "distance" if query.near is not None else "title"
    start = (query.page - 1) * query.page_size
    wanted = start + query.page_size
    page_of = index.records

    def relevance(slot):
        # Slots are in (title, page id) order, the tie-breaks of relevance.
        return (-scores.get(page_of[slot].page_id, 0.0), slot)

    if sort == "title":
        slots = _slots(passing, wanted)
    elif sort == "relevance":
        slots = heapq.nsmallest(wanted, _slots(passing), key=relevance)
    else:
        slots = []
        ordered = {}
        for distance, group in by_point:
            ordered.setdefault((distance is None, distance or 0.0), []).append(group)
        for key in sorted(ordered):
            members = passing & _union(ordered[key])
            if not members:
                continue
            if len(slots) + members.bit_count() <= start:
                slots.extend([None] * members.bit_count())
                continue
            slots.extend(heapq.nsmallest(wanted - len(slots), _slots(members), key=relevance))
            if len(slots) >= wanted:
                break
    page_ids = [page_of[slot].page_id for slot in slots[start:wanted]]

    hits = load(page_ids, groups) if page_ids else []
    for hit in hits:
        record = records.get(hit.page_id) or page_of[index.slots[hit.page_id]]
        hit.topics = list(record.topics)
        distance = record.distance_from(origin) if origin is not None else None
        hit.distance_km = round(distance, 2) if distance is not None else None
        hit.open_now = (
            opening_hours.is_open(record.schedule_objects, now) is not None
            if record.schedules
            else None
        )
    return SearchResult(
        count=passing.bit_count(),
        page=query.page,
        page_size=query.page_size,
        backend=backend_name,
        hits=hits,
        facets=build_facets(counts, selected, labels),
    )


def _labels(counts, selected, records):
    """Labels of the counted and selected facet values, from the candidates' documents.

    Counted values come from some candidate, so their labels are looked up directly; only a
    selected value no candidate counts makes the candidates be searched for its label.
    """
    labels = {}
    missing = set()
    for name in LABELLED_FACETS:
        for value in counts[name]:
            label = _cache.label(name, value)
            if label is None:
                missing.add((name, value))
            else:
                labels[name, value] = label
        missing.update((name, value) for value in selected[name] if value not in counts[name])
    for record in records.values():
        if not missing:
            break
        for key in missing & record.labels.keys():
            labels[key] = record.labels[key]
        missing -= record.labels.keys()
    return labels


def facet_label(name, value, labels):
    if name == "free":
        return _("Free of charge")
    if name == "step_free":
        return _("Step-free access")
    if name == "attending":
        return str(ATTENDING_LABELS.get(value, value))
    return labels.get((name, value), value)


def stored_labels(wanted):
    """Labels of (facet, value) pairs from the taxonomy tables.

    For selected values no document in the result carries (a count of 0), which would
    otherwise be shown by their slug.
    """
    from lotse.directory.models import TargetGroup, Topic
    from lotse.network.models import Language, SocialArea

    sources = {
        "topic": (Topic, "slug"),
        "target_group": (TargetGroup, "slug"),
        "language": (Language, "code"),
        "area": (SocialArea, "slug"),
    }
    labels = {}
    for name, (model, key) in sources.items():
        values = [value for facet, value in wanted if facet == name]
        if values:
            rows = model.objects.filter(**{f"{key}__in": values}).values_list(key, "name")
            labels.update(((name, value), label) for value, label in rows)
    return labels


def build_facets(counts, selected, labels):
    missing = {
        (name, value)
        for name in LABELLED_FACETS
        for value in selected[name]
        if (name, value) not in labels
    }
    if missing:
        labels = {**labels, **stored_labels(missing)}
    facets = {}
    for name in FACETS:
        values = dict(counts[name])
        for value in selected[name]:
            values.setdefault(value, 0)
        items = [
            FacetValue(
                value=value,
                label=facet_label(name, value, labels),
                count=count,
                selected=value in selected[name],
            )
            for value, count in values.items()
        ]
        items.sort(key=lambda item: (-item.count, item.label.casefold()))
        facets[name] = items
    return facets


def load_hits(page_ids, groups):
    """Hits for these offers, in this order, with highlighted snippets."""
    rows = {
        row.page_id: row
        for row in SearchDocument.objects.filter(pk__in=page_ids).only(
            "page_id",
            "hsds_id",
            "title",
            "summary",
            "description",
            "url",
            "organisation_id",
            "organisation_name",
        )
    }
    tokens = analysis.query_tokens(groups)
    dictionary = analysis.current_dictionary() if tokens else None
    hits = []
    for page_id in page_ids:
        row = rows.get(page_id)
        if row is None:
            continue
        hits.append(
            Hit(
                id=row.hsds_id,
                page_id=row.page_id,
                title=row.title,
                url=row.url,
                organisation_id=row.organisation_id,
                organisation_name=row.organisation_name,
                summary=row.summary,
                highlight=highlight([row.summary, row.description], tokens, dictionary),
            )
        )
    return hits


def highlight(texts, tokens, dictionary=None, length=SNIPPET_CHARS):
    """An HTML-escaped snippet of the first text with matches, matches in <mark>.

    Without any match, the start of the first non-empty text, escaped.
    """
    texts = [t for t in texts if t and t.strip()]
    if not texts:
        return ""
    for text in texts:
        spans = analysis.matching_words(text, tokens, dictionary) if tokens else []
        if spans:
            return _mark(text, spans, length)
    return escape(_shorten(texts[0], 0, length))


def _shorten(text, start, length):
    end = min(len(text), start + length)
    snippet = text[start:end]
    if end < len(text):
        snippet = snippet.rsplit(" ", 1)[0] + " …"
    return snippet


def _mark(text, spans, length):
    first = spans[0][0]
    start = 0
    if first > length // 2:
        start = text.rfind(" ", 0, first - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > spans[0][1] else end
    parts = ["… " if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(" …")
    return "".join(parts)


_backend = None


def get_database_backend():
    global _backend
    if _backend is None:
        _backend = DatabaseBackend()
    return _backend


def index(documents):
    get_database_backend().index(documents)


def delete(ids):
    get_database_backend().delete(ids)


def rebuild(documents=None, progress=None):
    return get_database_backend().rebuild(documents, progress)
