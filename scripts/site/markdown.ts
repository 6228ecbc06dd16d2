// Markdown for the lesson site: markdown-it (CommonMark + tables), KaTeX math rendered at build time,
// highlight.js for fenced code, heading ids for the table of contents, links to other notebooks
// rewritten to their pages.
//
// Math follows Jupyter's rules as far as authors notice them: `$…$` inline, `$$…$$` display (inline in
// a paragraph or as its own block), and a bare `\begin{align}…\end{align}` block. Math is cut out
// before Markdown sees it, so `_` and `*` inside a formula are never emphasis. A `$` opens inline
// math only when the next character is not a space, and closes it only when the previous character is
// not a space and the next is not a digit (so "$5 and $6" stays text); `\$` is a literal dollar.
// As in MathJax, an inline formula never contains an unescaped `$`.
// KaTeX parse errors are collected in env.mathErrors: the builder fails and names notebook and cell.
//
// Raw HTML is allowed in Markdown, and the rendered HTML is sanitised (sanitize.ts). Formulas are the
// builder's own HTML (KaTeX's inline styles and MathML would not survive the sanitiser): each is kept
// aside in env.trusted, stands in the HTML as a placeholder element carrying a per-process random key
// (so a notebook cannot forge one), and is put back after sanitising (safeHtml).
import MarkdownIt from "markdown-it";
import katex from "katex";
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import bash from "highlight.js/lib/languages/bash";
import plaintext from "highlight.js/lib/languages/plaintext";
import { randomBytes } from "crypto";
import { sanitize, TRUSTED_TAG } from "./sanitize";

type StateInline = MarkdownIt.StateInline;
type StateBlock = MarkdownIt.StateBlock;
type Token = MarkdownIt.Token;
type Md = InstanceType<typeof MarkdownIt>;

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("javascript", javascript);
hljs.registerLanguage("json", json);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("plaintext", plaintext);

export interface TocEntry { level: number; id: string; html: string }
export interface MathError { tex: string; message: string }

/** Per-page state shared by every Markdown cell of that page. */
export interface MdEnv {
  [key: string | symbol]: unknown; // markdown-it's Env type
  slugs: Set<string>;
  toc: TocEntry[];
  mathErrors: MathError[];
  mathCount: number;
  /** Cell attachments (name -> mime -> base64), for `![](attachment:name)`. */
  attachments?: Record<string, Record<string, unknown>>;
  /** Rewrites a relative link (e.g. "02-forward.ipynb#x" -> "02-forward.html#x"); null removes it. */
  rewriteLink?: (href: string) => string | null;
  /** The builder's own HTML fragments (formulas) waiting to replace their placeholders. */
  trusted: string[];
}

export function newEnv(rewriteLink?: (href: string) => string | null): MdEnv {
  return { slugs: new Set(), toc: [], mathErrors: [], mathCount: 0, rewriteLink, trusted: [] };
}

const TRUST_KEY = randomBytes(8).toString("hex");
const PLACEHOLDER = new RegExp(`<${TRUSTED_TAG} data-k="([0-9a-f]+)" data-i="(\\d+)"></${TRUSTED_TAG}>`, "g");

function trusted(html: string, env: MdEnv): string {
  env.trusted.push(html);
  return `<${TRUSTED_TAG} data-k="${TRUST_KEY}" data-i="${env.trusted.length - 1}"></${TRUSTED_TAG}>`;
}

/** Sanitises HTML rendered from a notebook's Markdown, then puts the builder's formulas back. */
export function safeHtml(html: string, env: MdEnv): string {
  return sanitize(html).replace(PLACEHOLDER, (_m, key: string, i: string) => (key === TRUST_KEY && env.trusted[Number(i)]) || "");
}

/** Markdown source to safe HTML: rendered with markdown-it (raw HTML allowed), then sanitised. */
export function renderMarkdown(md: Md, src: string, env: MdEnv): string {
  return safeHtml(md.render(src, env), env);
}

/** Inline tokens (a heading's, a paragraph's) to safe HTML. */
export function renderInlineSafe(md: Md, tokens: Token[], env: MdEnv): string {
  return safeHtml(md.renderer.renderInline(tokens, md.options, env as unknown as Record<string, unknown>), env);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Highlights code with highlight.js; unknown languages are escaped plain text. */
export function highlight(code: string, lang: string): string {
  const aliases: Record<string, string> = { ts: "typescript", js: "javascript", sh: "bash", shell: "bash", console: "bash", text: "plaintext" };
  const name = aliases[lang] || lang;
  if (name && hljs.getLanguage(name)) return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
  return escapeHtml(code);
}

/** Renders TeX with KaTeX; on a parse error records it in env and returns a visible error box. */
export function renderMath(tex: string, displayMode: boolean, env: MdEnv): string {
  env.mathCount++;
  try {
    // MathML only: every current browser draws it natively and screen readers read it, and it is a
    // third of the size of KaTeX's HTML+MathML (lesson 04, 217 formulas: a 125 KB page instead of
    // 384 KB, over the 300 KB page budget). The TeX annotation is dropped: it only doubles the bytes.
    const mathml = katex.renderToString(tex, { displayMode, throwOnError: true, strict: "ignore", output: "mathml" });
    return mathml.replace(/<annotation encoding="application\/x-tex">[\s\S]*?<\/annotation>/g, "");
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    env.mathErrors.push({ tex, message });
    return `<span class="math-error" title="${escapeHtml(message)}">${escapeHtml(tex)}</span>`;
  }
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x24 /* $ */) return false;
  const display = src.charCodeAt(start + 1) === 0x24;
  const from = start + (display ? 2 : 1);
  if (!display && (from >= state.posMax || isSpace(src.charCodeAt(from)))) return false;
  let end = -1;
  for (let i = from; i < state.posMax; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x5c /* \ */) { i++; continue; }
    if (c !== 0x24) continue;
    if (display) {
      if (src.charCodeAt(i + 1) === 0x24) { end = i; break; }
    } else {
      // like MathJax, the next $ pairs with the opener; if it cannot close, this is no math at all
      if (!isSpace(src.charCodeAt(i - 1)) && !isDigit(src.charCodeAt(i + 1))) end = i;
      break;
    }
  }
  if (end < 0 || end === from) return false;
  if (!silent) {
    const token = state.push(display ? "math_display" : "math_inline", "math", 0);
    token.content = src.slice(from, end);
    token.markup = display ? "$$" : "$";
  }
  state.pos = end + (display ? 2 : 1);
  return true;
}

function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const lineText = (n: number) => state.src.slice(state.bMarks[n] + state.tShift[n], state.eMarks[n]);
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const first = lineText(startLine);
  let closeRe: RegExp;
  let body: string;
  let keepDelims = false;
  if (first.startsWith("$$")) {
    const rest = first.slice(2);
    const sameLine = rest.trimEnd();
    if (sameLine.endsWith("$$") && sameLine.length >= 2) {
      // $$ … $$ on one line
      if (silent) return true;
      body = sameLine.slice(0, -2);
      return pushBlock(state, startLine, startLine + 1, body, "$$");
    }
    closeRe = /\$\$\s*$/;
    body = rest;
  } else {
    const m = /^\\begin\{([a-zA-Z]+\*?)\}/.exec(first);
    if (!m) return false;
    closeRe = new RegExp("\\\\end\\{" + m[1].replace("*", "\\*") + "\\}\\s*$");
    body = first;
    keepDelims = true;
    if (closeRe.test(first)) {
      if (silent) return true;
      return pushBlock(state, startLine, startLine + 1, first, "\\begin");
    }
  }
  for (let line = startLine + 1; line < endLine; line++) {
    const text = lineText(line);
    if (closeRe.test(text)) {
      if (silent) return true;
      const last = keepDelims ? text : text.replace(closeRe, "");
      const lines = [body];
      for (let k = startLine + 1; k < line; k++) lines.push(lineText(k));
      lines.push(last);
      return pushBlock(state, startLine, line + 1, lines.join("\n"), keepDelims ? "\\begin" : "$$");
    }
  }
  return false; // never closed: leave it to the paragraph (and the inline rule)
}

function pushBlock(state: StateBlock, startLine: number, nextLine: number, content: string, markup: string): boolean {
  const token = state.push("math_block", "math", 0);
  token.block = true;
  token.content = content.trim();
  token.markup = markup;
  token.map = [startLine, nextLine];
  state.line = nextLine;
  return true;
}

export function slugify(text: string): string {
  const s = text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9\s-]/g, "")
    .trim()
    .replace(/[\s-]+/g, "-");
  return s || "section";
}

function uniqueSlug(base: string, env: MdEnv): string {
  let id = base;
  for (let n = 2; env.slugs.has(id); n++) id = `${base}-${n}`;
  env.slugs.add(id);
  return id;
}

function plainText(tokens: Token[]): string {
  return tokens.map((t) => (t.type === "text" || t.type === "code_inline" || t.type.startsWith("math") ? t.content : t.children ? plainText(t.children) : "")).join("");
}

export function createMarkdown(): Md {
  const md: Md = new MarkdownIt({
    html: true,
    linkify: true,
    typographer: false,
    highlight: (code, lang) => highlight(code, (lang || "").trim().toLowerCase()),
  });
  md.inline.ruler.before("escape", "math_inline", mathInline);
  md.block.ruler.before("fence", "math_block", mathBlock, { alt: ["paragraph", "reference", "blockquote", "list"] });
  const mathRule = (display: boolean, block: boolean) => (tokens: Token[], idx: number, _o: unknown, e: unknown) => {
    const env = e as MdEnv;
    const html = renderMath(tokens[idx].content, display, env);
    return block ? trusted(`<div class="math-block">${html}</div>`, env) + "\n" : trusted(html, env);
  };
  md.renderer.rules.math_inline = mathRule(false, false);
  md.renderer.rules.math_display = mathRule(true, false);
  md.renderer.rules.math_block = mathRule(true, true);

  // Heading ids + table of contents; relative links to notebooks become links to pages.
  md.core.ruler.push("rnn_site", (state) => {
    const env = state.env as unknown as MdEnv;
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.type === "heading_open") {
        const inline = tokens[i + 1];
        const level = Number(t.tag.slice(1));
        const id = uniqueSlug(slugify(plainText(inline.children || [])), env);
        t.attrSet("id", id);
        if (level >= 2 && level <= 3) {
          const kids = (inline.children || []).filter((k) => k.type !== "link_open" && k.type !== "link_close");
          env.toc.push({ level, id, html: renderInlineSafe(md, kids, env) });
        }
      }
      for (const k of t.children || []) {
        if (k.type === "link_open" && env.rewriteLink) {
          const href = k.attrGet("href");
          const to = href ? env.rewriteLink(String(href)) : href;
          if (to === null) k.attrs = (k.attrs || []).filter((a) => a[0] !== "href"); // a link to nowhere: text only
          else if (to) k.attrSet("href", to);
        }
        if (k.type === "image") {
          const src = String(k.attrGet("src") || "");
          if (src.startsWith("attachment:")) {
            const name = decodeURIComponent(src.slice("attachment:".length));
            const att = env.attachments && env.attachments[name];
            const mime = att && Object.keys(att)[0];
            if (!att || !mime) throw new Error(`markdown image "${src}" names an attachment the cell does not have`);
            k.attrSet("src", `data:${mime};base64,${String(att[mime]).replace(/\s+/g, "")}`);
          }
        }
      }
    }
  });
  return md;
}
