// Shared helpers for the unit tests (not a test file itself).
import * as assert from "node:assert/strict";
import { paramArrays } from "../../lib/params";
import type { BaseParams } from "../../lib/params";

/** The raw bytes of every parameter array, concatenated: equal Buffers mean bit-identical weights. */
export function paramBytes(p: BaseParams): Buffer {
  return Buffer.concat(paramArrays(p).map(([, v]) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)));
}

/** Assert two Float64Arrays are bit-identical, naming the first differing index. */
export function assertBitsEqual(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths differ`);
  const ba = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const bb = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (!ba.equals(bb)) {
    let k = 0;
    while (k < a.length && Object.is(a[k], b[k])) k++;
    assert.fail(`${what}: differs at [${k}]: ${a[k]} vs ${b[k]}`);
  }
}

/** Assert that fn throws an Error whose message matches every pattern. */
export function assertThrowsMsg(fn: () => unknown, ...patterns: Array<RegExp | string>): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof Error, `expected an Error to be thrown, got ${String(thrown)}`);
  for (const pat of patterns) {
    if (typeof pat === "string") assert.ok(thrown.message.includes(pat), `message ${JSON.stringify(thrown.message)} should contain ${JSON.stringify(pat)}`);
    else assert.match(thrown.message, pat);
  }
}
