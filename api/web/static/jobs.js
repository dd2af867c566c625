/* Job editor niceties; the form works without them (spare blank rows, type the skill).
   - skill suggestions: fills the shared <datalist> from /ui/skills/suggest as you type;
   - "Add a requirement" clones a blank row; "Remove" takes a row out. */
(function () {
  "use strict";
  var rows = document.getElementById("requirement-rows");
  var options = document.getElementById("skill-options");
  if (!rows || !options) { return; }
  var suggestUrl = rows.getAttribute("data-suggest");
  var timer = null;
  var lastQuery = "";

  function fill(items) {
    options.textContent = "";
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.label;
      options.appendChild(option);
    });
  }

  function suggest(query) {
    if (query === lastQuery) { return; }
    lastQuery = query;
    if (query.length < 2) { fill([]); return; }
    fetch(suggestUrl + "?q=" + encodeURIComponent(query), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (items) { if (query === lastQuery) { fill(items); } })
      .catch(function () { fill([]); });  // suggestions are a help, never a blocker
  }

  rows.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.name || !/-skill$/.test(input.name)) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { suggest(input.value.trim()); }, 200);
  });

  function addRemoveButton(row) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "remove";
    var skill = row.querySelector("input[name$='-skill']");
    button.textContent = "Remove";
    button.setAttribute("aria-label", "Remove requirement " + (skill && skill.value ? skill.value : row.getAttribute("data-row")));
    button.addEventListener("click", function () {
      var next = row.nextElementSibling || row.previousElementSibling;
      row.parentNode.removeChild(row);
      var focus = next && next.querySelector("input");
      (focus || document.getElementById("add-row")).focus();
    });
    row.appendChild(button);
  }

  function nextNumber() {
    var max = -1;
    rows.querySelectorAll(".req-row").forEach(function (row) {
      max = Math.max(max, parseInt(row.getAttribute("data-row"), 10));
    });
    return max + 1;
  }

  function addRow() {
    var template = rows.querySelector(".req-row");
    if (!template) { return; }
    var n = nextNumber();
    var row = template.cloneNode(true);
    row.className = "req-row";
    row.setAttribute("data-row", n);
    row.querySelectorAll(".confirm, .remove, .field-error").forEach(function (el) { el.parentNode.removeChild(el); });
    row.querySelectorAll("[id], [name], [for]").forEach(function (el) {
      ["id", "name", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/^req-\d+-/, "req-" + n + "-")); }
      });
      el.removeAttribute("aria-invalid");
    });
    row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    row.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
    var label = row.querySelector("label[for$='-skill']");
    if (label) { label.textContent = "Skill " + (n + 1); }
    addRemoveButton(row);
    rows.appendChild(row);
    row.querySelector("input").focus();
  }

  rows.querySelectorAll(".req-row").forEach(addRemoveButton);
  var add = document.createElement("button");
  add.type = "button";
  add.id = "add-row";
  add.className = "add-row";
  add.textContent = "Add a requirement";
  add.addEventListener("click", addRow);
  rows.parentNode.appendChild(add);
})();
