/* Offer search: progressive enhancements only; the form works fully without this file.
 * - On wide screens the filters of a search are unfolded.
 * - After a search was sent, focus moves to the result count (or to the list of errors) and
 *   the count is announced in a live region.
 * - "Use my location": asks the browser for the position and searches near it. The point is
 *   rounded to about a kilometre, so the shareable URL does not pinpoint anybody's home.
 * - Suggestions while typing, from /api/v1/search/suggest/, in a native <datalist>.
 */
(function () {
    "use strict";
    var form = document.querySelector("form[data-search-form]");
    if (!form) { return; }
    var SENT = "lotse-search-sent";

    function remember() {
        try { window.sessionStorage.setItem(SENT, "1"); } catch (error) { /* private mode */ }
    }
    function wasSent() {
        try {
            var sent = window.sessionStorage.getItem(SENT) === "1";
            window.sessionStorage.removeItem(SENT);
            return sent;
        } catch (error) { return false; }
    }

    // Small screens see the results first; wide ones have room for the filters beside them.
    var filters = form.querySelector("details[data-open-wide]");
    if (filters && window.matchMedia("(min-width: 48rem)").matches) { filters.open = true; }

    form.addEventListener("submit", remember);
    Array.prototype.forEach.call(
        document.querySelectorAll(".pagination a, .results__empty a"),
        function (link) { link.addEventListener("click", remember); }
    );
    var errors = document.querySelector(".search__errors");
    var heading = document.getElementById("results-heading");
    if (wasSent()) {
        if (errors) {
            errors.focus();
        } else if (heading) {
            heading.focus();
            var status = document.querySelector("[data-results-status]");
            if (status) {
                // Filled after load, so that screen readers announce the change.
                window.setTimeout(function () { status.textContent = heading.textContent; }, 100);
            }
        }
    }

    var button = form.querySelector(".search__near-me");
    var nearStatus = form.querySelector(".search__near-status");
    var place = form.querySelector("input[name=place]");
    if (button && "geolocation" in navigator) {
        button.hidden = false;
        button.addEventListener("click", function () {
            nearStatus.textContent = button.dataset.locating;
            navigator.geolocation.getCurrentPosition(function (position) {
                var near = form.querySelector("input[name=near]");
                if (!near) {
                    near = document.createElement("input");
                    near.type = "hidden";
                    near.name = "near";
                    form.appendChild(near);
                }
                near.value = position.coords.latitude.toFixed(2) + "," +
                    position.coords.longitude.toFixed(2);
                place.value = "";
                var sort = form.querySelector("select[name=sort]");
                if (sort && sort.value === "relevance" && !form.querySelector("input[name=q]").value) {
                    sort.value = "distance";
                }
                remember();
                form.submit();
            }, function () {
                nearStatus.textContent = button.dataset.failed;
                place.focus();
            }, { timeout: 10000, maximumAge: 300000 });
        });
    }
    if (place) {
        place.addEventListener("input", function () {
            var near = form.querySelector("input[name=near]");
            if (near && place.value) {
                near.remove();
                nearStatus.textContent = "";
            }
        });
    }

    var input = form.querySelector("input[name=q]");
    if (!input || !window.fetch) { return; }
    var list = document.createElement("datalist");
    list.id = "search-suggestions";
    form.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
            var text = input.value.trim();
            if (text.length < 2 || text === last) { return; }
            last = text;
            fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text), {
                headers: { "Accept": "application/json" }
            }).then(function (response) {
                return response.ok ? response.json() : { suggestions: [] };
            }).then(function (data) {
                list.textContent = "";
                data.suggestions.forEach(function (suggestion) {
                    var option = document.createElement("option");
                    option.value = suggestion;
                    list.appendChild(option);
                });
            }).catch(function () { /* suggestions are optional */ });
        }, 200);
    });
}());
