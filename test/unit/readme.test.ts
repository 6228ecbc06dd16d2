// The library example in README.md is run as written, so the README cannot drift from the code.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");

test("README's library example runs and prints what the README says", () => {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 1, "README.md should hold exactly one ```ts example");
  const file = path.join(root, "build", "readme-example.ts");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // The example imports "./lib/..." as seen from the project root; from build/ that is "../lib/...".
  fs.writeFileSync(file, blocks[0].replace(/from "\.\/lib\//g, 'from "../lib/'));
  const out = execFileSync(path.join(root, "node_modules", ".bin", "tsx"), [file], { cwd: root, encoding: "utf8" });
  const errors = [...out.matchAll(/(Wxh|Whh|Why|bh|by): ([0-9.e+-]+)/g)].map((m) => Number(m[2]));
  assert.equal(errors.length, 5, `five gradient-check errors expected in:\n${out}`);
  for (const e of errors) assert.ok(e < 1e-6, `gradient-check error ${e} should be below 1e-6`);
  assert.match(out, /Epoch \[1\/10\], Avg Loss: 0\.\d{4}\nEpoch \[2\/10\]/);
  assert.match(out, /Epoch \[10\/10\], Avg Loss: 0\.\d{4}/);
  const acc = Number(/accuracy: ([0-9.]+)/.exec(out)?.[1]);
  assert.ok(readme.includes(`held-out accuracy of ${acc}`), `README should state the printed accuracy ${acc}`);
  assert.ok(acc >= 0.88, `held-out accuracy ${acc} should be at least 0.88`);
  assert.ok(fs.existsSync(path.join(root, "build", "models", "sign-of-sum.json")), "the example saves the model");
});
