"""German text analysis shared by every search backend, at index time and at query time.

Both backends store and search the *tokens* this module makes, so they find the same offers
(OpenSearch-compatible servers ignore decompounding, stemming and synonym filters in index
settings, so none of this can be left to the engine).

Index side: `analyse(text) -> list[str]`

1. `tokenize`: lowercase words of letters and digits; German stop words are dropped.
2. `normalise`: ä→a, ö→o, ü→u, ß→ss, and the ASCII spellings ae/oe/ue (not after a vowel or
   "q") likewise, so "Pflegestützpunkt" and "Pflegestuetzpunkt" are one word.
3. Stemming with the Snowball German stemmer (`snowballstemmer`, pure Python):
   "Beratungen" and "Beratung" both become "berat".
4. Decompounding: a word that splits completely into words of the dictionary (curated word
   families below, plus the names of topics and target groups and the words of offer titles)
   also yields its parts and their family roots: "Schuldnerberatung" gives "schuldnerberat",
   "schuldn", "schuld" and "berat", so a search for "Schulden" ("schuld") finds it.

Query side: `expand_query(q, vocabulary=None) -> list[list[str]]`

The query becomes a list of *groups*; a document matches when it has at least one token of
every group. A plain word is one group (its stem, and its family root). A compound query word
becomes one group per part, so "Schuldnerberatung" also finds "Beratung für Schuldner".
A phrase from the synonym list (`lotse.search.models.Synonym`, edited by the coordination) adds the
stems of its synonyms to its group: "Hartz IV" finds "Bürgergeld". With a `vocabulary` (the
words the backend has indexed), a group none of whose tokens is indexed gets the tokens of
the indexed words within a small edit distance: "Schuldnerberatng" finds "Schuldnerberatung".

The dictionary and the synonyms are read from the database and kept for `CACHE_SECONDS` per
process; `invalidate()` drops them (saving a synonym does). Words added to the dictionary only
split documents indexed after that; `search_reindex` re-analyses everything.
"""

import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import snowballstemmer

CACHE_SECONDS = 300
#: Parts of a compound are at least this long (curated words may be shorter, e.g. "amt").
MIN_PART = 4
#: Letters that join the parts of German compounds ("Lebensberatung", "Familienhilfe").
LINKING = ("", "s", "n", "en", "es", "e")

_STOP_WORDS = """
    aber alle allem allen aller alles als also am an auch auf aus bei beim bin bis bist da
    damit dann das dass dem den denen der des die dies diese diesem diesen dieser dieses doch
    dort du durch ein eine einem einen einer eines er es euch euer fur gegen hat hatte ich ihr
    ihre im in ist ja jede jedem jeden jeder jedes kann kein keine mit mich mir nach nicht
    noch nur ob oder ohne sich sie sind so uber um und uns unser unter vom von vor war was
    weil wenn wer wie wir wird wo zu zum zur
    a an and for in of on or the to with
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

#: Curated word families: the first word is the root every member also yields.
#: Members are normalised like text (umlauts folded), so write them without umlauts.
WORD_FAMILIES = """
schuld schulden schuldner uberschuldung
beratung berater beraterin beratungsstelle
pflege pflegen pflegedienst
stutzpunkt stutze
sucht suchte
hilfe hilfen helfer
familie familien
kind kinder
jugend jugendliche jugendlichen
wohnung wohnungen wohnen
miete mieten mieter
rente renten rentner
sozial soziale sozialen
migration migranten migrantinnen
amt amter
arbeit arbeiten arbeitslos arbeitslosigkeit
geld
grundsicherung
alter alters
vorsorge
eltern
schwanger schwangerschaft
frau frauen
mann manner
senior senioren seniorinnen
behinderung behinderte behinderten
gesundheit gesund
integration
sprache sprachen sprachkurs
kurs kurse
schule schulen schuler
ausbildung
beruf berufe beruflich
wohngeld
kita kindertagesstatte
tagesstatte
treff treffpunkt
punkt
stelle stellen
dienst dienste
zentrum zentren
buro
haus
netz netzwerk
notruf not
gewalt
schutz
krise krisen
psychisch psyche
angebot angebote
gruppe gruppen
sprechstunde sprechstunden
begleitung
betreuung
erziehung
lebens leben
asyl
fluchtling fluchtlinge
antrag antrage
burgergeld
sozialhilfe
insolvenz
verbraucher
tafel
essen
kleider kleidung
ehrenamt ehrenamtlich
nachbarschaft
quartier
mobil mobile
bedarf
unterstutzung
angehorige angehorigen
leistung leistungen
versicherung
kasse kassen
zuschuss zuschusse
bildung
teilhabe
""".strip().splitlines()

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_ASCII_UMLAUT = re.compile(r"(?<![aeiouq])([aou])e")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_stemmer_local = threading.local()


def _stemmer():
    """Snowball stemmers are not thread-safe: one per thread."""
    stemmer = getattr(_stemmer_local, "stemmer", None)
    if stemmer is None:
        stemmer = _stemmer_local.stemmer = snowballstemmer.stemmer("german")
    return stemmer


@lru_cache(maxsize=50_000)
def stem(word):
    """The Snowball German stem of a normalised word."""
    return _stemmer().stemWord(word)


def normalise(word):
    """Lowercase, fold umlauts and ß and their ASCII spellings, drop other accents."""
    word = word.lower().translate(_UMLAUTS)
    word = _ASCII_UMLAUT.sub(r"\1", word)
    if not word.isascii():
        decomposed = unicodedata.normalize("NFKD", word)
        word = "".join(c for c in decomposed if not unicodedata.combining(c))
    return word


def words(text):
    """The words of `text` as (surface form, normalised form), stop words left out."""
    found = []
    for match in _WORD.finditer(text or ""):
        surface = match.group()
        norm = normalise(surface)
        if len(norm) > 1 and norm not in STOP_WORDS:
            found.append((surface, norm))
    return found


def tokenize(text):
    """Normalised words of `text` without stop words."""
    return [norm for _surface, norm in words(text)]


# The decompounding dictionary


class Dictionary:
    """Known words for decompounding: curated families plus words from the database."""

    def __init__(self, roots):
        #: normalised word -> family root (the word itself when it has no family)
        self.roots = roots
        #: stem of a dictionary word -> root, to accept an inflected last part
        self.stem_roots = {}
        for word, root in roots.items():
            self.stem_roots.setdefault(stem(word), root)
        self._splits = {}
        self._by_length = None
        #: surface word -> its index tokens (None for stop words), for highlighting
        self._surface_tokens = {}

    @classmethod
    def build(cls, extra_words=()):
        roots = {}
        for line in WORD_FAMILIES:
            members = [normalise(w) for w in line.split()]
            for member in members:
                roots.setdefault(member, members[0])
        for word in extra_words:
            norm = normalise(word)
            if len(norm) >= MIN_PART and norm.isalpha() and norm not in STOP_WORDS:
                roots.setdefault(norm, norm)
        return cls(roots)

    def root_of(self, norm):
        """The family root of a normalised word, if the dictionary knows the word."""
        root = self.roots.get(norm)
        if root is None:
            root = self.stem_roots.get(stem(norm))
        return root

    def surface_tokens(self, word):
        """The index tokens of a word as written, None for short and stop words (cached)."""
        tokens = self._surface_tokens.get(word, False)
        if tokens is False:
            if len(self._surface_tokens) > 50_000:
                self._surface_tokens.clear()
            norm = normalise(word)
            tokens = None
            if len(norm) >= 2 and norm not in STOP_WORDS:
                tokens = frozenset(word_tokens(norm, self))
            self._surface_tokens[word] = tokens
        return tokens

    def split(self, norm):
        """Parts of a compound word, e.g. "schuldnerberatung" -> ["schuldner", "beratung"].

        Every part is a dictionary word (the last one may be inflected); linking letters
        between parts are dropped. The split with the fewest parts wins; [] if none.
        """
        parts = self._splits.get(norm)
        if parts is None:
            if len(self._splits) > 50_000:
                self._splits.clear()
            parts = self._splits[norm] = self._compute_split(norm)
        return list(parts)

    def split_fuzzy(self, norm):
        """A known first part and a misspelt rest: "schuldnerberatng" -> schuldner, beratung.

        Only for words that neither split nor are indexed; the rest must be a dictionary word
        within `max_typos` edits.
        """
        if self._by_length is None:
            self._by_length = {}
            for word in self.roots:
                self._by_length.setdefault(len(word), []).append(word)
        for i in range(len(norm) - 5, MIN_PART - 1, -1):
            head = norm[:i]
            if head not in self.roots:
                continue
            for link in LINKING:
                if not norm.startswith(link, i):
                    continue
                rest = norm[i + len(link) :]
                limit = max_typos(rest)
                if not limit:
                    continue
                candidates = sorted(
                    (edit_distance(rest, word, limit), word)
                    for length in range(len(rest) - limit, len(rest) + limit + 1)
                    for word in self._by_length.get(length, [])
                    if close_enough(rest, word)
                )
                if candidates:
                    return [head, candidates[0][1]]
        return []

    def _part_ok(self, piece, last):
        if piece in self.roots:
            return len(piece) >= MIN_PART or piece in _curated()
        return last and len(piece) >= MIN_PART and stem(piece) in self.stem_roots

    def _compute_split(self, norm):
        n = len(norm)
        best = {0: ()}  # position -> fewest parts covering norm[:position]
        for i in range(n):
            if i not in best:
                continue
            for j in range(i + 3, n + 1 if i else n):
                piece = norm[i:j]
                if not self._part_ok(piece, j == n):
                    continue
                for link in LINKING:
                    end = j + len(link)
                    if end > n or norm[j:end] != link or (link and end == n):
                        continue
                    candidate = (*best[i], piece)
                    if end not in best or len(candidate) < len(best[end]):
                        best[end] = candidate
        parts = best.get(n, ())
        return parts if len(parts) >= 2 else ()


@lru_cache(maxsize=1)
def _curated():
    return frozenset(normalise(w) for line in WORD_FAMILIES for w in line.split())


# Database-backed state: dictionary words and synonyms


_state_lock = threading.Lock()
_state = {"dictionary": None, "synonyms": None, "loaded": 0.0}


def _taxonomy_words():
    """Words of topic and target-group names and of live offer titles."""
    from lotse.directory.models import OfferPage, TargetGroup, Topic

    texts = [*Topic.objects.values_list("name", flat=True)]
    texts += TargetGroup.objects.values_list("name", flat=True)
    texts += OfferPage.objects.live().values_list("title", flat=True).distinct()
    return {norm for text in texts for norm in tokenize(text)}


def _load_synonyms():
    from .models import Synonym

    return Synonyms.build(Synonym.objects.values_list("terms", "expands_to"))


def _current():
    with _state_lock:
        if _state["dictionary"] is None or time.monotonic() - _state["loaded"] > CACHE_SECONDS:
            _state["dictionary"] = Dictionary.build(_taxonomy_words())
            _state["synonyms"] = _load_synonyms()
            _state["loaded"] = time.monotonic()
        return _state["dictionary"], _state["synonyms"]


def invalidate():
    """Forget the cached dictionary and synonyms (after editing synonyms or taxonomy)."""
    with _state_lock:
        _state["dictionary"] = None


def current_dictionary():
    return _current()[0]


def current_synonyms():
    return _current()[1]


# Index side


def word_tokens(norm, dictionary):
    """Tokens for one normalised word: its stem, its family root, and those of its parts."""
    tokens = [stem(norm)]
    root = dictionary.root_of(norm)
    if root and stem(root) not in tokens:
        tokens.append(stem(root))
    for part in dictionary.split(norm):
        for token in (stem(part), stem(dictionary.root_of(part) or part)):
            if token not in tokens:
                tokens.append(token)
    return tokens


def analyse(text, dictionary=None):
    """The index tokens of `text`: stems, family roots and compound parts, in text order.

    >>> analyse("Schuldnerberatung für Familien")
    ['schuldnerberat', 'schuldn', 'schuld', 'berat', 'famili']
    """
    dictionary = dictionary or current_dictionary()
    tokens = []
    for norm in tokenize(text):
        tokens.extend(word_tokens(norm, dictionary))
    return tokens


def analyse_joined(text, dictionary=None):
    """`analyse` as one space-separated string, the form the backends store."""
    return " ".join(analyse(text, dictionary))


# Synonyms


@dataclass(frozen=True)
class Synonyms:
    #: normalised phrase (tuple of words) -> tokens it also matches
    expansions: dict

    @classmethod
    def build(cls, rows):
        """`rows` are (terms, expands_to) pairs of comma-separated phrases.

        Without `expands_to` the terms are equivalent: each one also finds the others.
        With it, each term also finds the `expands_to` phrases (but not the reverse).
        """
        expansions = {}
        for terms, expands_to in rows:
            sources = split_phrases(terms)
            targets = split_phrases(expands_to) if (expands_to or "").strip() else sources
            for source in sources:
                key = tuple(tokenize(source))
                if not key:
                    continue
                found = expansions.setdefault(key, [])
                for target in targets:
                    token = phrase_token(target)
                    if token and tuple(tokenize(target)) != key and token not in found:
                        found.append(token)
        return cls(expansions)

    @property
    def longest(self):
        return max((len(key) for key in self.expansions), default=0)


def split_phrases(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def phrase_token(phrase):
    """The token a (possibly multi-word) synonym stands for: the stem of its longest word."""
    norms = tokenize(phrase)
    if not norms:
        return ""
    return stem(max(norms, key=len))


# Query side


class Vocabulary(Protocol):
    """What a backend knows of its indexed words, for typo tolerance."""

    def known(self, tokens: set[str]) -> set[str]:
        """Those of `tokens` that occur in some indexed document."""

    def similar(self, word: str) -> list[str]:
        """Tokens of indexed words close to the normalised `word` (see `close_enough`)."""


def max_typos(word):
    """How many edits a word of this length may contain and still be corrected."""
    if len(word) >= 8:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def edit_distance(a, b, limit):
    """Damerau-Levenshtein distance (adjacent transpositions count 1), or limit+1 if larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def close_enough(typed, indexed):
    """Is the indexed word a plausible correction of the typed (normalised) word?"""
    limit = max_typos(typed)
    return limit > 0 and typed != indexed and edit_distance(typed, indexed, limit) <= limit


def query_words(q):
    """Normalised words of a query, keeping stop words out."""
    return tokenize(q)


def expand_query(q, vocabulary=None, dictionary=None, synonyms=None):
    """Groups of alternative tokens; a document must match one token of every group.

    >>> expand_query("Beratungen Schulden")
    [['berat'], ['schuld']]
    >>> expand_query("Hartz IV")            # with the seeded synonyms
    [['hartz', 'burgergeld']]
    """
    dictionary = dictionary or current_dictionary()
    synonyms = synonyms if synonyms is not None else current_synonyms()
    norms = query_words(q)
    groups = []
    i = 0
    while i < len(norms):
        phrase_len = _synonym_phrase_at(norms, i, synonyms)
        if phrase_len:
            key = tuple(norms[i : i + phrase_len])
            own = stem(max(key, key=len))
            groups.append(_unique([own, *synonyms.expansions[key]]))
            i += phrase_len
            continue
        norm = norms[i]
        parts = dictionary.split(norm)
        if parts:
            for part in parts:
                groups.append(_unique([stem(part), stem(dictionary.root_of(part) or part)]))
        else:
            tokens = [stem(norm)]
            root = dictionary.root_of(norm)
            if root:
                tokens.append(stem(root))
            groups.append(_unique(tokens))
        i += 1
    if vocabulary is not None and groups:
        groups = _correct_typos(groups, norms, vocabulary, dictionary)
    return groups


def _synonym_phrase_at(norms, i, synonyms):
    for length in range(min(synonyms.longest, len(norms) - i), 0, -1):
        if tuple(norms[i : i + length]) in synonyms.expansions:
            return length
    return 0


def _unique(tokens):
    seen = []
    for token in tokens:
        if token and token not in seen:
            seen.append(token)
    return seen


def _correct_typos(groups, norms, vocabulary, dictionary):
    """Add corrections to groups none of whose tokens is indexed.

    A whole word is corrected towards close indexed words; failing that, a compound with a
    known first part and a misspelt rest is split ("Schuldnerberatng").
    """
    all_tokens = {token for group in groups for token in group}
    known = vocabulary.known(all_tokens)
    stems = {stem(norm): norm for norm in norms}
    corrected = []
    for group in groups:
        norm = stems.get(group[0])
        if norm is None or any(token in known for token in group):
            corrected.append(group)
            continue
        similar = vocabulary.similar(norm)
        parts = [] if similar else dictionary.split_fuzzy(norm)
        if parts:
            for part in parts:
                corrected.append(_unique([stem(part), stem(dictionary.root_of(part) or part)]))
        else:
            corrected.append(_unique([*group, *similar]))
    return corrected


def query_tokens(groups):
    """Every token of the expanded query, for highlighting."""
    return {token for group in groups for token in group}


def matching_words(text, tokens, dictionary=None):
    """Spans (start, end) of the words of `text` whose tokens meet `tokens`."""
    dictionary = dictionary or current_dictionary()
    spans = []
    if not tokens:
        return spans
    for match in _WORD.finditer(text or ""):
        found = dictionary.surface_tokens(match.group())
        if found and not found.isdisjoint(tokens):
            spans.append(match.span())
    return spans
