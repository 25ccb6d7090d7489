// The cashier screen: keep the focus in the code field (a scanner types the code and Enter),
// F9 completes the sale, quick buttons fill the cash tendered and the change is shown.
// Without this script the same forms work with a click and a page load.
(function () {
  "use strict";
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
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-pos-pay]");
    if (!form) return;
    var button = form.querySelector("button[type=submit]");
    if (button) setTimeout(function () { button.disabled = true; }, 0);  // one click, one sale (the server is idempotent anyway)
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "F9") {
      var pay = document.querySelector("[data-pos-pay]");
      if (pay) { event.preventDefault(); pay.requestSubmit(); }
    } else if (event.key === "Escape") {
      var matches = document.getElementById("pos-matches");
      if (matches) matches.innerHTML = "";
      focusCode();
    }
  });
  document.body.addEventListener("htmx:afterSwap", function () { showChange(); focusCode(); });
  document.body.addEventListener("htmx:afterSettle", function () {
    if (document.querySelector("[data-pos-error]") && window.AudioContext) {
      try {  // a short beep for an unknown code
        var ctx = new window.AudioContext(), osc = ctx.createOscillator();
        osc.frequency.value = 440; osc.connect(ctx.destination); osc.start(); osc.stop(ctx.currentTime + 0.15);
      } catch (e) { /* no sound is fine */ }
    }
  });
  if (document.querySelector("[data-pos]")) { showChange(); focusCode(); }
})();
