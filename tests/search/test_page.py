"""The public search page without JavaScript: GET parameters in, an HTML page out.

Everything a browser without JavaScript can do goes through the Django test client here; the
browser tests (test_browser_search.py) cover what needs a real browser.
"""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import transaction

from lotse.search import analysis, service
from lotse.search.backends import database
from lotse.search.highlight import safe_highlight
from tests import factories

BERLIN = ZoneInfo("Europe/Berlin")
#: A Monday morning that is no public holiday.
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)
#: Summary of an offer whose text tries to inject markup.
HOSTILE = 'Hilfe bei Schulden <script>alert("x")</script> und <img src=x onerror=alert(1)>.'


def build_county():
    """A small indexed county: 11 family offers (two result pages), care, debt and a draft.

    Returns the offers keyed by a short name; `family` is a list.
    """
    factories.directory_root()
    county = factories.SocialAreaFactory(
        name="Landkreis Lahnfeld", slug="landkreis", kind="county", latitude=50.6, longitude=8.6
    )
    lahnfeld = factories.SocialAreaFactory(
        name="Lahnfeld", slug="lahnfeld", parent=county, postcodes="35578", latitude=50.55,
        longitude=8.5,
    )  # fmt: skip
    wetzbach = factories.SocialAreaFactory(
        name="Wetzbach", slug="wetzbach", parent=county, postcodes="35630", latitude=50.70,
        longitude=8.70,
    )  # fmt: skip
    debt = factories.TopicFactory(name="Schulden", slug="schulden")
    care = factories.TopicFactory(name="Pflege", slug="pflege")
    family = factories.TopicFactory(name="Familie", slug="familie")
    caritas = factories.make_organisation_page(
        factories.OrganisationFactory(name="Caritas Lahnfeld", slug="caritas")
    )
    county_office = factories.make_organisation_page(
        factories.OrganisationFactory(name="Kreisverwaltung Wetzbach", slug="kreis")
    )
    in_lahnfeld = factories.LocationFactory(
        organisation=caritas.organisation,
        town="Lahnfeld",
        postcode="35578",
        social_area=lahnfeld,
        latitude=50.55,
        longitude=8.5,
        step_free_access=True,
    )
    in_wetzbach = factories.LocationFactory(
        organisation=county_office.organisation,
        town="Wetzbach",
        postcode="35630",
        social_area=wetzbach,
        latitude=50.70,
        longitude=8.70,
        step_free_access=False,
    )
    monday_morning = {**factories.WEEKDAY_HOURS, "location": 0}
    saturday = {**factories.WEEKDAY_HOURS, "weekdays": ["SA"], "location": 0}
    offers = {
        "debt": factories.make_offer(
            caritas,
            title="Schuldnerberatung",
            summary=HOSTILE,
            topics=[debt],
            locations=[in_lahnfeld],
            hours=[monday_morning],
        ),
        "care": factories.make_offer(
            county_office,
            title="Pflegestützpunkt Wetzbach",
            summary="Beratung für pflegende Angehörige.",
            topics=[care],
            locations=[in_wetzbach],
            hours=[saturday],
            is_free=False,
            fee_description="5 Euro je Termin",
        ),
        "family": [
            factories.make_offer(
                caritas,
                title=f"Familienberatung {name}",
                summary="Beratung für Eltern und Kinder.",
                topics=[family],
                locations=[in_lahnfeld],
                hours=[saturday],
            )
            for name in (
                "Anker",
                "Brücke",
                "Dach",
                "Elster",
                "Fähre",
                "Garten",
                "Hafen",
                "Insel",
                "Juni",
                "Kompass",
                "Leuchtturm",
            )
        ],
        "draft": factories.make_offer(
            caritas, title="Geheime Familienberatung", topics=[family], publish=False
        ),
    }
    analysis.invalidate()
    database._cache.clear()
    service.rebuild_index()
    return offers


@pytest.fixture(scope="module")
def county_data(django_db_setup, django_db_blocker):
    """The county, built once for this module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        offers = build_county()
        yield offers
        transaction.set_rollback(True)
    analysis.invalidate()
    database._cache.clear()


@pytest.fixture
def county(county_data, db):
    """The county for one test; each test's changes are rolled back (a savepoint)."""
    return county_data


def get(client, query="", prefix=""):
    response = client.get(f"{prefix}/{query}")
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def result_titles(soup):
    return [a.get_text(strip=True) for a in soup.select(".results__list .result__title a")]


def results_count(soup):
    """The number in the result heading (its words depend on the language)."""
    return int(re.search(r"\d+", soup.select_one("#results-heading").get_text()).group())


def test_entry_page_shows_form_and_facets_but_no_results(client, county):
    _response, soup = get(client)
    form = soup.select_one("form[role=search]")
    assert form["method"] == "get"
    assert soup.select_one(".results") is None
    topic = {
        box["value"]: box.find_next_sibling("label").get_text(" ", strip=True)
        for box in soup.select("input[name=topic]")
    }
    assert topic == {"familie": "Familie (11)", "pflege": "Pflege (1)", "schulden": "Schulden (1)"}


def test_search_text_lists_offer_with_organisation_snippet_and_link(client, county):
    _response, soup = get(client, "?q=Schulden")
    assert results_count(soup) == 1
    hit = soup.select_one(".results__list .result")
    link = hit.select_one(".result__title a")
    assert link.get_text(strip=True) == "Schuldnerberatung"
    assert link["href"] == county["debt"].url
    assert "Caritas Lahnfeld" in hit.select_one(".result__provider").get_text()
    assert hit.select_one(".result__snippet mark").get_text() == "Schulden"
    assert "Geheime" not in soup.get_text()


def test_page_title_names_search_and_count(client, county):
    _response, soup = get(client, "?q=Familienberatung", prefix="/en")
    assert soup.title.get_text().startswith("“Familienberatung”: 11 offers found (page 1 of 2) –")


def test_highlighted_snippet_cannot_inject_markup(client, county):
    response, soup = get(client, "?q=Schulden")
    snippet = soup.select_one(".result__snippet")
    assert snippet.find("script") is None
    assert snippet.find("img") is None
    assert [tag.name for tag in snippet.find_all(True)] == ["mark"]
    assert '<script>alert("x")</script>' in snippet.get_text()
    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;alert" in response.content


@pytest.mark.parametrize(
    ("snippet", "html"),
    [
        ("a &lt;b&gt; <mark>c</mark>", "a &lt;b&gt; <mark>c</mark>"),
        (
            "<mark><img src=x onerror=alert(1)></mark>",
            "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>",
        ),
        # Tags that open or close nothing are dropped; an open highlight is closed.
        ("</mark>x<mark>y", "x<mark>y</mark>"),
        ("<mark><mark>x</mark>", "<mark>x</mark>"),
        ('<mark onclick="x">y</mark>', '&lt;mark onclick="x"&gt;y'),
        ("&amp;lt;script&amp;gt;", "&amp;lt;script&amp;gt;"),
    ],
)
def test_safe_highlight_keeps_only_balanced_marks(snippet, html):
    assert safe_highlight(snippet) == html


def test_facet_checkbox_filters_and_counts_stay_visible(client, county):
    _response, soup = get(client, "?q=Beratung&topic=pflege")
    assert result_titles(soup) == ["Pflegestützpunkt Wetzbach"]
    checked = soup.select("input[name=topic][checked]")
    assert [box["value"] for box in checked] == ["pflege"]
    # Counts of the other topics are those under the other filters (the text), so a user
    # sees what ticking them as well would add.
    labels = {
        box["value"]: box.find_next_sibling("label").get_text(" ", strip=True)
        for box in soup.select("input[name=topic]")
    }
    assert labels["familie"] == "Familie (11)"
    assert labels["pflege"] == "Pflege (1)"


def test_filters_are_unfolded_when_in_use(client, county):
    """Without JavaScript the results of a plain text search come first (small screens)."""
    _response, soup = get(client, "?q=Beratung")
    filters = soup.select_one("details.search__filters")
    assert not filters.has_attr("open")
    assert filters.has_attr("data-open-wide")
    _response, soup = get(client, "?q=Beratung&free=true")
    assert soup.select_one("details.search__filters").has_attr("open")
    _response, soup = get(client)
    filters = soup.select_one("details.search__filters")
    assert not filters.has_attr("open") and not filters.has_attr("data-open-wide")


def test_two_values_of_one_facet_widen_the_search(client, county):
    _response, soup = get(client, "?topic=pflege&topic=schulden&sort=title")
    assert result_titles(soup) == ["Pflegestützpunkt Wetzbach", "Schuldnerberatung"]


def test_free_and_step_free_filters(client, county):
    _response, soup = get(client, "?q=Beratung&free=true")
    assert "Pflegestützpunkt Wetzbach" not in result_titles(soup)
    assert soup.select_one("#search-free").has_attr("checked")
    _response, soup = get(client, "?step_free=true&sort=title")
    assert "Pflegestützpunkt Wetzbach" not in result_titles(soup)
    assert results_count(soup) == 12


def test_facet_controls_are_grouped_and_labelled(client, county):
    _response, soup = get(client, "?q=Beratung")
    form = soup.select_one("form[role=search]")
    for fieldset in form.select("fieldset"):
        assert fieldset.find("legend", recursive=False).get_text(strip=True)
    assert form.select("fieldset input[name=topic]")
    labelled = {label["for"] for label in form.select("label[for]")}
    controls = form.select("input:not([type=hidden]), select")
    assert controls
    for control in controls:
        assert control["id"] in labelled, control
    ids = [element["id"] for element in soup.select("[id]")]
    assert len(ids) == len(set(ids))


def test_pagination_keeps_every_parameter(client, county):
    _response, soup = get(client, "?q=Familienberatung&place=Lahnfeld&topic=familie&sort=title")
    assert result_titles(soup) == [offer.title for offer in county["family"][:10]]
    nav = soup.select_one("nav.pagination")
    assert nav["aria-label"]
    assert nav.select_one("[aria-current=page]").get_text(strip=True).endswith("1")
    next_url = nav.select_one("a[rel=next]")["href"]
    assert parse_qs(urlsplit(next_url).query) == {
        "q": ["Familienberatung"],
        "place": ["Lahnfeld"],
        "topic": ["familie"],
        "sort": ["title"],
        "page": ["2"],
    }
    _response, soup = get(client, next_url)
    assert result_titles(soup) == [county["family"][10].title]
    assert soup.select_one(".results__list")["start"] == "11"
    previous = soup.select_one("nav.pagination a[rel=prev]")["href"]
    assert parse_qs(urlsplit(previous).query)["page"] == ["1"]
    assert soup.select_one("nav.pagination a[rel=next]") is None


def test_page_after_the_last_is_explained(client, county):
    _response, soup = get(client, "?q=Familienberatung&page=9", prefix="/en")
    empty = soup.select_one(".results__empty")
    assert "only 2 pages" in empty.get_text()
    first = empty.select_one("a")["href"]
    assert parse_qs(urlsplit(first).query) == {"q": ["Familienberatung"], "page": ["1"]}


def test_empty_result_suggests_related_topics_and_dropping_filters(client, county):
    _response, soup = get(client, "?q=Pflege&topic=schulden")
    assert results_count(soup) == 0
    empty = soup.select_one(".results__empty")
    topics = {a.get_text(strip=True): a["href"] for a in empty.select(".tags a")}
    assert list(topics) == ["Pflege"]
    assert parse_qs(urlsplit(topics["Pflege"]).query) == {"topic": ["pflege"]}
    without = empty.select_one("a.results__without-filters")["href"]
    assert parse_qs(urlsplit(without).query) == {"q": ["Pflege"]}
    _response, soup = get(client, topics["Pflege"])
    assert result_titles(soup) == ["Pflegestützpunkt Wetzbach"]


def test_empty_result_without_matching_words_suggests_biggest_topics(client, county):
    _response, soup = get(client, "?q=Xylophonwerkstatt")
    empty = soup.select_one(".results__empty")
    assert [a.get_text(strip=True) for a in empty.select(".tags a")][0] == "Familie"
    assert empty.select_one("a.results__without-filters") is None


def test_town_without_javascript_gives_distances_and_order(client, county):
    _response, soup = get(client, "?place=Wetzbach&sort=distance&q=Beratung")
    titles = result_titles(soup)
    assert titles[0] == "Pflegestützpunkt Wetzbach"
    distances = [
        float(re.search(r"\d+,\d", span.get_text()).group().replace(",", "."))
        for span in soup.select(".result__distance")
    ]
    assert len(distances) == len(titles)
    assert distances[0] == 0.0
    assert distances == sorted(distances) and distances[-1] > 15


def test_postcode_and_radius(client, county):
    _response, soup = get(client, "?place=35630&radius_km=5")
    assert result_titles(soup) == ["Pflegestützpunkt Wetzbach"]
    assert soup.select_one("#search-radius option[selected]")["value"] == "5"


def test_near_point_is_kept_in_the_form_and_a_typed_place_replaces_it(client, county):
    _response, soup = get(client, "?near=50.70,8.70&radius_km=5")
    assert result_titles(soup) == ["Pflegestützpunkt Wetzbach"]
    assert soup.select_one("form input[type=hidden][name=near]")["value"] == "50.70,8.70"
    assert soup.select_one(".search__near-status").get_text(strip=True)
    # The hidden point travels with the form; a place typed afterwards wins over it.
    _response, soup = get(client, "?near=50.70,8.70&place=Lahnfeld&radius_km=2&q=Schulden")
    assert not soup.select(".search__errors")
    assert result_titles(soup) == ["Schuldnerberatung"]
    assert soup.select_one("form input[name=near]") is None


def test_open_now_filter_and_state(client, county):
    with time_machine.travel(MONDAY_10, tick=False):
        _response, soup = get(client, "?q=Schulden&open_now=true")
        assert result_titles(soup) == ["Schuldnerberatung"]
        assert soup.select_one(".result .status--open")
        _response, soup = get(client, "?q=Pflege&open_now=true")
        assert results_count(soup) == 0
        _response, soup = get(client, "?q=Pflege")
        assert soup.select_one(".result .status--closed")


@pytest.mark.parametrize(
    ("query", "param", "field"),
    [
        ("?page=abc", "page", None),
        ("?page=0", "page", None),
        ("?radius_km=5", "radius_km", "search-radius"),
        ("?place=Atlantis", "place", "search-place"),
        ("?sort=bogus", "sort", "search-sort"),
        ("?sort=distance&q=Pflege", "sort", "search-sort"),
        ("?topic=not%20a%20slug!", "topic", None),
        ("?near=abc", "near", "search-place"),
        ("?near=95,8", "near", "search-place"),
        ("?open_on=XX", "open_on", "search-open-on"),
        ("?open_now=perhaps", "open_now", None),
        ("?q=" + "x" * 201, "q", "search-q"),
        ("?page_size=100000", "page_size", None),
    ],
)
def test_bad_parameters_give_a_message_on_the_page(client, county, query, param, field):
    response, soup = get(client, query)
    errors = soup.select_one(".search__errors")
    assert errors["role"] == "alert"
    item = errors.select_one(f"#search-error-{param}")
    assert item.get_text(strip=True)
    # The title says there is an error, before the page's own title.
    plain_title = get(client)[1].title.get_text()
    assert soup.title.get_text().endswith(plain_title)
    assert soup.title.get_text() != plain_title
    # No result list for a search that could not run, but the form and its facets are there.
    assert soup.select_one(".results") is None
    assert soup.select("input[name=topic]")
    assert soup.select_one("details.search__filters").has_attr("open")
    # A wrong location is not carried on in the form's hidden field.
    assert soup.select_one("input[name=near]") is None
    if field:
        assert item.select_one("a")["href"] == f"#{field}"
        control = soup.select_one(f"#{field}")
        assert control["aria-invalid"] == "true"
        assert f"search-error-{param}" in control["aria-describedby"].split()


def test_english_page(client, county):
    response, soup = get(client, "?q=Familienberatung&place=Lahnfeld", prefix="/en")
    assert soup.html["lang"] == "en"
    assert results_count(soup) == 11
    links = [a["href"] for a in soup.select(".results__list .result__title a")]
    assert links and all(link.startswith("/en/") for link in links)
    assert all(
        "km away" in span.get_text() and "." in span.get_text()
        for span in soup.select(".result__distance")
    )
    assert parse_qs(urlsplit(soup.select_one("a[rel=next]")["href"]).query)["page"] == ["2"]
    offer = client.get(links[0])
    assert offer.status_code == 200


def test_search_url_is_shareable_across_languages(client, county):
    _response, soup = get(client, "?q=Schulden&topic=schulden")
    switch = {a["hreflang"]: a["href"] for a in soup.select(".language-switch a")}
    english = urlsplit(switch["en"])
    assert english.path == "/en/"
    assert parse_qs(english.query) == {"q": ["Schulden"], "topic": ["schulden"]}
    _response, soup = get(client, f"?{english.query}", prefix="/en")
    assert result_titles(soup) == ["Schuldnerberatung"]
