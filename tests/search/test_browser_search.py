"""The public search in Debian's Chromium: searching, filtering, keyboard use, "near me",
WCAG 2.1 A/AA (axe-core) and the small screen.

Few tests, each walking through a whole task, because each needs its own county (the live
server only sees committed data, so these tests are transactional). Controls are found by id
or role, not by their (translated) words, so the tests hold in German and English.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.search.test_page import build_county

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def county(transactional_db):
    return build_county()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="de-DE")
    yield context
    context.close()


def query_of(url):
    return parse_qs(urlsplit(url).query)


def result_titles(page):
    return page.locator(".results__list .result__title a").all_inner_texts()


def active_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_search_filter_open_offer_and_come_back(live_server, context, county):
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator("#search-q").fill("Beratung")
    page.locator("#search-q").press("Enter")
    page.wait_for_url("**/?*q=Beratung*")
    # After a search, focus is on the result count and a live region announces it.
    heading = page.locator("#results-heading")
    expect(heading).to_be_focused()
    expect(page.locator("[data-results-status]")).to_have_text(heading.inner_text())
    assert page.locator(".results__list .result").count() == 10

    page.locator(".facet").get_by_label("Pflege").check()
    page.locator(".search__filters button[type=submit]").click()
    page.wait_for_url("**topic=pflege*")
    assert query_of(page.url)["q"] == ["Beratung"]
    assert result_titles(page) == ["Pflegestützpunkt Wetzbach"]
    results_url = page.url

    page.get_by_role("link", name="Pflegestützpunkt Wetzbach").click()
    expect(page.locator("h1")).to_have_text("Pflegestützpunkt Wetzbach")
    organisation_link = page.get_by_role("link", name="Kreisverwaltung Wetzbach").first
    expect(organisation_link).to_be_visible()

    page.go_back()
    assert page.url == results_url
    expect(page.locator("#search-q")).to_have_value("Beratung")
    expect(page.locator(".facet").get_by_label("Pflege")).to_be_checked()
    assert result_titles(page) == ["Pflegestützpunkt Wetzbach"]

    # Pagination keeps the search; the second page continues the numbering.
    page.locator("#search-q").fill("Familienberatung")
    page.locator(".facet").get_by_label("Pflege").uncheck()
    page.locator(".search__main button[type=submit]").click()
    page.wait_for_url("**q=Familienberatung*")
    page.locator("nav.pagination a[rel=next]").click()
    page.wait_for_url("**page=2*")
    assert query_of(page.url)["q"] == ["Familienberatung"]
    assert page.locator(".results__list").get_attribute("start") == "11"
    expect(page.locator("#results-heading")).to_be_focused()


def tab_to(page, predicate, limit=60):
    """Press Tab until the focused element satisfies `predicate` (a JS function body)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(element => {predicate})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def focus_outline(page):
    return page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )


def test_keyboard_only(live_server, context, county):
    """Tab, Enter and Space only: search, tick a filter, open an offer; focus always visible."""
    page = context.new_page()
    page.goto(live_server.url + "/")
    tab_to(page, "element.id === 'search-q'")
    page.keyboard.type("Beratung")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=Beratung*")
    expect(page.locator("#results-heading")).to_be_focused()

    tab_to(page, "element.name === 'topic' && element.value === 'pflege'")
    style, width = focus_outline(page)
    assert style != "none" and width >= 2
    page.keyboard.press("Space")
    expect(page.locator("input[name=topic][value=pflege]")).to_be_checked()
    tab_to(page, "element.type === 'submit' && element.closest('details')")
    page.keyboard.press("Enter")
    page.wait_for_url("**topic=pflege*")
    expect(page.locator("#results-heading")).to_be_focused()

    tab_to(page, "element.matches('.result__title a')")
    style, width = focus_outline(page)
    assert style != "none" and width >= 2
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Pflegestützpunkt Wetzbach")

    # Bad input is reported on the page and focus goes to the list of errors.
    page.goto(live_server.url + "/")
    tab_to(page, "element.id === 'search-place'")
    page.keyboard.type("Atlantis")
    page.keyboard.press("Enter")
    page.wait_for_url("**place=Atlantis*")
    expect(page.locator(".search__errors")).to_be_focused()
    tab_to(page, "element.getAttribute('href') === '#search-place'")
    page.keyboard.press("Enter")
    expect(page.locator("#search-place")).to_be_focused()


def test_near_me_with_browser_location(live_server, browser, county):
    context = browser.new_context(
        locale="de-DE",
        geolocation={"latitude": 50.70123, "longitude": 8.70456},
        permissions=["geolocation"],
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.locator(".search__near-me").click()
        page.wait_for_url("**near=*")
        # Rounded to about a kilometre before it goes into the (shareable) URL.
        assert query_of(page.url)["near"] == ["50.70,8.70"]
        assert query_of(page.url)["sort"] == ["distance"]
        assert "place" not in query_of(page.url) or query_of(page.url)["place"] == [""]
        assert result_titles(page)[0] == "Pflegestützpunkt Wetzbach"
        assert page.locator(".result__distance").count() == page.locator(".result").count()
        expect(page.locator(".search__near-status")).not_to_be_empty()

        # Typing a town afterwards replaces the location.
        page.locator("#search-place").fill("Lahnfeld")
        page.locator(".search__main button[type=submit]").click()
        page.wait_for_url("**place=Lahnfeld*")
        assert "near" not in query_of(page.url)
        assert result_titles(page)[0] != "Pflegestützpunkt Wetzbach"
    finally:
        context.close()


def test_near_me_button_needs_javascript(live_server, page_without_js, county):
    page = page_without_js
    page.goto(live_server.url + "/")
    expect(page.locator(".search__near-me")).to_be_hidden()
    page.locator("#search-place").fill("35630")
    page.locator(".search__filters summary").click()
    page.locator("#search-sort").select_option("distance")
    page.locator(".search__main button[type=submit]").click()
    page.wait_for_url("**place=35630*")
    assert result_titles(page)[0] == "Pflegestützpunkt Wetzbach"


def axe_violations(page):
    results = Axe().run(page, options=WCAG_AA)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×)" for v in results.response["violations"]]


def test_pages_pass_axe_and_fit_a_small_screen(live_server, browser, county):
    """WCAG 2.1 A/AA on the search, result, empty, error, offer and organisation pages in
    German and English; at 375px nothing scrolls sideways and targets are 44px high."""
    offer = county["care"]
    paths = {
        "search": "/",
        "results": "/?q=Beratung&place=Lahnfeld&free=true&topic=familie&topic=pflege",
        "more results": "/?q=Familienberatung&page=2&place=Wetzbach",
        "empty": "/?q=Pflege&topic=schulden",
        "error": "/?place=Atlantis&page=0",
        "offer": offer.url,
        "organisation": offer.get_parent().url,
    }
    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    mobile = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        page, small = desktop.new_page(), mobile.new_page()
        for prefix, language in (("", "de"), ("/en", "en")):
            for name, path in paths.items():
                url = f"{live_server.url}{prefix}{path}"
                page.goto(url)
                assert page.locator("html").get_attribute("lang") == language
                filters = page.locator("details.search__filters")
                if filters.count():
                    # Audit the filters too, which are folded away on the entry page.
                    filters.evaluate("element => { element.open = true; }")
                assert axe_violations(page) == [], f"{language} {name}"

                small.goto(url)
                assert axe_violations(small) == [], f"{language} {name} at 375px"
                sideways = small.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert sideways <= 0, f"{language} {name} scrolls sideways at 375px"
        small.goto(f"{live_server.url}{paths['more results']}")
        small.locator("details.search__filters").evaluate("element => element.open = true")
        targets = small.locator(
            ".check, .pagination a, .result__title a, .button, .search select, .search input"
            ":not([type=checkbox]):not([type=hidden])"
        )
        low = [
            (target.evaluate("e => e.outerHTML.slice(0, 80)"), box["height"])
            for target, box in ((t, t.bounding_box()) for t in targets.all())
            if box and box["height"] < 44
        ]
        assert targets.count() > 10 and low == []
    finally:
        desktop.close()
        mobile.close()
