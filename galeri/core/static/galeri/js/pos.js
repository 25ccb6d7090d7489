// The cashier screen: keep the focus in the code field (a scanner types the code and Enter),
// ↓ walks into the name matches, F2 goes to the cash field (type the amount, Enter finishes),
// F9 completes the sale, quick buttons fill the cash tendered and the change is shown.
// Without this script the same forms work with a click and a page load.
(function () {
  "use strict";
  // Our CSP forbids inline styles: htmx must not copy a style attribute (Chromium leaves an empty
  // one on filled inputs) onto the swapped-in fields, or the browser reports a CSP violation.
  if (window.htmx) window.htmx.config.attributesToSettle = ["class", "width", "height"];
  // Settle at once: htmx focuses the swapped-in [autofocus] scan field when the swap settles, and
  // with its default 20 ms delay that took the cash field from a cashier who had already moved on.
  if (window.htmx) window.htmx.config.defaultSettleDelay = 0;
  function focusCode() {
    var code = document.querySelector("[data-pos-code]");
    if (code && document.activeElement !== code && !(document.activeElement && document.activeElement.closest("form.pos-pay, .pos-lines, .pos-matches"))) {
      code.focus();
      code.select();
    }
  }
  function total() {
    var el = document.querySelector("[data-pos-total]");
    return el ? parseInt(el.getAttribute("data-pos-total"), 10) || 0 : 0;
  }
  function rupiah(n) {
    return (n < 0 ? "-" : "") + "Rp " + Math.abs(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  function number(value) {
    return parseInt(String(value || "").replace(/[^0-9]/g, ""), 10) || 0;
  }
  function showChange() {
    var form = document.querySelector("[data-pos-pay]");
    var out = document.querySelector("[data-pos-change]");
    if (!form || !out) return;
    var other = number(form.elements.qris && form.elements.qris.value) + number(form.elements.transfer && form.elements.transfer.value);
    if (!form.elements.tendered) return;
    var cash = total() - other;
    var tendered = form.elements.tendered.value === "" ? cash : number(form.elements.tendered.value);
    out.textContent = tendered < cash ? "kurang " + rupiah(cash - tendered) : rupiah(tendered - cash);
  }
  document.addEventListener("click", function (event) {
    var tender = event.target.closest("[data-tender]");
    if (tender) {
      var field = document.querySelector("[data-pos-tendered]");
      if (field) { field.value = tender.getAttribute("data-tender"); showChange(); field.focus(); }
    }
    if (event.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("input", function (event) {
    if (event.target.closest("[data-pos-pay]")) showChange();
  });
  // Completing a sale: posted with fetch so a network error keeps the sale on screen and retries
  // with the same client sale id (the hidden sale_id field); the server records it once.
  function swapPos(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("pos"), current = document.getElementById("pos");
    if (fresh && current) { current.replaceWith(fresh); initCamera(); showChange(); focusCode(); return true; }
    return false;
  }
  function status(form, text) {
    var out = form.querySelector("[data-pos-status]");
    if (!out) { out = document.createElement("p"); out.className = "pos-notice"; out.setAttribute("role", "alert"); out.setAttribute("data-pos-status", ""); form.appendChild(out); }
    out.textContent = text;
  }
  function send(form, data, attempt) {
    var button = form.querySelector("button[type=submit]");
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { "X-Pos-Retry": String(attempt) } })
      .then(function (response) {
        var receipt = response.headers.get("X-Pos-Receipt");
        if (receipt) { window.location.assign(receipt); return; }
        if (response.url && response.url.indexOf("/struk/") !== -1) { window.location.assign(response.url); return; }
        return response.text().then(function (html) {
          if (!swapPos(html)) window.location.assign(response.url || window.location.href);
        });
      })
      .catch(function () {
        var wait = Math.min(30, 2 * (attempt + 1));
        status(form, "Jaringan terputus. Penjualan tetap disimpan di layar; mencoba lagi dalam " + wait + " detik…");
        if (button) button.disabled = false;
        form._retry = setTimeout(function () { send(form, data, attempt + 1); }, wait * 1000);
      });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-pos-pay]");
    if (!form) return;
    var button = form.querySelector("button[type=submit]");
    if (form.hasAttribute("data-pos-retry") && window.fetch && window.FormData) {
      event.preventDefault();
      if (form._retry) clearTimeout(form._retry);
      if (button) button.disabled = true;
      status(form, "Menyimpan penjualan…");
      send(form, new FormData(form), 0);
      return;
    }
    if (button) setTimeout(function () { button.disabled = true; }, 0);  // one click, one sale (the server is idempotent anyway)
  });
  // Camera scan on phones: only where the browser has BarcodeDetector (the button stays hidden
  // elsewhere). A code read goes through the same form as a typed code + Enter.
  var camera = { stream: null, timer: null };
  function initCamera() {
    var button = document.querySelector("[data-pos-camera]");
    if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
    var formats = window.BarcodeDetector.getSupportedFormats ? window.BarcodeDetector.getSupportedFormats() : Promise.resolve(["?"]);
    formats.then(function (list) { if (list && list.length) button.hidden = false; }).catch(function () { /* stays hidden */ });
  }
  function stopCamera() {
    if (camera.timer) clearInterval(camera.timer);
    if (camera.stream) camera.stream.getTracks().forEach(function (t) { t.stop(); });
    camera.stream = camera.timer = null;
    var view = document.querySelector("[data-pos-camera-view]");
    if (view) view.hidden = true;
  }
  function startCamera() {
    var view = document.querySelector("[data-pos-camera-view]"), video = document.querySelector("[data-pos-video]");
    if (!view || !video) return;
    var detector = new window.BarcodeDetector();
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (stream) {
      camera.stream = stream;
      video.srcObject = stream;
      view.hidden = false;
      video.play();
      camera.timer = setInterval(function () {
        if (video.readyState < 2) return;
        detector.detect(video).then(function (codes) {
          if (!codes.length || !camera.stream) return;
          var code = document.querySelector("[data-pos-code]");
          stopCamera();
          code.value = codes[0].rawValue;
          code.form.requestSubmit();
        }).catch(function () { /* try the next frame */ });
      }, 250);
    }).catch(function () {
      var code = document.querySelector("[data-pos-code]");
      if (code) { code.placeholder = "Kamera tidak bisa dibuka; ketik kodenya."; code.focus(); }
    });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-pos-camera]")) startCamera();
    if (event.target.closest("[data-pos-camera-stop]")) { stopCamera(); focusCode(); }
    if (event.target.closest("[data-refund-all]")) {
      document.querySelectorAll("[data-refund-left]").forEach(function (input) { input.value = input.getAttribute("data-refund-left"); });
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "F2") {
      var tendered = document.querySelector("[data-pos-tendered]");
      if (tendered) { event.preventDefault(); tendered.focus(); tendered.select(); }
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var buttons = Array.prototype.slice.call(document.querySelectorAll("#pos-matches .pos-match"));
      var at = buttons.indexOf(document.activeElement);
      var inCode = document.activeElement && document.activeElement.hasAttribute("data-pos-code");
      if (!buttons.length || (!inCode && at === -1)) return;
      event.preventDefault();
      if (event.key === "ArrowDown") buttons[Math.min(at + 1, buttons.length - 1)].focus();
      else if (at <= 0) document.querySelector("[data-pos-code]").focus();
      else buttons[at - 1].focus();
    } else if (event.key === "F9") {
      var pay = document.querySelector("[data-pos-pay]");
      if (pay) { event.preventDefault(); pay.requestSubmit(); }
    } else if (event.key === "Escape") {
      var matches = document.getElementById("pos-matches");
      if (matches) matches.innerHTML = "";
      focusCode();
    }
  });
  // The sell screen's notice (unknown barcode, not enough stock...) read out after each swap, even
  // when it is the same words as last time: emptied first, filled a moment later.
  function announce() {
    var region = document.querySelector("[data-pos-announce]");
    if (!region) return;
    var notice = document.querySelector("[data-pos-error]");
    region.textContent = "";
    if (notice) window.setTimeout(function () { region.textContent = notice.textContent; }, 50);
  }
  document.body.addEventListener("htmx:afterSwap", function () { initCamera(); showChange(); focusCode(); announce(); });
  document.body.addEventListener("htmx:afterSettle", function () {
    if (document.querySelector("[data-pos-error]") && window.AudioContext) {
      try {  // a short beep for an unknown code
        var ctx = new window.AudioContext(), osc = ctx.createOscillator();
        osc.frequency.value = 440; osc.connect(ctx.destination); osc.start(); osc.stop(ctx.currentTime + 0.15);
      } catch (e) { /* no sound is fine */ }
    }
  });
  initCamera();
  if (document.querySelector("[data-pos]")) { showChange(); focusCode(); }
  else if (document.querySelector("[data-pos-pay]")) showChange();
})();
