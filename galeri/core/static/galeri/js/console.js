// Console helpers: keyboard shortcuts and confirmations, no inline script (strict CSP).
(function () {
  "use strict";
  // data-confirm="…" on a submit button or form asks before sending.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm") || (event.submitter && event.submitter.getAttribute("data-confirm"));
    if (message && !window.confirm(message)) event.preventDefault();
  });
  // Disable submit buttons once a form is sent: no double submits from double clicks.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    var form = event.target;
    if (form.hasAttribute("data-allow-resubmit")) return;
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
  // The console menu is open on wide screens and folded on phones (open without script).
  var menu = document.querySelector("[data-console-menu]");
  if (menu && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 900px)");
    var sync = function () { menu.open = wide.matches; };
    sync();
    if (wide.addEventListener) wide.addEventListener("change", sync);
  }
  // "/" focuses the page's search field, as in many consoles.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || /INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) return;
    var field = document.querySelector("[data-search-focus]");
    if (field) { event.preventDefault(); field.focus(); }
  });
})();
