// Lesson pages: draw every plotly figure of the page, and fold the table of contents on narrow screens.
// Loaded with `defer` after assets/plotly.min.js, so window.Plotly is ready when this runs.
(function () {
  "use strict";
  var toc = document.querySelector(".toc details");
  if (toc && window.matchMedia("(max-width: 60rem)").matches) toc.open = false;

  var plots = Array.prototype.slice.call(document.querySelectorAll(".rnn-plot"));
  if (!plots.length) return;
  function fail(el, message) {
    el.innerHTML = "";
    var p = document.createElement("p");
    p.className = "plot-msg plot-error";
    p.textContent = message;
    el.appendChild(p);
    console.error(message);
  }
  if (!window.Plotly) {
    plots.forEach(function (el) { fail(el, "This chart cannot be drawn: assets/plotly.min.js did not load."); });
    document.documentElement.setAttribute("data-plots-drawn", String(plots.length));
    return;
  }
  // One plot per task, first on the page first, so text stays responsive while charts appear.
  var i = 0;
  function drawNext() {
    if (i >= plots.length) {
      document.documentElement.setAttribute("data-plots-drawn", String(plots.length));
      return;
    }
    var el = plots[i++];
    var fig;
    try {
      fig = JSON.parse(el.parentNode.querySelector("script.rnn-plot-figure").textContent);
    } catch (e) {
      fail(el, "This chart cannot be drawn: its figure data is unreadable (" + e.message + ").");
      return setTimeout(drawNext, 0);
    }
    el.innerHTML = "";
    var layout = fig.layout || {};
    var config = Object.assign({}, fig.config || {});
    // On a phone: a legend at the right squeezes the chart to a sliver, so it goes under the chart,
    // below the x axis title (only when the figure did not place the legend itself); the modebar
    // (hover-only, and over the title on a narrow chart) is left out; long titles get a smaller font.
    if (el.clientWidth < 600) {
      var legend = layout.legend || {};
      var margin = layout.margin || {};
      layout = Object.assign({}, layout);
      if (legend.x === undefined && legend.y === undefined && legend.orientation === undefined) {
        layout.legend = Object.assign({}, legend, { orientation: "h", x: 0, xanchor: "left", xref: "container", y: 0, yanchor: "bottom", yref: "container" });
        var rows = Math.ceil(fig.data.filter(function (t) { return t.showlegend !== false && t.name; }).length / 2);
        layout.margin = Object.assign({}, margin, { b: (margin.b || 50) + 24 * Math.max(rows, 1) + 8 });
        layout.height = (layout.height || 360) + 24 * Math.max(rows, 1);
      }
      if (layout.title && typeof layout.title === "object") {
        layout.title = Object.assign({}, layout.title, { font: Object.assign({ size: 14 }, layout.title.font || {}) });
      }
      config.displayModeBar = false;
    }
    window.Plotly.newPlot(el, fig.data, layout, config).then(
      function () {
        el.setAttribute("data-drawn", "1");
        if (i === 1 && window.performance && performance.mark) performance.mark("rnn-first-plot");
        setTimeout(drawNext, 0);
      },
      function (e) { fail(el, "This chart cannot be drawn: " + (e && e.message || e)); setTimeout(drawNext, 0); }
    );
  }
  drawNext();

  // Printing: size charts to the paper's text width, then back to the screen's.
  function printWidth(on) {
    plots.forEach(function (el) {
      if (el.getAttribute("data-drawn")) window.Plotly.relayout(el, { width: on ? 640 : null, autosize: !on });
    });
  }
  window.addEventListener("beforeprint", function () { printWidth(true); });
  window.addEventListener("afterprint", function () { printWidth(false); });
})();
