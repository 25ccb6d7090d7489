// Product console: busy state on long submits, "tick all", filters that apply on change.
// No inline script anywhere (strict CSP): behaviour hangs on data- attributes.
(function () {
  "use strict";

  // <form data-busy>: once sent, show its [data-busy-note] ("sedang memproses…").
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    var form = event.target;
    if (!form.hasAttribute("data-busy")) return;
    var note = form.querySelector("[data-busy-note]");
    if (note) note.hidden = false;
    form.setAttribute("aria-busy", "true");
  });

  // <input type=checkbox data-check-all="ids">: ticks every checkbox named "ids" on the page.
  document.addEventListener("change", function (event) {
    var box = event.target;
    var name = box.getAttribute && box.getAttribute("data-check-all");
    if (!name) return;
    document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (b) {
      b.checked = box.checked;
    });
  });

  // <button data-requires-checked="ids">: nothing to do until a row is ticked.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-requires-checked]");
    if (!button) return;
    var name = button.getAttribute("data-requires-checked");
    if (!document.querySelector('input[type=checkbox][name="' + name + '"]:checked')) {
      event.preventDefault();
      window.alert(button.getAttribute("data-empty-message") || "?");
    }
  });

  // <select data-autosubmit>: a filter applies as soon as it changes.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.hasAttribute || !field.hasAttribute("data-autosubmit") || !field.form) return;
    var page = field.form.querySelector("input[name=hal]");
    if (page) page.remove();
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  });
})();
