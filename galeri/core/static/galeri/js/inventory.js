// Stock pages: the stocktake scanner, live differences, the print button.
// No inline script (strict CSP): everything hooks on data- attributes.
(function () {
  "use strict";

  function norm(value) { return (value || "").trim().toLowerCase(); }

  function signed(n) { return n > 0 ? "+" + n : String(n); }

  // Difference column of a stocktake row, updated as the count changes.
  function refreshRow(row) {
    var input = row.querySelector("input.count");
    var cell = row.querySelector("[data-diff]");
    if (!input || !cell) return;
    var raw = input.value.trim();
    if (raw === "" || isNaN(parseInt(raw, 10))) {
      cell.textContent = "—";
      row.classList.remove("differs");
      return;
    }
    var diff = parseInt(raw, 10) - parseInt(row.getAttribute("data-expected") || "0", 10);
    cell.textContent = diff === 0 ? "0" : signed(diff);
    row.classList.toggle("differs", diff !== 0);
  }

  function refreshTotal(table) {
    var total = document.querySelector("[data-counted-total]");
    if (!total) return;
    var n = 0;
    table.querySelectorAll("input.count").forEach(function (input) { if (input.value.trim() !== "") n += 1; });
    total.textContent = String(n);
  }

  function setupStocktake() {
    var table = document.querySelector(".count-table");
    if (!table) return;
    table.addEventListener("input", function (event) {
      var row = event.target.closest("tr");
      if (row) refreshRow(row);
      refreshTotal(table);
    });

    var panel = document.querySelector("[data-scan-panel]");
    var scan = document.querySelector("[data-scan-input]");
    var status = document.querySelector("[data-scan-status]");
    if (!panel || !scan) return;
    panel.hidden = false; // the scanner needs this script; without it the panel stays hidden

    var rows = {};
    table.querySelectorAll("tbody tr[data-sku]").forEach(function (row) {
      rows[norm(row.getAttribute("data-sku"))] = row;
      var barcode = norm(row.getAttribute("data-barcode"));
      if (barcode) rows[barcode] = row;
    });

    function say(text, bad) {
      status.textContent = text;
      status.classList.toggle("bad", !!bad);
    }

    scan.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault(); // a scanner ends with Enter: never submit a form
      var code = norm(scan.value);
      scan.value = "";
      if (!code) return;
      var row = rows[code];
      if (!row) {
        say((scan.getAttribute("data-unknown") || "Tidak ada di daftar ini: ") + code, true);
        return;
      }
      var input = row.querySelector("input.count");
      var current = parseInt(input.value, 10);
      input.value = String((isNaN(current) ? 0 : current) + 1);
      refreshRow(row);
      refreshTotal(table);
      table.querySelectorAll("tr.scanned").forEach(function (r) { r.classList.remove("scanned"); });
      row.classList.add("scanned");
      row.scrollIntoView({ block: "nearest" });
      var name = row.querySelector("strong");
      say((name ? name.textContent : code) + ": " + input.value, false);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupStocktake);
  else setupStocktake();
})();
