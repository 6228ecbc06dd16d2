// Shared assets, written once per site into site/assets/ (never per page, never from a CDN):
//   site.css          the course's CSS + the highlight.js "github" theme
//   site.js           draws the plots, folds the table of contents on phones
//   katex/            katex.min.css (woff2 fonts only: every browser that runs the site reads woff2)
//   plotly.min.js     plotly.js: the cartesian partial bundle when installed and enough, else
//                     plotly.js-dist minified with esbuild at build time (cached in build/.cache/)
import * as fs from "fs";
import * as path from "path";
import { createHash } from "crypto";
import { writeFileAtomic } from "../../lib/files";

const ROOT = path.resolve(__dirname, "../..");
const HERE = path.join(__dirname, "assets");

// The site is written into a fresh folder that is swapped into place when complete (build.ts), so
// its files need no atomic writes of their own; the plotly cache outlives a build and gets one.
function write(file: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}

function resolvePkgFile(spec: string): string {
  try {
    return require.resolve(spec, { paths: [ROOT] });
  } catch {
    throw new Error(`site: cannot find ${spec}; run \`npm install\` in ${ROOT}`);
  }
}

export interface AssetReport { plotlyBundle: string; plotlyMinified: boolean; plotlyNote: string }

/** Trace types in plotly.js's "cartesian" partial bundle (plotly.js-cartesian-dist-min, ~1.4 MB). */
const CARTESIAN_TRACES = new Set([
  "bar", "box", "contour", "heatmap", "histogram", "histogram2d", "histogram2dcontour", "image", "pie", "scatter", "scatterternary", "violin",
]);

export interface Bundle { name: string; code: Buffer; minified: boolean; note: string }

/**
 * The plotly.js the site ships. If every trace type the lessons use is in the cartesian partial bundle
 * and that package is installed, it is used as is (already minified, 1.5 MB instead of 4.8 MB; it drew a
 * first chart about twice as fast in our measurement). Otherwise plotly.js-dist is minified with esbuild once per version (cached under
 * build/.cache), or copied unminified, with a warning, if esbuild is missing.
 */
export async function plotlyBundle(cacheDir: string, traceTypes: Set<string>): Promise<Bundle> {
  if ([...traceTypes].every((t) => CARTESIAN_TRACES.has(t))) {
    try {
      const file = require.resolve("plotly.js-cartesian-dist-min", { paths: [ROOT] });
      return { name: "plotly.js-cartesian-dist-min", code: fs.readFileSync(file), minified: true, note: "prebuilt, minified" };
    } catch {
      // not installed: fall through to the full bundle
    }
  }
  const src = resolvePkgFile("plotly.js-dist/plotly.js");
  const srcBuf = fs.readFileSync(src);
  // ASCII output (non-ASCII escaped) so the file loads right whatever charset a page declares
  const options = { minify: true, legalComments: "eof" as const, target: "es2018", charset: "ascii" as const };
  const key = createHash("sha256").update(srcBuf).update(JSON.stringify(options)).digest("hex").slice(0, 16);
  const cached = path.join(cacheDir, `plotly-${key}.min.js`);
  const name = "plotly.js-dist";
  if (fs.existsSync(cached)) return { name, code: fs.readFileSync(cached), minified: true, note: "minified, cached" };
  let esbuild: typeof import("esbuild");
  try {
    esbuild = require("esbuild");
  } catch {
    console.warn("site: esbuild not found; shipping plotly.js unminified (10 MB). Add esbuild as a devDependency.");
    return { name, code: srcBuf, minified: false, note: "NOT minified: esbuild missing" };
  }
  const t0 = Date.now();
  const out = await esbuild.transform(srcBuf.toString("utf8"), options);
  const code = Buffer.from(out.code, "utf8");
  writeFileAtomic(cached, out.code);
  return { name, code, minified: true, note: `minified in ${((Date.now() - t0) / 1000).toFixed(1)} s` };
}

function katexCss(): string {
  const css = fs.readFileSync(resolvePkgFile("katex/dist/katex.min.css"), "utf8");
  // keep only the woff2 source of each @font-face
  return css.replace(/src:url\((fonts\/[^)]+\.woff2)\) format\("woff2"\)(,url\([^)]+\) format\("[a-z]+"\))*/g, 'src:url($1) format("woff2")');
}

/** The site's CSS: the course's own plus the highlight.js theme. */
export function siteCss(): string {
  const hljsTheme = fs.readFileSync(resolvePkgFile("highlight.js/styles/github.min.css"), "utf8");
  return fs.readFileSync(path.join(HERE, "site.css"), "utf8") + "\n/* highlight.js theme: GitHub */\n" + hljsTheme + "\n";
}

/** The site's script (draws the plots, folds the table of contents). */
export function siteJs(): string {
  return fs.readFileSync(path.join(HERE, "site.js"), "utf8");
}

/** KaTeX's CSS with its woff2 fonts inlined as data: URLs (for a one-file page). */
export function katexCssInline(): string {
  const fontDir = path.dirname(resolvePkgFile("katex/dist/katex.min.css"));
  return katexCss().replace(/url\((fonts\/[^)]+\.woff2)\)/g, (_m, f: string) => `url(data:font/woff2;base64,${fs.readFileSync(path.join(fontDir, f)).toString("base64")})`);
}

/** Writes every shared asset into outDir/assets. */
export async function writeAssets(outDir: string, opts: { traceTypes: Set<string>; withPlotly: boolean; cacheDir: string }): Promise<AssetReport> {
  const dir = path.join(outDir, "assets");
  write(path.join(dir, "site.css"), siteCss());
  write(path.join(dir, "site.js"), siteJs());
  const css = katexCss();
  write(path.join(dir, "katex", "katex.min.css"), css);
  const fontDir = path.dirname(resolvePkgFile("katex/dist/katex.min.css"));
  for (const m of css.matchAll(/url\((fonts\/[^)]+)\)/g)) {
    const to = path.join(dir, "katex", m[1]);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(fontDir, m[1]), to);
  }
  if (!opts.withPlotly) return { plotlyBundle: "none", plotlyMinified: false, plotlyNote: "no plots" };
  const p = await plotlyBundle(opts.cacheDir, opts.traceTypes);
  write(path.join(dir, "plotly.min.js"), p.code);
  return { plotlyBundle: p.name, plotlyMinified: p.minified, plotlyNote: p.note };
}

/** Total bytes of the files under a folder. */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? folderBytes(p) : fs.statSync(p).size;
  }
  return total;
}

