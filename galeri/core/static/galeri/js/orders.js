// Checkout: show only the fields of the chosen way to receive each unit's order (pickup or
// delivery) and the payment methods that go with it; stop a second click from sending twice.
// Without this script every field shows and the server checks everything the same way.
(function () {
  "use strict";
  function sync(part) {
    var chosen = part.querySelector("input[name$='-fulfilment']:checked");
    var how = chosen ? chosen.value : "";
    part.querySelectorAll("[data-when]").forEach(function (box) {
      var show = !how || box.getAttribute("data-when") === how;
      box.hidden = !show;
      box.querySelectorAll("input, select, textarea").forEach(function (field) { field.disabled = !show; });
    });
    part.querySelectorAll("[data-only]").forEach(function (option) {
      var fits = !how || option.getAttribute("data-only") === how;
      option.hidden = !fits;
      var radio = option.querySelector("input");
      if (radio) {
        radio.disabled = !fits;
        if (!fits && radio.checked) radio.checked = false;
      }
    });
    var methods = part.querySelectorAll("input[name$='-payment_method']");
    var anyChecked = Array.prototype.some.call(methods, function (r) { return r.checked; });
    if (!anyChecked) {
      var first = Array.prototype.find.call(methods, function (r) { return !r.disabled; });
      if (first) first.checked = true;
    }
  }
  document.querySelectorAll("[data-unit-part]").forEach(function (part) {
    sync(part);
    part.addEventListener("change", function (event) {
      if (event.target.matches("input[name$='-fulfilment']")) sync(part);
    });
  });
  // The destination search box: Enter searches (htmx's "search" trigger), it does not send the order.
  document.querySelectorAll("input[name$='-region_q']").forEach(function (box) {
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
  });
  document.querySelectorAll("form[data-checkout]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[data-busy]");
      if (!button) return;
      // Disabled a moment later so the button's own value is still sent.
      window.setTimeout(function () {
        button.disabled = true;
        if (button.getAttribute("data-busy")) button.textContent = button.getAttribute("data-busy");
      }, 0);
    });
  });
  // Back to this page from the next one (browser cache): the button works again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-checkout] button[type=submit]").forEach(function (button) { button.disabled = false; });
  });
})();
