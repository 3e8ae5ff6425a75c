// Coach pages: copy an invitation link. Without JavaScript the link is still there to select.
(function () {
  "use strict";

  function showCopyButtons(root) {
    if (!navigator.clipboard) { return; }
    root.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = false; });
  }

  function copy(button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    if (!input) { return; }
    navigator.clipboard.writeText(input.value).then(function () {
      if (status) { status.textContent = "Link copied."; }
      button.setAttribute("data-copied", "true");
    }, function () {
      input.select();
      if (status) { status.textContent = "Couldn't copy: the link is selected, copy it yourself."; }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (button) { copy(button); }
  });
  document.addEventListener("DOMContentLoaded", function () { showCopyButtons(document); });
  document.addEventListener("htmx:load", function (event) { showCopyButtons(event.target); });
})();
