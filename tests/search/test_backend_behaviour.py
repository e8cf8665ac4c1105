"""What every search backend must do, run against each backend the `search_backend` fixture
(tests/search/conftest.py) yields; the `corpus` fixture indexes six offers with it.

To add a backend, add a param to `search_backend`: its object needs `rebuild(documents=None)`,
`index(documents)`, `delete(page_ids)`, `search(SearchQuery)` and `suggest(prefix, limit)`.
"""

import dataclasses
import datetime as dt

import pytest
from django.utils import translation

from lotse.search import service
from lotse.search.documents import documents_for
from lotse.search.query import SearchQuery

from .conftest import BERLIN, MONDAY_10

pytestmark = pytest.mark.django_db


def run(backend, **params):
    params.setdefault("now", MONDAY_10)
    query = service.prepare(SearchQuery(**params))
    return backend.search(query)


def titles(result):
    return [hit.title for hit in result.hits]


def keys(result, corpus):
    by_id = {offer.pk: key for key, offer in corpus.items()}
    return [by_id[hit.page_id] for hit in result.hits]


def facet(result, name):
    return {v.value: (v.count, v.selected) for v in result.facets[name]}


# Full text and German analysis


def test_empty_query_lists_every_live_offer_by_title(search_backend, corpus):
    result = run(search_backend)
    assert result.count == 6
    assert titles(result) == sorted(titles(result), key=str.casefold)
    assert "draft" not in keys(result, corpus)


def test_nonsense_finds_nothing(search_backend, corpus):
    result = run(search_backend, q="xyzzy")
    assert result.count == 0 and result.hits == []


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Schuldnerberatung", "debt"),
        ("schuldnerberatung", "debt"),
        ("Schulden", "debt"),  # compound: Schulden finds Schuldnerberatung
        ("Pflege", "care"),  # compound: Pflege finds Pflegestützpunkt
        ("Pflegestuetzpunkt", "care"),  # ASCII umlaut
        ("pflegestutzpunkt", "care"),  # umlaut left out
        ("Schuldnerberatng", "debt"),  # typo
        ("Pflegestüzpunkt", "care"),  # typo
        ("Hartz IV", "citizen"),  # synonym
        ("ALG II", "citizen"),  # synonym
        ("Rente", "pension"),  # synonym Rente <-> Altersvorsorge
        ("Suchtberatung", "addiction"),  # singular finds the plural title
        ("Familien Schulden", "debt"),  # target group and topic
    ],
)
def test_german_queries_find_the_expected_offer_first(search_backend, corpus, q, expected):
    result = run(search_backend, q=q)
    assert result.count >= 1, q
    assert keys(result, corpus)[0] == expected, (q, titles(result))


def test_organisation_name_finds_its_offers(search_backend, corpus):
    assert set(keys(run(search_backend, q="Caritas"), corpus)) == {"debt", "addiction", "family"}


def test_inflected_query_finds_the_base_form(search_backend, corpus):
    found = set(keys(run(search_backend, q="Beratungen"), corpus))
    assert {"debt", "care", "citizen", "addiction", "family"} <= found
    assert "pension" not in found


def test_all_words_must_match(search_backend, corpus):
    assert keys(run(search_backend, q="Pflege Bürgergeld"), corpus) == []
    assert keys(run(search_backend, q="Antrag Bürgergeld"), corpus) == ["citizen"]


def test_title_outranks_summary_and_description(search_backend, corpus):
    # "Familien" is the title's compound part of one offer, a target group of two others.
    result = run(search_backend, q="Familienzentrum")
    assert keys(result, corpus)[0] == "family"
    result = run(search_backend, q="Sucht")
    assert keys(result, corpus)[0] == "addiction"


def test_drafts_are_never_found(search_backend, corpus):
    assert "draft" not in keys(run(search_backend, q="Geheime"), corpus)


# Filters and facets


def test_topic_filter_and_facet_counts(search_backend, corpus):
    result = run(search_backend, topics=("schulden",))
    assert set(keys(result, corpus)) == {"debt", "family"}
    topics = facet(result, "topic")
    assert topics["schulden"] == (2, True)
    # Disjunctive: other topics still count as if the topic filter were off.
    assert topics["pflege"] == (1, False)


def test_facets_count_under_the_other_filters(search_backend, corpus):
    result = run(search_backend, languages=("tr",))
    assert set(keys(result, corpus)) == {"debt", "citizen"}
    assert facet(result, "language") == {"tr": (2, True), "ar": (1, False)}
    assert facet(result, "topic") == {"schulden": (1, False), "arbeit": (1, False)}


def test_target_group_language_and_area_filters(search_backend, corpus):
    assert set(keys(run(search_backend, target_groups=("familien",)), corpus)) == {
        "debt",
        "family",
    }
    assert keys(run(search_backend, languages=("ar",)), corpus) == ["citizen"]
    in_lahnfeld = set(keys(run(search_backend, areas=("lahnfeld",)), corpus))
    assert in_lahnfeld == {"debt", "addiction", "family"}
    area_facet = facet(run(search_backend), "area")
    assert area_facet["lahnfeld"][0] == 3 and area_facet["wetzbach"][0] == 3
    assert "landkreis" not in area_facet


def test_free_and_step_free(search_backend, corpus):
    not_free = {"care"}
    assert set(keys(run(search_backend, free=True), corpus)) == set(corpus) - not_free - {"draft"}
    step_free = set(keys(run(search_backend, step_free=True), corpus))
    assert step_free == {"debt", "addiction", "family"}
    result = run(search_backend)
    assert facet(result, "free")["true"] == (5, False)
    assert facet(result, "step_free")["true"] == (3, False)


def test_ways_of_attending(search_backend, corpus):
    assert keys(run(search_backend, attending=("video",)), corpus) == ["citizen"]
    assert set(keys(run(search_backend, attending=("phone", "mobile")), corpus)) == {
        "care",
        "addiction",
    }
    result = run(search_backend)
    counts = facet(result, "attending")
    assert counts["in_person"][0] == 4 and counts["video"][0] == 1
    for language, in_person, video in (
        ("en", "In person", "By video"),
        ("de", "Vor Ort", "Per Video"),
    ):
        with translation.override(language):
            result = run(search_backend)
        labels = {v.value: str(v.label) for v in result.facets["attending"]}
        assert (labels["in_person"], labels["video"]) == (in_person, video)


def test_attending_labels_cover_every_way_of_attending():
    from lotse.search.query import ATTENDING, ATTENDING_LABELS

    assert set(ATTENDING_LABELS) == set(ATTENDING)


def test_filters_combine_with_text(search_backend, corpus):
    result = run(search_backend, q="Beratung", areas=("wetzbach",), free=True)
    assert keys(result, corpus) == ["citizen"]


def test_unknown_filter_values_find_nothing_but_are_shown_selected(search_backend, corpus):
    result = run(search_backend, topics=("gibt-es-nicht",))
    assert result.count == 0
    assert facet(result, "topic")["gibt-es-nicht"] == (0, True)


def test_selected_values_without_hits_keep_their_names(search_backend, corpus):
    # The offers the text finds have none of these values, so none carries their names.
    result = run(
        search_backend,
        q="Schulden",
        topics=("pflege",),
        target_groups=("jugendliche",),
        languages=("ar",),
        areas=("wetzbach",),
    )
    assert result.count == 0
    labels = {
        name: {(v.value, str(v.label), v.count) for v in result.facets[name] if v.selected}
        for name in ("topic", "target_group", "language", "area")
    }
    assert labels == {
        "topic": {("pflege", "Pflege", 0)},
        "target_group": {("jugendliche", "Jugendliche", 0)},
        "language": {("ar", "Arabisch", 0)},
        "area": {("wetzbach", "Wetzbach", 0)},
    }


# Opening hours


def test_open_now(search_backend, corpus):
    result = run(search_backend, open_now=True)  # Monday 10:00
    assert set(keys(result, corpus)) == {"debt", "addiction"}
    assert all(hit.open_now for hit in result.hits)
    later = run(search_backend, open_now=True, now=MONDAY_10.replace(hour=13))
    assert keys(later, corpus) == ["addiction"]


def test_open_now_respects_public_holidays(search_backend, corpus):
    christmas = dt.datetime(2026, 12, 25, 10, 0, tzinfo=BERLIN)  # a Friday
    assert run(search_backend, open_now=True, now=christmas).count == 0


def test_open_on_weekday(search_backend, corpus):
    assert keys(run(search_backend, open_on="SA"), corpus) == ["pension"]
    assert set(keys(run(search_backend, open_on="TU"), corpus)) == {"debt", "family"}


def test_hits_tell_whether_open_now(search_backend, corpus):
    result = run(search_backend, q="Altersvorsorge")
    assert result.hits[0].open_now is False


# Distance


def test_distance_sort_and_radius_from_a_point(search_backend, corpus):
    result = run(search_backend, near=(50.70, 8.70), sort="distance")
    assert keys(result, corpus)[:3] != [] and result.hits[0].distance_km == 0.0
    assert set(keys(result, corpus)[:3]) == {"care", "citizen", "pension"}
    far = [hit.distance_km for hit in result.hits[3:]]
    assert all(17 < d < 22 for d in far), far
    nearby = run(search_backend, near=(50.70, 8.70), radius_km=5)
    assert set(keys(nearby, corpus)) == {"care", "citizen", "pension"}


def test_place_by_town_or_postcode(search_backend, corpus):
    by_town = run(search_backend, place="Lahnfeld", radius_km=2)
    assert set(keys(by_town, corpus)) == {"debt", "addiction", "family"}
    by_postcode = run(search_backend, place="35630", radius_km=2)
    assert set(keys(by_postcode, corpus)) == {"care", "citizen", "pension"}


# Highlighting, pagination, suggestions


def test_highlight_marks_matches_and_escapes_html(search_backend, corpus):
    hit = run(search_backend, q="Schulden").hits[0]
    assert "<mark>Schulden</mark>" in hit.highlight
    offer = corpus["family"]
    offer.summary = "Beratung <script>alert(1)</script> für Eltern"
    offer.save_revision().publish()
    documents, _gone = documents_for([offer.pk])
    search_backend.index(documents)
    hit = run(search_backend, q="Eltern").hits[0]
    assert "<script>" not in hit.highlight
    assert "&lt;script&gt;" in hit.highlight
    assert "<mark>Eltern</mark>" in hit.highlight


def test_compound_highlight(search_backend, corpus):
    hit = run(search_backend, q="Pflege").hits[0]
    assert "<mark>" in hit.highlight


def test_pagination(search_backend, corpus):
    first = run(search_backend, page_size=4)
    second = run(search_backend, page_size=4, page=2)
    assert first.count == second.count == 6
    assert len(first.hits) == 4 and len(second.hits) == 2
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    assert run(search_backend, page_size=4, page=3).hits == []


def test_hit_shape(search_backend, corpus):
    hit = run(search_backend, q="Schuldnerberatung").hits[0]
    offer = corpus["debt"]
    assert hit.id == str(offer.hsds_id)
    assert hit.url == offer.url
    assert hit.organisation_name == "Caritas Lahnfeld"
    assert hit.organisation_id == str(offer.organisation.hsds_id)
    assert hit.topics == ["Schulden"]


def test_suggest(search_backend, corpus):
    suggestions = search_backend.suggest("Pfle", limit=10)
    assert "Pflegestützpunkt Wetzbach" in suggestions
    assert any(s.lower().startswith("pflege") for s in suggestions)
    assert search_backend.suggest("xyzzy", limit=10) == []
    assert len(search_backend.suggest("be", limit=3)) <= 3


# Keeping the index current


def test_index_and_delete_update_results(search_backend, corpus):
    offer = corpus["pension"]
    offer.title = "Rentenberatung im Landratsamt"
    offer.save_revision().publish()
    documents, _gone = documents_for([offer.pk])
    search_backend.index(documents)
    assert keys(run(search_backend, q="Landratsamt"), corpus) == ["pension"]
    search_backend.delete([offer.pk])
    assert run(search_backend, q="Landratsamt").count == 0
    assert run(search_backend).count == 5


def test_typo_vocabulary_follows_deletions(search_backend, corpus):
    assert keys(run(search_backend, q="Schuldnerberatng"), corpus)[0] == "debt"
    search_backend.delete([corpus["debt"].pk, corpus["draft"].pk])
    # A word no indexed offer has any more is no correction: the typo is not corrected
    # towards "Schuldnerberatung" but split like the right spelling ("Schuldner" +
    # "Beratung"), so both find the same offers, and the deleted one is not among them.
    corrections = {token for group in search_backend.expand("Schuldnerberatng") for token in group}
    assert "schuldnerberat" not in corrections
    typo = keys(run(search_backend, q="Schuldnerberatng"), corpus)
    assert typo == keys(run(search_backend, q="Schuldnerberatung"), corpus) == ["family"]
    # A typo of a compound whose parts no other offer has finds nothing once it is gone.
    assert keys(run(search_backend, q="Pflegestüzpunkt"), corpus) == ["care"]
    search_backend.delete([corpus["care"].pk])
    assert run(search_backend, q="Pflegestüzpunkt").count == 0


def test_query_is_not_changed_by_prepare_twice(search_backend, corpus):
    query = service.prepare(SearchQuery(q="  Pflege  ", now=MONDAY_10))
    assert dataclasses.replace(query).q == "Pflege"
