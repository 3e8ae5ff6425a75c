// Signing out clears the phone first (outbox and caches: nothing of this person stays), and a
// form htmx doesn't send stays on its page with no signal instead of the browser's offline screen.
(function () {
  "use strict";
  var pwa = window.KneeReadyPWA;
  if (!pwa || window.kneeReadyLoaded("pwa-signout")) { return; }

  var outbox = window.KneeReadyOutbox;

  function clearPhone() {
    var tasks = [outbox.destroy()];
    if (window.caches) {
      tasks.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf("kneeready-") === 0; })
          .map(function (name) { return caches.delete(name); }));
      }));
    }
    var timeout = new Promise(function (resolve) { setTimeout(resolve, 2000); });
    return Promise.race([Promise.all(tasks), timeout]).catch(function () {});
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-clears-phone]") || form.hasAttribute("data-cleared")) { return; }
    if (navigator.onLine === false) { return; }  // signing out needs the server: see below
    event.preventDefault();
    outbox.pending().catch(function () { return []; }).then(function (items) {
      var waiting = items.filter(function (item) { return item.user === pwa.currentUser(); }).length;
      var warning = form.querySelector("[data-unsynced-warning]");
      if (waiting && warning && warning.hidden) {
        warning.textContent = waiting + (waiting === 1 ? " entry" : " entries") + " saved on this phone " +
          (waiting === 1 ? "hasn't" : "haven't") + " synced yet. Signing out deletes " + (waiting === 1 ? "it" : "them") +
          ". Get a signal and wait for “Synced”, or sign out anyway.";
        warning.hidden = false;
        warning.focus();
        var submit = form.querySelector("button[type=submit]");
        if (submit) { submit.textContent = "Sign out anyway"; }
        return;
      }
      return clearPhone().then(function () {
        form.setAttribute("data-cleared", "");
        form.submit();
      });
    });
  }, true);

  // A form htmx doesn't send (hx-boost="false") would leave the page for the browser's own
  // "no internet" screen: with no signal, say so here instead and keep the page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine !== false || !form.matches || form.matches(pwa.WRITE)) { return; }
    var boost = form.closest("[hx-boost]");
    if (boost && boost.getAttribute("hx-boost") !== "false") { return; }  // htmx: sendError says it
    event.preventDefault();
    event.stopImmediatePropagation();
    pwa.offline = true;
    pwa.needsSignal = true;
    pwa.render().then(function () { document.getElementById("sync-status").focus(); });
  }, true);
})();
