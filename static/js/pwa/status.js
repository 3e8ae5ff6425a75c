// The sync status box (#sync-status): what waits on the phone, what the server refused or keeps
// turning down (with Dismiss / Discard it), "Synced", and why a page may be stale.
(function () {
  "use strict";
  var pwa = window.KneeReadyPWA;
  if (!pwa || window.kneeReadyLoaded("pwa-status")) { return; }

  var outbox = window.KneeReadyOutbox;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function button(text, data, value) {
    var node = element("button", "button small-button", text);
    node.type = "button";
    node.setAttribute(data, value);
    return node;
  }

  function when(created) {
    return new Date(created).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function noticeLine(notice) {
    var line = element("div", "sync-line is-refused");
    line.append(element("p", "", notice.label + " from " + when(notice.created) + " couldn't be saved: " + notice.message),
      button("Dismiss", "data-dismiss", String(notice.id)));
    return line;
  }

  function pendingLine(items, user) {
    var line = element("div", "sync-line is-pending");
    var count = items.length + " waiting";
    if (!user || items.some(function (item) { return item.state === "signin"; })) {
      line.append(element("p", "", "Saved on this phone — sign in to sync (" + count + ")."));
      var link = element("a", "button small-button", "Sign in");
      link.href = pwa.settings().signin + "?next=" + encodeURIComponent(location.pathname + location.search);
      line.append(link);
    } else {
      line.append(element("p", "", "Saved on this phone — will sync (" + count + ")."));
    }
    return line;
  }

  // A write the server keeps turning down without a 422 (say, a session deleted meanwhile):
  // it stays until the runner decides, since only a refusal they have seen drops a write.
  function stuckLine(item) {
    var line = element("div", "sync-line is-refused");
    line.append(element("p", "", item.label + " from " + when(item.created) + " couldn't be sent (the server answered " +
      item.status + "). It will be tried again."), button("Discard it", "data-discard", item.key));
    return line;
  }

  // A page the worker kept (data-cached-at): when it was kept.
  function copyLine() {
    var kept = new Date(pwa.settings().cachedAt);
    var day = kept.toDateString() === new Date().toDateString() ? "" : " on " + kept.toLocaleDateString();
    return element("p", "sync-line is-offline", "No signal: this is the copy kept on this phone at " + when(kept) + day + ".");
  }

  // The state line: what waits, else what just synced, else why this page may be stale.
  function stateLine(items, user) {
    if (items.length) { return pendingLine(items, user); }
    if (pwa.synced) { return element("p", "sync-line is-synced", "Synced — everything saved on this phone is stored."); }
    if (!pwa.offline || pwa.needsSignal) { return null; }
    if (pwa.settings().cachedAt) { return copyLine(); }
    if (document.querySelector("[data-offline-page]")) { return null; }
    return element("p", "sync-line is-offline", "You're offline. KneeReady keeps working: what you save waits on this phone.");
  }

  function render() {
    var box = document.getElementById("sync-status");
    if (!box) { return Promise.resolve(); }
    return Promise.all([outbox.pending(), outbox.notices()]).then(function (found) {
      var user = pwa.currentUser();
      var mine = function (entry) { return !user || entry.user === user; };
      var items = found[0].filter(mine);
      var notices = found[1].filter(mine);
      pwa.settleHeldForms(found[0].map(function (item) { return item.key; }),
                          notices.map(function (notice) { return notice.key; }));
      var lines = notices.map(noticeLine);
      items.filter(function (item) { return item.state === "waiting" && item.status >= 400 && item.status < 500; })
        .forEach(function (item) { lines.push(stuckLine(item)); });
      if (pwa.needsSignal && pwa.offline) {
        lines.push(element("p", "sync-line is-offline", "No signal: that needs a connection. Try again once you're back online."));
      }
      var state = stateLine(items, user);
      if (state) { lines.push(state); }
      box.setAttribute("data-pending", String(items.length));
      // Unchanged news is not news: a screen reader hears each line once, not after every tick.
      var said = lines.map(function (line) { return line.textContent; }).join("\n");
      if (box.getAttribute("data-said") === said) { return; }
      box.setAttribute("data-said", said);
      box.replaceChildren.apply(box, lines);
      box.hidden = !lines.length;
    }).catch(function () { /* storage unavailable (private mode): nothing to show */ });
  }

  pwa.render = render;

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-dismiss], [data-discard]");
    if (!target) { return; }
    var done = target.hasAttribute("data-dismiss")
      ? outbox.dismiss(Number(target.getAttribute("data-dismiss")))
      : outbox.remove(target.getAttribute("data-discard"));
    done.then(render);
  });
})();
