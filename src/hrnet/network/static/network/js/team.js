// Team page: a published email is in the page only reversed and base64-encoded (see
// network.team.email_obfuscate); a click on its button turns it into a mailto link.
(function () {
  "use strict";
  function decode(encoded) {
    return atob(encoded).split("").reverse().join("");
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-email]");
    if (!button) {
      return;
    }
    var address = decode(button.getAttribute("data-email"));
    var link = document.createElement("a");
    link.href = "mailto:" + address;
    link.textContent = address;
    button.replaceWith(link);
    link.focus();
  });
})();
