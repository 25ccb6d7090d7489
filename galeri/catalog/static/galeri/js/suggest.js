// Suggestions while typing in the search box: the gallery's words and product names, offered
// through the input's <datalist>. Without JavaScript the search works the same, minus the list.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch) return;
  var list = document.getElementById(input.getAttribute("list"));
  var timer = null;
  var last = "";
  function fill(words) {
    while (list.firstChild) list.removeChild(list.firstChild);
    words.forEach(function (word) {
      var option = document.createElement("option");
      option.value = word;
      list.appendChild(option);
    });
  }
  function ask() {
    var q = input.value.trim();
    if (q.length < 2 || q === last) return;
    last = q;
    fetch(input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { saran: [] }; })
      .then(function (data) { if (input.value.trim() === q) fill(data.saran || []); })
      .catch(function () { /* no suggestions: typing and searching still work */ });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
})();
