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
  // Filter and sort drawer (#saring): without script the link opens it through :target; with it,
  // a class does, Escape and the backdrop close it and focus goes in and comes back.
  var drawer = document.querySelector("[data-drawer]");
  if (drawer) {
    var opener = document.querySelector("[data-drawer-open]");
    var closeDrawer = function () {
      if (!drawer.classList.contains("is-open")) return;
      drawer.classList.remove("is-open");
      document.documentElement.style.overflow = "";
      if (opener) opener.focus();
    };
    document.addEventListener("click", function (event) {
      if (event.target.closest("[data-drawer-open]")) {
        event.preventDefault();
        drawer.classList.add("is-open");
        document.documentElement.style.overflow = "hidden";
        var first = drawer.querySelector("select, input:not([type=hidden])");
        if (first) first.focus({ preventScroll: true });
      } else if (event.target.closest("[data-drawer-close]") && drawer.classList.contains("is-open")) {
        event.preventDefault();
        closeDrawer();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeDrawer();
    });
  }
  // Product photos: the thumbnails scroll the swipe row; the counter follows the swipe.
  var slides = document.querySelector(".slides");
  if (slides) {
    var count = document.querySelector("[data-slide-count]");
    var thumbs = document.querySelectorAll("[data-slide]");
    var current = function () {
      return Math.round(slides.scrollLeft / Math.max(1, slides.clientWidth));
    };
    slides.addEventListener("scroll", function () {
      var index = current();
      if (count) count.textContent = (index + 1) + " / " + slides.children.length;
      thumbs.forEach(function (thumb, i) {
        if (i === index) thumb.setAttribute("aria-current", "true"); else thumb.removeAttribute("aria-current");
      });
    }, { passive: true });
    document.addEventListener("click", function (event) {
      var thumb = event.target.closest("[data-slide]");
      if (!thumb) return;
      event.preventDefault();
      slides.scrollTo({ left: slides.clientWidth * Number(thumb.getAttribute("data-slide")) });
    });
  }
  // Tap to zoom: the large photo full screen (pinch works there; a tap doubles it). Without
  // script the photo's link opens the large image itself.
  var zoom = document.getElementById("zoom");
  if (zoom && typeof zoom.showModal === "function") {
    var big = zoom.querySelector("[data-zoom-image]");
    document.addEventListener("click", function (event) {
      var link = event.target.closest("[data-zoom]");
      if (link) {
        event.preventDefault();
        var img = link.querySelector("img");
        big.src = link.getAttribute("href");
        big.alt = img ? img.alt : "";
        zoom.classList.remove("zoomed");
        zoom.showModal();
      } else if (event.target.closest("[data-zoom-close]")) {
        zoom.close();
      } else if (event.target === big) {
        zoom.classList.toggle("zoomed");
      }
    });
  }
  // Share: the phone's own share sheet when there is one; otherwise the WhatsApp link as it is.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-share]");
    if (!link || !navigator.share) return;
    event.preventDefault();
    navigator.share({
      title: link.getAttribute("data-share-title") || document.title,
      text: link.getAttribute("data-share-text") || "",
    }).catch(function () { /* closed by the buyer: nothing to do */ });
  });
  // A page sent back with errors: focus goes to its error summary (role=alert), so a screen reader
  // reads it and Tab continues to the links that lead to each field.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
