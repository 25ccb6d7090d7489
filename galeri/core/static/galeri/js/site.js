// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // "Salin tautan": copy the product link and say so.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var text = button.getAttribute("data-copy");
    var done = function () {
      var label = button.getAttribute("data-copied") || "OK";
      var status = document.getElementById(button.getAttribute("aria-controls"));
      if (status) status.textContent = label;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, done);
    } else {
      var field = document.createElement("textarea");
      field.value = text;
      document.body.appendChild(field);
      field.select();
      try { document.execCommand("copy"); } catch (e) { /* nothing to do */ }
      document.body.removeChild(field);
      done();
    }
  });
  // Sorting select submits its form without a separate button.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
  });
  // Product photo thumbnails swap the main photo.
  document.addEventListener("click", function (event) {
    var thumb = event.target.closest("[data-photo]");
    if (!thumb) return;
    event.preventDefault();
    var main = document.getElementById("main-photo");
    if (!main) return;
    main.src = thumb.getAttribute("data-photo");
    main.srcset = thumb.getAttribute("data-srcset") || "";
    main.alt = thumb.getAttribute("data-alt") || main.alt;
  });
})();
