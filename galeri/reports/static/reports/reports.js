/* Report charts: read the figures from the JSON block (json_script) and draw them with the vendored
   Chart.js. No inline script (CSP): this file only. Every chart has its table under it. */
(function () {
  "use strict";

  function rupiah(value) {
    var sign = value < 0 ? "-" : "";
    return sign + "Rp " + Math.abs(Math.round(value)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function short(value) {
    var abs = Math.abs(value);
    if (abs >= 1e9) return (value / 1e9).toFixed(1).replace(".", ",") + " M";
    if (abs >= 1e6) return (value / 1e6).toFixed(1).replace(".", ",") + " jt";
    if (abs >= 1e3) return Math.round(value / 1e3) + " rb";
    return String(value);
  }

  var SEA = "#0b4f6c", NUTMEG = "#b07b4f";

  function options(horizontal) {
    var valueAxis = { beginAtZero: true, ticks: { callback: function (v) { return short(v); } } };
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: horizontal ? "y" : "x",
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + rupiah(ctx.parsed[horizontal ? "x" : "y"]); } } }
      },
      scales: horizontal ? { x: valueAxis, y: { ticks: { autoSkip: false } } } : { y: valueAxis, x: { ticks: { maxRotation: 0, autoSkipPadding: 8 } } }
    };
  }

  /* The data as it is: bars, or straight lines between the real points (tension 0: a curve would
     show values between two days that never happened), on an axis that starts at zero. */
  function draw(id, type, block, labels, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas || !block) return;
    if (!block.labels.length) { canvas.parentNode.classList.add("empty-chart"); return; }
    var narrow = window.matchMedia("(max-width: 600px)").matches;
    if (horizontal) canvas.parentNode.classList.add("rows-" + Math.min(20, block.labels.length));
    new window.Chart(canvas, {
      type: type,
      data: {
        labels: block.labels,
        datasets: [
          { label: labels[0], data: block.current, backgroundColor: SEA, borderColor: SEA, pointRadius: narrow ? 0 : 2, tension: 0 },
          { label: labels[1], data: block.previous, backgroundColor: NUTMEG, borderColor: NUTMEG, borderDash: [4, 3], pointRadius: 0, tension: 0 }
        ]
      },
      options: options(horizontal)
    });
  }

  function start() {
    var node = document.getElementById("report-data");
    if (!node || !window.Chart) return;
    var data = JSON.parse(node.textContent);
    var s = data.series;
    var names = [s.currentLabel, s.previousLabel];
    draw("chart-series", s.labels.length > 1 ? "line" : "bar", s, names, false);
    draw("chart-units", "bar", data.units, names, true);
    draw("chart-channels", "bar", data.channels, names, true);
    draw("chart-categories", "bar", data.categories, names, true);
  }

  /* The period picker: show the single date or the custom range, as chosen. */
  function picker() {
    var select = document.getElementById("f-periode");
    if (!select) return;
    function sync() {
      var custom = select.value === "custom";
      document.querySelectorAll("[data-kind]").forEach(function (field) {
        var show = (field.getAttribute("data-kind") === "custom") === custom;
        field.hidden = !show;
        field.querySelectorAll("input").forEach(function (input) { input.disabled = !show; });
      });
    }
    select.addEventListener("change", sync);
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () { picker(); start(); });
})();
