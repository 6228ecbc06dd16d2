// The site test's layout check (issue 10, items 13 and 14), run inside a page by test/site.test.ts:
// page.evaluate(`(${LAYOUT_CHECK})()`) returns a list of problems, [] when the page is fine.
// plain JavaScript (run in the page as text, so no TypeScript and no bundler helpers)
export const LAYOUT_CHECK = `function layoutCheck() {
    const problems = [];
    const vw = document.documentElement.clientWidth;
    const name = (el) => {
      const t = (el.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 50);
      return \`<\${el.tagName.toLowerCase()}\${el.id ? "#" + el.id : ""}\${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : ""}> "\${t}"\`;
    };
    const overflowX = new Map();
    const ox = (el) => {
      let v = overflowX.get(el);
      if (v === undefined) { v = getComputedStyle(el).overflowX; overflowX.set(el, v); }
      return v;
    };
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      // inside .rnn-plot: plotly's drawing, checked below; inside an <svg>: clipped to its viewport by design
      if (el.closest(".rnn-plot, .katex-mathml, script, style, #js-plotly-tester") || el.ownerSVGElement) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      let a = el.parentElement;
      while (a && a !== document.body && ox(a) === "visible") a = a.parentElement;
      if (a && a !== document.body) {
        if (ox(a) === "auto" || ox(a) === "scroll") continue; // reachable by scrolling its box
        const c = a.getBoundingClientRect();
        if (r.right > c.right + 1 || r.left < c.left - 1) problems.push(\`\${name(el)} is cut off by \${name(a)}\`);
      } else if (r.right > vw + 1 || r.left < -1) problems.push(\`\${name(el)} reaches \${Math.round(r.left)}..\${Math.round(r.right)} px, outside the \${vw} px viewport\`);
    }
    const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    for (const plot of Array.from(document.querySelectorAll(".rnn-plot"))) {
      const svg = plot.querySelector(".main-svg");
      if (!svg) continue;
      const s = svg.getBoundingClientRect();
      if (s.left < -1 || s.right > vw + 1) problems.push(\`plot \${plot.id} spans \${Math.round(s.left)}..\${Math.round(s.right)} px, outside the \${vw} px viewport\`);
      const areas = Array.from(plot.querySelectorAll(".nsewdrag")).map((e) => e.getBoundingClientRect());
      for (const lg of Array.from(plot.querySelectorAll(".legend .bg"))) {
        const l = lg.getBoundingClientRect();
        if (l.width > 0 && areas.some((a) => overlap(a, l))) problems.push(\`plot \${plot.id}: the legend covers the plot area\`);
      }
      const title = plot.querySelector(".g-gtitle text");
      const mb = plot.querySelector(".modebar");
      if (title) {
        const t = title.getBoundingClientRect();
        if (mb && mb.getBoundingClientRect().width > 0 && overlap(t, mb.getBoundingClientRect())) problems.push(\`plot \${plot.id}: the modebar covers the title\`);
        if (t.width > 0 && (t.left < s.left - 1 || t.right > s.right + 1)) problems.push(\`plot \${plot.id}: the title is wider than the plot\`);
      }
    }
    return problems;
}`;
