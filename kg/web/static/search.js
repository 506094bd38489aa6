// Suggestions under the search box, from /autocomplete, as links to the entities' pages.
// The form works without this script: it only adds the list while the reader types.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autocomplete]");
  if (!form || !window.fetch) { return; }
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector(".suggestions");
  var endpoint = form.getAttribute("data-autocomplete");
  var language = document.documentElement.lang || "en";
  var pages = form.getAttribute("data-pages");
  var timer = null;
  var asked = 0;

  function show(results) {
    list.textContent = "";
    results.forEach(function (r) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = (r.url || pages + r.id) + (form.querySelector("input[name=lang]") ? "?lang=" + language : "");
      link.textContent = r.label;
      item.appendChild(link);
      if (r.description) {
        var note = document.createElement("small");
        note.textContent = r.description;
        item.appendChild(note);
      }
      list.appendChild(item);
    });
  }

  function ask() {
    var text = input.value.trim();
    if (text.length < 2) { show([]); return; }
    var mine = ++asked;
    var url = endpoint + "?q=" + encodeURIComponent(text) + "&lang=" + encodeURIComponent(language) + "&limit=8";
    fetch(url, { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (body) { if (mine === asked) { show(body.results || []); } })
      .catch(function () { show([]); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { show([]); }
  });
})();
