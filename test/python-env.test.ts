// scripts/python-env.ts with a fake Python on PATH: one clear message (no stack trace, exit 2) when
// Python is missing, too old or without venv; a venv folder we did not make is left alone; two
// set-ups at once install once, in turn (the lock); a rerun does nothing (the stamp). The real
// install into .venv/ is what `npm test` itself runs first (package.json "pretest").
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

const ROOT = path.resolve(__dirname, "..");
const SCRIPT = path.join(ROOT, "scripts", "python-env.ts");
const TSX = ["--import", "tsx"];

// Answers the probes python-env.ts makes, `-m venv DIR` (copies itself in as DIR/bin/python) and
// `-m pip install` (logs start/end around a 1 s sleep, then puts a jupyter-server next to itself).
const FAKE_PYTHON = `#!/bin/sh
PATH=/usr/bin:/bin
case "$*" in
  *sys.version_info*) echo "\${FAKE_VERSION:-3.11.4}" ;;
  *"import venv, ensurepip"*) if [ -n "$FAKE_NO_VENV" ]; then echo "ModuleNotFoundError: No module named 'ensurepip'" >&2; exit 1; fi ;;
  "-m venv "*) mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
  "-c pass") ;;
  "-m pip install"*) echo "start $$" >> "$FAKE_LOG"; sleep 1; d=$(dirname "$0"); printf '#!/bin/sh\\n' > "$d/jupyter-server"; chmod +x "$d/jupyter-server"; echo "end $$" >> "$FAKE_LOG" ;;
  *) echo "fake python: unexpected $*" >&2; exit 3 ;;
esac
`;

function sandbox(withPython: boolean): { dir: string; bin: string; venv: string; log: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rnn-pyenv-test-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  if (withPython) fs.writeFileSync(path.join(bin, "python3"), FAKE_PYTHON, { mode: 0o755 });
  return { dir, bin, venv: path.join(dir, "venv"), log: path.join(dir, "pip.log") };
}

function runSetup(box: { bin: string; venv: string; log: string }, extraEnv: Record<string, string> = {}) {
  // PATH holds only the fake bin folder: no real python3 can be found by accident.
  return spawnSync(process.execPath, [...TSX, SCRIPT, "--venv", box.venv], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH: box.bin, FAKE_LOG: box.log, ...extraEnv },
  });
}

function assertOneMessage(r: ReturnType<typeof runSetup>, re: RegExp): void {
  assert.equal(r.status, 2, `exit code 2 expected, got ${r.status}\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, re);
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  assert.doesNotMatch(r.stdout, /Installing/, "nothing was installed");
}

test("no Python on PATH: names python3 and how to install it", () => {
  const box = sandbox(false);
  const r = runSetup(box);
  assertOneMessage(r, /no `python3` \(or `python`\) was found on PATH[\s\S]*sudo apt-get install python3 python3-venv/);
  assert.ok(!fs.existsSync(box.venv));
  fs.rmSync(box.dir, { recursive: true, force: true });
});

test("Python too old: names the version found and the one needed", () => {
  const box = sandbox(true);
  const r = runSetup(box, { FAKE_VERSION: "3.8.10" });
  assertOneMessage(r, /Python 3\.10 or newer is needed .* but python3 is Python 3\.8\.10/);
  fs.rmSync(box.dir, { recursive: true, force: true });
});

test("Python without venv/ensurepip: names python3-venv", () => {
  const box = sandbox(true);
  const r = runSetup(box, { FAKE_NO_VENV: "1" });
  assertOneMessage(r, /without its "venv" module[\s\S]*sudo apt-get install python3-venv/);
  fs.rmSync(box.dir, { recursive: true, force: true });
});

test("a venv folder the project did not make is left alone, with a message", () => {
  const box = sandbox(true);
  fs.mkdirSync(box.venv);
  fs.writeFileSync(path.join(box.venv, "mine.txt"), "user data");
  const r = runSetup(box);
  assertOneMessage(r, /exists but was not made by this project/);
  assert.deepEqual(fs.readdirSync(box.venv), ["mine.txt"]);
  fs.rmSync(box.dir, { recursive: true, force: true });
});

test("two set-ups at once install once, one after the other; a rerun installs nothing", async () => {
  const box = sandbox(true);
  const start = () => new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [...TSX, SCRIPT, "--venv", box.venv], {
      cwd: ROOT, env: { ...process.env, PATH: box.bin, FAKE_LOG: box.log },
    });
    let out = "";
    child.stdout.on("data", (b) => (out += b));
    child.stderr.on("data", (b) => (out += b));
    child.on("exit", (code) => resolve({ code, out }));
  });
  const [a, b] = await Promise.all([start(), start()]);
  assert.equal(a.code, 0, a.out);
  assert.equal(b.code, 0, b.out);
  const log = fs.readFileSync(box.log, "utf8").trim().split("\n");
  assert.equal(log.length, 2, `pip ran once (start, end), got:\n${log.join("\n")}`);
  assert.match(log[0], /^start /);
  assert.match(log[1], /^end /);
  assert.match(a.out + b.out, /Installing JupyterLab 4\.6 into .* — once, about a minute/);
  assert.ok(!fs.existsSync(`${box.venv}.lock`), "the lock is released");
  assert.ok(fs.existsSync(path.join(box.venv, ".requirements-sha256")), "the stamp is written");

  const again = runSetup(box);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /up to date/);
  assert.equal(fs.readFileSync(box.log, "utf8").trim().split("\n").length, 2, "no second install");
  fs.rmSync(box.dir, { recursive: true, force: true });
});

test("a lock left by a dead process is taken over", () => {
  const box = sandbox(true);
  fs.mkdirSync(`${box.venv}.lock`);
  // A pid that is not running (pid_max is at most 2^22 on Linux).
  fs.writeFileSync(path.join(`${box.venv}.lock`, "pid"), "4194303\n");
  const r = runSetup(box);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fs.existsSync(path.join(box.venv, ".requirements-sha256")));
  fs.rmSync(box.dir, { recursive: true, force: true });
});
