// Built in lesson 10 (10-char-lm).
// Text as a sequence of class indices for a character-level model. The
// vocabulary is the set of distinct characters (Unicode code points) of the
// training text, sorted by code point, so the same text always gives the same
// vocabulary and the same indices.
import { describe } from "./checks";

/** The characters a model knows, and each one's index. */
export interface Vocab {
  /** the characters in index order (sorted by code point) */
  chars: string[];
  /** character → index */
  index: Map<string, number>;
}

/** The vocabulary of `text`: its distinct characters sorted by code point. Throws for an empty text. */
export function makeVocab(text: string, source = "makeVocab"): Vocab {
  if (typeof text !== "string") throw new Error(`${source}: text is ${describe(text)}, expected a string`);
  if (text.length === 0) throw new Error(`${source}: the text is empty, expected at least one character`);
  const seen = new Set<string>();
  for (const ch of text) seen.add(ch);
  return vocabFromChars([...seen].sort((a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number)), source);
}

/** A vocabulary from its characters in index order (each one code point, no repeats). */
export function vocabFromChars(chars: unknown, source = "vocabFromChars"): Vocab {
  if (!Array.isArray(chars) || chars.length === 0) throw new Error(`${source}: vocab is ${describe(chars)}, expected a non-empty array of characters`);
  const index = new Map<string, number>();
  chars.forEach((ch, k) => {
    if (typeof ch !== "string" || [...ch].length !== 1) throw new Error(`${source}: vocab[${k}] is ${describe(ch)}, expected one character`);
    if (index.has(ch)) throw new Error(`${source}: vocab[${k}] is ${describe(ch)}, which is already vocab[${index.get(ch)}]`);
    index.set(ch, k);
  });
  return { chars: chars.slice() as string[], index };
}

/** How a character is shown in an error message: JSON-quoted, so "\n" and " " are visible. */
function showChar(ch: string): string {
  return `${JSON.stringify(ch)} (U+${(ch.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, "0")})`;
}

/**
 * The indices of text's characters. Throws, naming the character and its position, for a
 * character outside the vocabulary.
 */
export function encodeText(vocab: Vocab, text: string, fn = "encodeText"): Int32Array {
  if (typeof text !== "string") throw new Error(`${fn}: text is ${describe(text)}, expected a string`);
  const chars = [...text];
  const ids = new Int32Array(chars.length);
  for (let k = 0; k < chars.length; k++) {
    const id = vocab.index.get(chars[k]);
    if (id === undefined) {
      throw new Error(`${fn}: character ${showChar(chars[k])} at position ${k} is not in the vocabulary (${vocab.chars.length} characters)`);
    }
    ids[k] = id;
  }
  return ids;
}

/** The text of a sequence of indices. */
export function decodeText(vocab: Vocab, ids: ArrayLike<number>): string {
  let out = "";
  for (let k = 0; k < ids.length; k++) {
    const ch = vocab.chars[ids[k]];
    if (ch === undefined) throw new Error(`decodeText: ids[${k}] is ${describe(ids[k])}, expected an index below ${vocab.chars.length}`);
    out += ch;
  }
  return out;
}
