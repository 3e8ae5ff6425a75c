// The run form answers a 422 with itself and its messages beside the fields: show it.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var source = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    if (detail.xhr.status === 422 && source && source.closest("[data-runs-form]")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
})();
