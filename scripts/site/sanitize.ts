// The site builder is safe on untrusted notebooks (a contributor's pull request): every piece of HTML
// that comes from a notebook (raw HTML in Markdown, text/html and text/markdown outputs, image/svg+xml
// outputs) goes through sanitize-html with the allow-list below, and every page carries a
// Content-Security-Policy that runs only the site's own script files (page.ts). HTML the builder makes
// itself (KaTeX, highlight.js, the plot boxes) is trusted and added after sanitising.
//
// Kept: what the course's Markdown and outputs use: text formatting, headings, lists, links, tables,
// details/summary, images (relative or data: URLs only, so a page never asks the network), and
// inline SVG figures. Gone: scripts, event handlers, style attributes and <style>, forms, iframes,
// objects, javascript: and other URL schemes, external images, and the site's own class names (so
// notebook HTML cannot pose as a plot box that site.js would try to draw).
import sanitizeHtml from "sanitize-html";

// SVG names as SVG spells them (an SVG file is XML: case matters); lower-cased for HTML.
const SVG_TAGS = [
  "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "title", "desc",
  "defs", "marker", "linearGradient", "radialGradient", "stop", "clipPath",
];
const SVG_ATTRS = [
  "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "d", "points", "dx", "dy",
  "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray", "stroke-linecap",
  "stroke-linejoin", "opacity", "transform", "text-anchor", "dominant-baseline", "font-size", "font-family", "font-weight",
  "font-style", "marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight", "refX", "refY", "orient",
  "markerUnits", "offset", "stop-color", "stop-opacity", "gradientUnits", "clip-path", "preserveAspectRatio", "xmlns",
  "role", "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden", "focusable",
];

function lower(names: string[]): string[] {
  return names.map((n) => n.toLowerCase());
}

// A URL inside an attribute value (fill="url(#g)") may only point inside the page.
const LOCAL_URL_ONLY = /url\s*\(\s*(?!['"]?#)/i;
// Class names the site's own scripts and styles give meaning to.
const SITE_CLASS = /^(rnn-|plot|katex|math|cell|output|solution|toc|pager|site-)/;

/**
 * The element that stands for a piece of the builder's own HTML (a formula) while notebook HTML is
 * sanitised; see markdown.ts. It is the only custom element the sanitiser keeps.
 */
export const TRUSTED_TAG = "rnn-trusted";

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [TRUSTED_TAG, 
    ...sanitizeHtml.defaults.allowedTags, "img", "details", "summary", "del", "ins", "center", "font", "picture", ...lower(SVG_TAGS),
  ],
  allowedAttributes: {
    "*": ["id", "title", "lang", "dir", "class", "align", "aria-label", "aria-hidden", "role"],
    a: ["href", "name", "rel"],
    img: ["src", "alt", "width", "height", "loading"],
    td: ["colspan", "rowspan", "valign"],
    th: ["colspan", "rowspan", "valign", "scope"],
    col: ["span", "width"],
    colgroup: ["span"],
    ol: ["start", "type", "reversed"],
    li: ["value"],
    details: ["open"],
    [TRUSTED_TAG]: ["data-k", "data-i"],
    font: ["color", "size"],
    ...Object.fromEntries(lower(SVG_TAGS).map((t) => [t, lower(SVG_ATTRS)])),
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["data"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  // whatever is inside a dropped <script>/<style>/... is dropped with it, not shown as text
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "template", "iframe", "object"],
  // <path/> in inline SVG closes itself (instead of swallowing its siblings)
  parser: { recognizeSelfClosing: true },
  transformTags: {
    "*": (tagName, attribs) => {
      const kept: Record<string, string> = {};
      for (const [k, v] of Object.entries(attribs)) {
        if (LOCAL_URL_ONLY.test(v)) continue;
        if (k === "class") {
          const cls = v.split(/\s+/).filter((c) => c && !SITE_CLASS.test(c)).join(" ");
          if (cls) kept.class = cls;
          continue;
        }
        kept[k] = v;
      }
      // images only as data: URLs (attachments): the site has no other image files, and an http image
      // would be a network request
      if (tagName === "img" && kept.src && !/^data:image\/(png|jpeg|gif|webp|svg\+xml)[;,]/i.test(kept.src)) delete kept.src;
      if (tagName === "a" && kept.href) kept.rel = "noopener noreferrer";
      return { tagName, attribs: kept };
    },
  },
};

/** Notebook HTML made safe to place in a page (see the top of this file). */
export function sanitize(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

// An image/svg+xml output is shown as an <img> (an SVG image runs no script and loads nothing), from
// this cleaned copy: SVG elements only, with their own case, and their own <style> (harmless there).
const SVG_IMAGE_OPTIONS: sanitizeHtml.IOptions = {
  ...OPTIONS,
  allowedTags: [...SVG_TAGS, "style"],
  allowedAttributes: Object.fromEntries(SVG_TAGS.map((t) => [t, [...SVG_ATTRS, "class", "id", "style"]])),
  allowVulnerableTags: true, // <style>: allowed on purpose, see above
  nonTextTags: ["script", "textarea", "option", "noscript", "template", "iframe", "object"],
  parser: { lowerCaseTags: false, lowerCaseAttributeNames: false, recognizeSelfClosing: true },
};

const decodeText = (s: string) =>
  s.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();

/** An image/svg+xml output made safe, with its <title> (else its <desc>) as plain text for alt text. */
export function sanitizeSvg(svg: string): { svg: string; alt: string } {
  const start = svg.search(/<svg[\s>]/i);
  let clean = sanitizeHtml(start >= 0 ? svg.slice(start) : svg, SVG_IMAGE_OPTIONS);
  // an SVG file needs its namespace to be drawn as an image
  if (!/^<svg[^>]*\sxmlns=/.test(clean)) clean = clean.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
  const text = (tag: string) => {
    const m = new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, "i").exec(clean);
    return m ? decodeText(m[1]) : "";
  };
  return { svg: clean, alt: text("title") || text("desc") };
}
