/* Offer search: progressive enhancements only; the form works fully without this file.
 * - "Use my location": asks the browser for the position and searches near it.
 * - Suggestions while typing, from /api/v1/search/suggest/, in a native <datalist>.
 */
(function () {
    "use strict";
    var form = document.querySelector("form.search");
    if (!form) { return; }

    var button = form.querySelector(".search__near-me");
    var status = form.querySelector(".search__near-status");
    if (button && "geolocation" in navigator) {
        button.hidden = false;
        button.addEventListener("click", function () {
            status.textContent = button.dataset.locating;
            navigator.geolocation.getCurrentPosition(function (position) {
                var near = form.querySelector("input[name=near]");
                if (!near) {
                    near = document.createElement("input");
                    near.type = "hidden";
                    near.name = "near";
                    form.appendChild(near);
                }
                near.value = position.coords.latitude.toFixed(5) + "," +
                    position.coords.longitude.toFixed(5);
                form.querySelector("input[name=place]").value = "";
                var sort = form.querySelector("select[name=sort]");
                if (sort && sort.value === "relevance" && !form.querySelector("input[name=q]").value) {
                    sort.value = "distance";
                }
                form.submit();
            }, function () {
                status.textContent = button.dataset.failed;
            }, { timeout: 10000, maximumAge: 300000 });
        });
    }
    var place = form.querySelector("input[name=place]");
    if (place) {
        place.addEventListener("input", function () {
            var near = form.querySelector("input[name=near]");
            if (near && place.value) { near.remove(); }
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
