// Keeps a half-answered questionnaire on this phone as a draft (localStorage), never sent or
// scored: choices are put back when the page opens again, and the draft goes once it is saved.
(function () {
  "use strict";
  const form = document.querySelector("form[data-draft]");
  if (!form || !window.localStorage) return;
  const key = "kneeready-draft-" + form.dataset.draft;
  const fields = () => Array.from(form.elements).filter((el) => el.name && el.name !== "csrf_token");
  try {
    const saved = JSON.parse(localStorage.getItem(key) || "{}");
    for (const el of fields()) {
      if (!(el.name in saved)) continue;
      if (el.type === "radio") { if (!form.querySelector(`[name="${el.name}"]:checked`)) el.checked = el.value === saved[el.name]; }
      else if (!el.value) el.value = saved[el.name];
    }
  } catch (error) { localStorage.removeItem(key); }
  form.addEventListener("change", () => {
    const draft = {};
    for (const el of fields()) {
      if (el.type === "radio" && !el.checked) continue;
      if (el.value) draft[el.name] = el.value.slice(0, 200);
    }
    localStorage.setItem(key, JSON.stringify(draft));
  });
  form.addEventListener("submit", () => localStorage.removeItem(key));
})();
