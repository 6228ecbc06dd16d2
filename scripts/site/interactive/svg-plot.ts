// Small SVG charts for the live experiments (issue 12): line/marker plots and heatmaps, drawn as one
// SVG string per redraw. Why not Plotly, which draws the lessons' own figures: a Plotly.react of even
// a ten-point curve took 25-350 ms of main-thread time on the test machine (measured; more under
// load), and live training redraws many times, while the page must never block for 100 ms (the Long
// Tasks test). These charts cost about a millisecond per redraw; they show what a live curve needs
// (axes with round ticks, a log y axis, a legend, a colour scale) and nothing else.
//
// Everything here is pure string building: no DOM, so it is tested in Node like the rest.

export interface Series { name: string; mode: "lines" | "markers" | "lines+markers"; xs: number[]; ys: number[] }

export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** About `count` round tick values (1, 2 or 5 times a power of ten apart) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return ticks;
}

/** A tick label: short, no float noise (0.30000000000000004 -> 0.3), exponent form when tiny or huge. */
export function tickLabel(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(0).replace("e+", "e");
  return String(Number(v.toPrecision(4)));
}

interface Box { left: number; right: number; top: number; bottom: number; width: number; height: number }

/** The plot area's margins in px: room for the y tick labels and axis title on the left, a little on the right. */
const MARGIN_LEFT = 58;
const MARGIN_RIGHT = 12;

function frame(width: number, height: number, legendRows: number): Box {
  const top = 28 + legendRows * 18;
  return { left: MARGIN_LEFT, right: width - MARGIN_RIGHT, top, bottom: height - 40, width, height };
}

/** Where each legend entry goes: left to right, starting a new row when the next would not fit. */
function legendLayout(names: string[], left: number, right: number): { at: { x: number; row: number }[]; rows: number } {
  const at: { x: number; row: number }[] = [];
  let x = left, row = 0;
  for (const name of names) {
    const width = 30 + 6.5 * name.length; // line, gap and text (11 px text is about 6.5 px a character)
    if (x > left && x + width > right) { x = left; row++; }
    at.push({ x, row });
    x += width;
  }
  return { at, rows: row + 1 };
}

function axisTitles(b: Box, title: string, xTitle: string, yTitle: string): string {
  const cx = (b.left + b.right) / 2;
  const cy = (b.top + b.bottom) / 2;
  return `<text x="${cx}" y="18" text-anchor="middle" font-size="14" font-weight="600">${escapeXml(title)}</text>` +
    `<text x="${cx}" y="${b.height - 6}" text-anchor="middle" font-size="12">${escapeXml(xTitle)}</text>` +
    `<text transform="translate(14 ${cy}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(yTitle)}</text>`;
}

/**
 * A line/marker chart as SVG markup. logY plots log10(y) with ticks at powers of ten (points with
 * y <= 0 are left out). Axis ranges fit the data.
 */
export function lineChartSvg(o: { width: number; height: number; title: string; xTitle: string; yTitle: string; logY?: boolean; series: Series[] }): string {
  const showLegend = o.series.length > 1;
  // The legend wraps onto more rows when one row would run past the plot's right edge (a phone).
  const legend = showLegend ? legendLayout(o.series.map((s) => s.name), MARGIN_LEFT, o.width - MARGIN_RIGHT) : { at: [], rows: 0 };
  const b = frame(o.width, o.height, legend.rows);
  const ty = (y: number) => (o.logY ? Math.log10(y) : y);
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const s of o.series) {
    for (let i = 0; i < s.xs.length; i++) {
      const x = s.xs[i], y = s.ys[i];
      if (!Number.isFinite(x) || !Number.isFinite(y) || (o.logY && y <= 0)) continue;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x);
      y0 = Math.min(y0, ty(y)); y1 = Math.max(y1, ty(y));
    }
  }
  const empty = x0 > x1;
  if (empty) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  if (y0 === y1) { const d = Math.abs(y0) * 0.1 || 1; y0 -= d; y1 += d; }
  const pad = (y1 - y0) * 0.05;
  y0 -= pad; y1 += pad;
  const px = (x: number) => b.left + ((x - x0) / (x1 - x0)) * (b.right - b.left);
  const py = (v: number) => b.bottom - ((v - y0) / (y1 - y0)) * (b.bottom - b.top);
  const parts: string[] = [];
  // grid and ticks
  const xt = niceTicks(x0, x1, Math.max(2, Math.floor((b.right - b.left) / 70)));
  const yt = o.logY ? niceTicks(Math.ceil(y0), Math.floor(y1), 5).filter((k) => Number.isInteger(k)) : niceTicks(y0, y1, 5);
  for (const t of xt) parts.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${b.top}" y2="${b.bottom}" stroke="#eee"/><text x="${px(t)}" y="${b.bottom + 16}" text-anchor="middle" font-size="11">${tickLabel(t)}</text>`);
  for (const t of yt) {
    const label = o.logY ? tickLabel(Math.pow(10, t)) : tickLabel(t);
    parts.push(`<line x1="${b.left}" x2="${b.right}" y1="${py(t)}" y2="${py(t)}" stroke="#eee"/><text x="${b.left - 6}" y="${py(t) + 4}" text-anchor="end" font-size="11">${label}</text>`);
  }
  parts.push(`<rect x="${b.left}" y="${b.top}" width="${b.right - b.left}" height="${b.bottom - b.top}" fill="none" stroke="#999"/>`);
  // series
  o.series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    const pts: string[] = [];
    const dots: string[] = [];
    let segment: string[] = [];
    const flush = () => { if (segment.length > 1) pts.push(segment.join(" ")); segment = []; };
    for (let i = 0; i < s.xs.length; i++) {
      const x = s.xs[i], y = s.ys[i];
      if (!Number.isFinite(x) || !Number.isFinite(y) || (o.logY && y <= 0)) { flush(); continue; }
      const p = `${px(x).toFixed(1)},${py(ty(y)).toFixed(1)}`;
      segment.push(p);
      if (s.mode !== "lines" && s.xs.length <= 400) dots.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(ty(y)).toFixed(1)}" r="3" fill="${color}"/>`);
    }
    flush();
    if (s.mode !== "markers") for (const line of pts) parts.push(`<polyline points="${line}" fill="none" stroke="${color}" stroke-width="2"/>`);
    parts.push(...dots);
  });
  o.series.forEach((s, k) => {
    if (!showLegend) return;
    const color = PALETTE[k % PALETTE.length];
    const { x, row } = legend.at[k];
    const y = b.top - 10 - (legend.rows - 1 - row) * 18;
    parts.push(`<line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="3"/><text x="${x + 22}" y="${y + 4}" font-size="11">${escapeXml(s.name)}</text>`);
  });
  if (empty) parts.push(`<text x="${(b.left + b.right) / 2}" y="${(b.top + b.bottom) / 2}" text-anchor="middle" font-size="12" fill="#777">no data yet</text>`);
  return svg(o.width, o.height, axisTitles(b, o.title, o.xTitle, o.yTitle) + parts.join(""));
}

/** Diverging colour for t in [-1, 1]: blue (negative), white (0), red (positive). */
export function divergingColor(t: number): string {
  const c = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * Math.abs(c));
  return c < 0 ? `rgb(${mix(255, 33)},${mix(255, 102)},${mix(255, 172)})` : `rgb(${mix(255, 178)},${mix(255, 24)},${mix(255, 43)})`;
}

/** A heatmap of z[row][column] as SVG markup, coloured around 0 (scale ±max|z|), with a colour key. */
export function heatmapSvg(o: { width: number; height: number; title: string; xTitle: string; yTitle: string; z: number[][]; x?: (number | string)[]; y?: (number | string)[] }): string {
  const b = frame(o.width, o.height, 0);
  b.right -= 46; // room for the colour key
  const rows = o.z.length;
  const cols = rows ? Math.max(...o.z.map((r) => r.length)) : 0;
  const parts: string[] = [];
  let zmax = 0;
  for (const r of o.z) for (const v of r) if (Number.isFinite(v)) zmax = Math.max(zmax, Math.abs(v));
  if (rows && cols) {
    const cw = (b.right - b.left) / cols, ch = (b.bottom - b.top) / rows;
    o.z.forEach((r, i) => r.forEach((v, j) => {
      parts.push(`<rect x="${(b.left + j * cw).toFixed(1)}" y="${(b.top + i * ch).toFixed(1)}" width="${(cw + 0.5).toFixed(1)}" height="${(ch + 0.5).toFixed(1)}" fill="${divergingColor(zmax ? v / zmax : 0)}"/>`);
    }));
    const everyX = Math.max(1, Math.ceil(cols / Math.max(1, Math.floor((b.right - b.left) / 40))));
    for (let j = 0; j < cols; j += everyX) {
      const label = o.x ? String(o.x[j] ?? j) : String(j);
      parts.push(`<text x="${(b.left + (j + 0.5) * cw).toFixed(1)}" y="${b.bottom + 16}" text-anchor="middle" font-size="11">${escapeXml(label)}</text>`);
    }
    const everyY = Math.max(1, Math.ceil(rows / Math.max(1, Math.floor((b.bottom - b.top) / 16))));
    for (let i = 0; i < rows; i += everyY) {
      const label = o.y ? String(o.y[i] ?? i) : String(i);
      parts.push(`<text x="${b.left - 6}" y="${(b.top + (i + 0.5) * ch + 4).toFixed(1)}" text-anchor="end" font-size="11">${escapeXml(label)}</text>`);
    }
  } else {
    parts.push(`<text x="${(b.left + b.right) / 2}" y="${(b.top + b.bottom) / 2}" text-anchor="middle" font-size="12" fill="#777">no data yet</text>`);
  }
  parts.push(`<rect x="${b.left}" y="${b.top}" width="${b.right - b.left}" height="${b.bottom - b.top}" fill="none" stroke="#999"/>`);
  // colour key: -max .. 0 .. +max
  const kx = b.right + 14, steps = 20, kh = (b.bottom - b.top) / steps;
  for (let s = 0; s < steps; s++) parts.push(`<rect x="${kx}" y="${(b.top + s * kh).toFixed(1)}" width="12" height="${(kh + 0.5).toFixed(1)}" fill="${divergingColor(1 - (2 * (s + 0.5)) / steps)}"/>`);
  parts.push(`<text x="${kx + 6}" y="${b.top - 4}" text-anchor="middle" font-size="10">${tickLabel(zmax)}</text><text x="${kx + 6}" y="${b.bottom + 12}" text-anchor="middle" font-size="10">${tickLabel(-zmax)}</text>`);
  return svg(o.width, o.height, axisTitles(b, o.title, o.xTitle, o.yTitle) + parts.join(""));
}

function svg(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" fill="#1f2328" aria-hidden="true">${body}</svg>`;
}
