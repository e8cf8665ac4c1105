// Narrows the recipient list to people or organisations matching the typed text.
// Without JavaScript the filter stays hidden and the grouped list works on its own.
(function () {
  "use strict";
  function setUp(input) {
    var select = document.getElementById(input.getAttribute("aria-controls"));
    var status = document.getElementById(input.dataset.statusId);
    if (!select) {
      return;
    }
    var wrapper = input.closest("[hidden]");
    if (wrapper) {
      wrapper.removeAttribute("hidden");
    }
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLocaleLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var groupMatches = group.label.toLocaleLowerCase().indexOf(needle) !== -1;
        var anyShown = false;
        Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
          var match =
            !needle || groupMatches || option.text.toLocaleLowerCase().indexOf(needle) !== -1;
          option.hidden = !match;
          if (match) {
            anyShown = true;
            shown += 1;
          }
        });
        group.hidden = !anyShown;
      });
      if (status) {
        status.textContent = status.dataset.template.replace("__COUNT__", shown);
      }
    });
  }
  document.querySelectorAll("input[data-recipient-filter]").forEach(setUp);
})();
