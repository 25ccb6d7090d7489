// Made-to-order pages: a submit button marked data-once is disabled after the first submit,
// so a double tap sends the form once (the server also makes a double submit one request).
(function () {
  "use strict";
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[data-once]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
})();
