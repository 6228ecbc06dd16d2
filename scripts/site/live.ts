// The live experiments on the lesson pages (issue 12), the site builder's side: the <section
// class="live"> placed before the lesson's "Exercises" heading (or at the end of the lesson), its
// table-of-contents entry, and the scripts a page with an experiment loads. The browser side is
// scripts/site/interactive/ (bundled by interactive/bundle.ts).
import * as fs from "fs";
import * as path from "path";
import { escapeHtml, type TocEntry } from "./markdown";
import type { LiveExperimentInfo } from "./interactive/bundle";

/** The section's id (and the TOC's link target); unique: lesson headings never slugify to it. */
export const LIVE_ID = "live";
const EXERCISES = /<h2 id="exercises"[ >]/;

/** Scripts of a page with an experiment, in order (defer keeps it): the worker's source, then the page runtime. */
export const LIVE_SCRIPTS = ["assets/live-worker.js", "assets/live.js"];

/**
 * The section. Without JavaScript (or before live.js runs) it holds one sentence saying so; live.js
 * replaces it with the controls. `exported`: a one-file page (npm run export) is not interactive
 * and says where the experiment runs instead.
 */
export function liveSectionHtml(exp: LiveExperimentInfo, exported = false): string {
  const text = exported
    ? "This lesson has a live experiment on the course site (<code>npm run site</code>, then open <code>site/index.html</code>); this one-file copy of the lesson does not run it."
    : "This live experiment runs in the page and needs JavaScript, which is off or blocked here; the rest of the lesson reads without it.";
  return `<section class="live" id="${LIVE_ID}" data-experiment="${escapeHtml(exp.lesson)}" aria-labelledby="${LIVE_ID}-title">
<h2 id="${LIVE_ID}-title">Try it live: ${escapeHtml(exp.title)}</h2>
<div class="live-body"><p class="live-nojs">${text}</p></div>
</section>`;
}

/** The lesson body and TOC with the section inserted before "Exercises" (or at the end). */
export function insertLiveSection(bodyHtml: string, toc: TocEntry[], exp: LiveExperimentInfo, exported = false): { bodyHtml: string; toc: TocEntry[] } {
  if (bodyHtml.includes(`id="${LIVE_ID}"`) || bodyHtml.includes(`id="${LIVE_ID}-title"`)) {
    throw new Error(`site: lesson ${exp.lesson} already has an element with id "${LIVE_ID}"; the live experiment's section needs that id`);
  }
  const section = liveSectionHtml(exp, exported);
  const entry: TocEntry = { level: 2, id: LIVE_ID, html: `Try it live: ${escapeHtml(exp.title)}` };
  const at = bodyHtml.search(EXERCISES);
  const ex = toc.findIndex((t) => t.id === "exercises");
  return {
    bodyHtml: at < 0 ? `${bodyHtml}\n${section}` : `${bodyHtml.slice(0, at)}${section}\n${bodyHtml.slice(at)}`,
    toc: ex < 0 || at < 0 ? [...toc, entry] : [...toc.slice(0, ex), entry, ...toc.slice(ex)],
  };
}

export interface LiveAssetStat { name: string; bytes: number }

/** Writes the live assets into outDir/assets; returns their sizes. */
export function writeLiveAssets(outDir: string, assets: { name: string; code: string }[]): LiveAssetStat[] {
  const dir = path.join(outDir, "assets");
  fs.mkdirSync(dir, { recursive: true });
  return assets.map((a) => {
    fs.writeFileSync(path.join(dir, a.name), a.code);
    return { name: a.name, bytes: Buffer.byteLength(a.code) };
  });
}
