/* The index's filter: rows whose text holds the query stay. */
(function () {
  "use strict";
  var input = document.getElementById("index:filter");
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.issues tbody tr"));
  var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
  input.addEventListener("input", function () {
    var query = input.value.trim().toLowerCase();
    rows.forEach(function (row, i) { row.classList.toggle("hidden", query !== "" && texts[i].indexOf(query) < 0); });
  });
}());
