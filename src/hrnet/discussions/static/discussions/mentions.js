/* @name suggestions under a discussion text box: typing "@ai" lists the members whose
   mention name or name starts so (GET the form's data-mention-url ?q=, JSON
   [{"handle", "name"}]); choosing one writes "@handle " in place. Without this file
   people write the @name themselves. No dependencies, no inline script (CSP). */
(function () {
  "use strict";
  var TOKEN = /(^|[^\w@./])@([a-z0-9][a-z0-9._-]{0,58})$/i;

  function setUp(form) {
    var url = form.getAttribute("data-mention-url");
    var box = form.querySelector("textarea[name=body]");
    if (!url || !box || !window.fetch) return;
    var list = document.createElement("ul");
    list.className = "discussion-mentions";
    list.setAttribute("aria-label", form.getAttribute("data-mention-label") || "");
    list.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", list);
    var timer = null;
    var asked = "";

    function clear() {
      list.textContent = "";
    }

    function current() {
      var before = box.value.slice(0, box.selectionStart);
      var match = before.match(TOKEN);
      return match ? match[2] : null;
    }

    function choose(handle) {
      var start = box.selectionStart;
      var before = box.value.slice(0, start);
      var match = before.match(TOKEN);
      if (!match) return;
      var at = start - match[2].length;
      box.value = box.value.slice(0, at) + handle + " " + box.value.slice(start);
      var caret = at + handle.length + 1;
      box.focus();
      box.setSelectionRange(caret, caret);
      clear();
    }

    function show(people) {
      clear();
      people.slice(0, 8).forEach(function (person) {
        if (!person || typeof person.handle !== "string") return;
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = "@" + person.handle + (person.name ? " · " + person.name : "");
        button.addEventListener("click", function () {
          choose(person.handle);
        });
        item.appendChild(button);
        list.appendChild(item);
      });
    }

    function ask() {
      var query = current();
      if (query === null || query.length < 2) {
        clear();
        asked = "";
        return;
      }
      if (query === asked) return;
      asked = query;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (people) {
          if (asked === query) show(Array.isArray(people) ? people : []);
        })
        .catch(clear);
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") clear();
      if (event.key === "ArrowDown" && list.firstChild) {
        event.preventDefault();
        list.querySelector("button").focus();
      }
    });
    list.addEventListener("keydown", function (event) {
      var item = event.target.closest("li");
      if (!item) return;
      if (event.key === "ArrowDown" && item.nextSibling) {
        event.preventDefault();
        item.nextSibling.querySelector("button").focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (item.previousSibling) item.previousSibling.querySelector("button").focus();
        else box.focus();
      } else if (event.key === "Escape") {
        clear();
        box.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-mention-url]").forEach(setUp);
  });
})();
