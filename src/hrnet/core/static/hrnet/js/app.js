// Small progressive enhancements; every page works without this file.
// htmx sends the CSRF token from the <meta name="csrf-token"> tag on unsafe requests.
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRFToken"] = meta.content;
  }
});

// Buttons marked data-copy copy the text of the element their value names.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (source && navigator.clipboard) {
    navigator.clipboard.writeText(source.textContent.trim());
    button.setAttribute("aria-pressed", "true");
  }
});

// Forms marked data-confirm ask before they submit (e.g. revoking a token).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// The main menu. Without this script the groups are plain <details> and, on phones, the
// "Menu" link shows the menu as the page's target; with it, that link becomes a button
// (aria-expanded), one group opens at a time, and Escape or a click elsewhere closes it.
(function () {
  const menu = document.getElementById("site-menu");
  const link = document.querySelector("[data-menu-toggle]");
  if (!menu) return;
  const groups = Array.from(menu.querySelectorAll("[data-nav-group]"));

  if (link) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.textContent = link.textContent;
    button.setAttribute("aria-controls", menu.id);
    button.setAttribute("aria-expanded", "false");
    link.replaceWith(button);
    const close = menu.querySelector(".menu-close");
    if (close) close.remove();
    if (window.location.hash === "#" + menu.id) {
      history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    button.addEventListener("click", () => {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    });
    menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.classList.contains("is-open") && !groups.some((g) => g.open)) {
        button.setAttribute("aria-expanded", "false");
        menu.classList.remove("is-open");
        button.focus();
      }
    });
  }

  for (const group of groups) {
    group.addEventListener("toggle", () => {
      if (!group.open) return;
      for (const other of groups) if (other !== group) other.open = false;
    });
    group.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && group.open) {
        event.stopPropagation();
        group.open = false;
        group.querySelector("summary").focus();
      }
    });
  }
  document.addEventListener("click", (event) => {
    for (const group of groups) if (group.open && !group.contains(event.target)) group.open = false;
  });
})();

// Bulk actions on a queue: one box ticks every row of this page (core/partials/bulk_actions.html
// carries the label; without script each row is ticked by hand).
document.addEventListener("DOMContentLoaded", () => {
  for (const bar of document.querySelectorAll(".bulk-actions[data-select-all]")) {
    const form = bar.closest("form") || document.getElementById(bar.dataset.form || "");
    if (!form) continue;
    const rows = () => Array.from(form.elements).filter((el) => el.name === "selected" && el.type === "checkbox");
    if (!rows().length) continue;
    const label = document.createElement("label");
    label.className = "bulk-actions__all";
    const box = document.createElement("input");
    box.type = "checkbox";
    label.append(box, " ", bar.dataset.selectAll);
    bar.prepend(label);
    box.addEventListener("change", () => {
      for (const row of rows()) row.checked = box.checked;
    });
    form.addEventListener("change", (event) => {
      if (event.target === box || event.target.name !== "selected") return;
      const all = rows();
      box.checked = all.every((row) => row.checked);
      box.indeterminate = !box.checked && all.some((row) => row.checked);
    });
  }
});
