// Shared by the exercise tests: run a check with console.log captured, and assert a helpful failure.
import * as assert from "node:assert/strict";
import type { CheckResult } from "../../notebooks/course/report";

/** Run a check quietly; it must print exactly its message, once. */
export function quiet(run: () => CheckResult): CheckResult {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    const r = run();
    assert.deepEqual(lines, [r.message], "the check prints its message once");
    return r;
  } finally {
    console.log = orig;
  }
}

/** A failed check: "✘ Exercise id: not yet — …" with the expected hint, and (if given) without the answer. */
export function assertFails(r: CheckResult, id: string, hint: RegExp, answer?: RegExp): void {
  assert.equal(r.ok, false, r.message);
  assert.ok(r.message.startsWith(`✘ Exercise ${id}: not yet — `), r.message);
  assert.match(r.message, hint);
  if (answer) assert.doesNotMatch(r.message, answer, "the hint must not contain the answer");
}
