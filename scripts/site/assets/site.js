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
  // Breaks a title into lines of at most n characters, at spaces (existing <br> kept).
  function wrap(text, n) {
    return text.split(/<br\s*\/?>/i).map(function (line) {
      var out = [], cur = "";
      line.split(" ").forEach(function (w) {
        if (cur && (cur + " " + w).replace(/<[^>]*>/g, "").length > n) { out.push(cur); cur = w; } else cur = cur ? cur + " " + w : w;
      });
      out.push(cur);
      return out.join("<br>");
    }).join("<br>");
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
    // A title longer than the chart is wide wraps onto more lines (plotly does not wrap titles).
    var narrow = el.clientWidth < 600;
    if (layout.title && typeof layout.title === "object" && typeof layout.title.text === "string") {
      var size = (layout.title.font && layout.title.font.size) || (narrow ? 14 : 17);
      var perLine = Math.max(16, Math.floor((el.clientWidth - 24) / (0.56 * size)));
      layout = Object.assign({}, layout, { title: Object.assign({}, layout.title, { text: wrap(layout.title.text, perLine), font: Object.assign({ size: size }, layout.title.font || {}) }) });
    }
    // A legend placed inside the plot area would sit over the data: it goes outside (right, or below on a phone).
    var lg = layout.legend;
    if (lg && typeof lg.x === "number" && typeof lg.y === "number" && lg.x > 0 && lg.x < 1 && lg.y > 0 && lg.y < 1 && lg.xref !== "container") {
      var outside = {};
      Object.keys(lg).forEach(function (k) { if (!/^(x|y|xanchor|yanchor)$/.test(k)) outside[k] = lg[k]; });
      layout = Object.assign({}, layout, { legend: outside });
    }
    if (narrow) {
      var legend = layout.legend || {};
      var margin = layout.margin || {};
      layout = Object.assign({}, layout);
      var inLegend = fig.data.filter(function (t) { return t.showlegend !== false; }).length;
      var hasLegend = layout.showlegend === true || (layout.showlegend !== false && inLegend > 1);
      if (hasLegend && legend.x === undefined && legend.y === undefined && legend.orientation === undefined) {
        layout.legend = Object.assign({}, legend, { orientation: "h", x: 0, xanchor: "left", xref: "container", y: 0, yanchor: "bottom", yref: "container" });
        // worst case one entry per row (long names), about 20 px each
        layout.margin = Object.assign({}, margin, { b: (margin.b || 50) + 20 * inLegend + 8 });
        layout.height = (layout.height || 360) + 20 * inLegend;
      }
      // Charts side by side (a one-row grid) are too narrow to read on a phone: stack them.
      var grid = layout.grid;
      if (grid && grid.rows === 1 && grid.columns > 1) {
        layout.grid = Object.assign({}, grid, { rows: grid.columns, columns: 1, ygap: 0.35 });
        layout.height = (layout.height || 360) + 260 * (grid.columns - 1);
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
