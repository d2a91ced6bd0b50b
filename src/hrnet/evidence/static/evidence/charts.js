// Downloads of the dashboards' inline SVG charts as SVG or PNG. The charts, their data
// tables and the CSV links work without this file; it only reveals the two buttons.
(() => {
  "use strict";

  function serialise(svg) {
    const clone = svg.cloneNode(true);
    const box = svg.viewBox.baseVal;
    clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    clone.setAttribute("width", String(box.width));
    clone.setAttribute("height", String(box.height));
    return new XMLSerializer().serializeToString(clone);
  }

  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function savePng(svg, text, name) {
    const box = svg.viewBox.baseVal;
    const scale = 2;
    const image = new Image();
    image.addEventListener("load", () => {
      const canvas = document.createElement("canvas");
      canvas.width = box.width * scale;
      canvas.height = box.height * scale;
      const context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => {
        if (blob) save(blob, name);
      }, "image/png");
    });
    // A data: URL, which the Content-Security-Policy allows for images (blob: it does not).
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }

  function reveal(root) {
    root.querySelectorAll("[data-chart-download]").forEach((button) => {
      button.hidden = false;
    });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-chart-download]");
    if (!button) return;
    const figure = button.closest("[data-chart]");
    const svg = figure && figure.querySelector("svg");
    if (!svg) return;
    const text = serialise(svg);
    const name = figure.dataset.chart;
    if (button.dataset.chartDownload === "svg") {
      save(new Blob([text], { type: "image/svg+xml" }), name + ".svg");
    } else {
      savePng(svg, text, name + ".png");
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => reveal(document));
  } else {
    reveal(document);
  }
  document.addEventListener("htmx:afterSwap", (event) => reveal(event.target));
})();
