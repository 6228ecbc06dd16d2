// The notebook runner (scripts/execute.ts, scripts/runner/), kernel registration, nb:clean and
// `npm run lab`, against the small notebooks in test/fixtures/. Every failure mode must end with a
// non-zero exit, a message naming notebook, cell, first line and error, no half-written output and
// no Jupyter process left behind.
import { venvExecutable } from "../scripts/python-env";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { courseNotebooks } from "../scripts/execute";
import { cleanNotebook } from "../scripts/runner/clean";
import { executeNotebooks, RunnerInputError } from "../scripts/runner/index";
import { kernelSpec } from "../scripts/runner/kernelspec";
import { pySplitLines, serializeNotebook } from "../scripts/common/nbformat";
import { lockOutputDir } from "../scripts/runner/output-dir";
import { OutputCollector, resolveCarriageReturns } from "../scripts/runner/outputs";
import { findJupyterServer, freePort, type RunningServer, startJupyterServer } from "../scripts/runner/server";
import { cellText, codeCells, joinText, outputsOf, readNotebook, ROOT, sourceOf } from "./support/nb";
import { killMarked, MARKER_VAR, newMarker, processesWithMarker, run, type RunOptions, waitForNoMarked } from "./support/procs";

const FIXTURES = path.join(ROOT, "test", "fixtures");
const EXECUTE = path.join(ROOT, "scripts", "execute.ts");
// The course's pinned Python environment (nbformat for the validity checks), else the system's.
const PY = venvExecutable("python") ?? "/usr/bin/python3";
const hasPyNbformat = spawnSync(PY, ["-c", "import nbformat"]).status === 0;

function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `rnn-runner-test-${prefix}-`));
}

function sha(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/**
 * `npm run execute` as a child process with a marker and a private TMPDIR, then: what it printed,
 * what it left running, what it left in the output folder and in TMPDIR (the server's runtime
 * folder holds its token: it must be gone).
 */
async function runExecute(args: string[], opts: {
  env?: NodeJS.ProcessEnv; before?: (out: string) => void; onStdout?: RunOptions["onStdout"]; command?: string[]; waitMs?: number;
} = {}) {
  const marker = newMarker();
  const out = tmpDir("out");
  const tmp = tmpDir("tmpdir");
  opts.before?.(out);
  const [cmd, ...cmdArgs] = opts.command ?? [process.execPath, "--import", "tsx", EXECUTE];
  const res = await run(cmd, [...cmdArgs, "--out", out, ...args], {
    cwd: ROOT,
    env: { ...process.env, TMPDIR: tmp, ...opts.env, [MARKER_VAR]: marker },
    timeoutMs: 100_000,
    onStdout: opts.onStdout,
    detached: opts.command !== undefined,
  });
  const left = await waitForNoMarked(marker, opts.waitMs ?? 3000);
  killMarked(marker);
  const files = fs.readdirSync(out);
  const tmpLeft = fs.readdirSync(tmp).filter((f) => f.startsWith("rnn-jupyter-runtime-"));
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
  return { res, left, files, tmpLeft };
}

function assertCleanFailure(r: Awaited<ReturnType<typeof runExecute>>, expect: RegExp[]): void {
  const all = r.res.stdout + r.res.stderr;
  assert.equal(r.res.code, 1, `exit code ${r.res.code}, output:\n${all}`);
  for (const re of expect) assert.match(r.res.stderr, re, `stderr lacks ${re}:\n${r.res.stderr}`);
  assert.deepEqual(r.left, [], `processes left running: ${JSON.stringify(r.left)}`);
  assert.deepEqual(r.files, [], "the output folder must hold no notebook and no temp file after a failure");
  assert.deepEqual(r.tmpLeft, [], "no runtime folder (with the token) left in TMPDIR");
  // The kernel's own traceback of a failing cell is the user's to read; the runner's is not.
  assert.doesNotMatch(r.res.stderr, /\n\s+at .*(scripts\/runner|scripts\/execute|node_modules\/@jupyterlab)/, "no runner stack trace for an expected failure");
}

describe("npm run execute: failures", { concurrency: false }, () => {
  test("compile error: names notebook, cell, first line and the compiler's message", { timeout: 90_000 }, async (t) => {
    const before = sha(path.join(FIXTURES, "compile-error.ipynb"));
    const r = await runExecute(["test/fixtures/compile-error.ipynb"]);
    t.diagnostic(`compile error run: ${r.res.seconds.toFixed(2)} s`);
    assertCleanFailure(r, [
      /test\/fixtures\/compile-error\.ipynb, cell 3 \(`const n: number = "not a number";`\) failed/,
      /Type 'string' is not assignable to type 'number'/,
    ]);
    assert.doesNotMatch(r.res.stdout + r.res.stderr, /never runs/);
    assert.equal(sha(path.join(FIXTURES, "compile-error.ipynb")), before, "the source notebook must not change");
  });

  test("runtime error (throw): message has the exception text; a stale output is removed", { timeout: 90_000 }, async (t) => {
    const r = await runExecute(["test/fixtures/runtime-error.ipynb"], {
      before: (out) => fs.writeFileSync(path.join(out, "runtime-error.ipynb"), "stale output of an earlier run"),
    });
    t.diagnostic(`runtime error run: ${r.res.seconds.toFixed(2)} s`);
    assertCleanFailure(r, [
      /test\/fixtures\/runtime-error\.ipynb, cell 2 \(`function explode\(\): never \{`\) failed/,
      /Error: boom from the fixture/,
    ]);
  });

  test("a cell that never ends hits --timeout and the kernel is stopped", { timeout: 90_000 }, async (t) => {
    const r = await runExecute(["--timeout", "2", "test/fixtures/timeout.ipynb"]);
    t.diagnostic(`timeout run (--timeout 2): ${r.res.seconds.toFixed(2)} s`);
    assertCleanFailure(r, [
      /test\/fixtures\/timeout\.ipynb, cell 2 \(`while \(true\) \{`\) timed out: no reply within 2 s/,
    ]);
    const stopped = /stopped after (\d+\.\d+) s/.exec(r.res.stdout);
    const kernel = /kernel tslab ready in (\d+\.\d+) s/.exec(r.res.stdout);
    assert.ok(stopped && kernel, r.res.stdout);
    // kernel start + first cell + the 2 s limit + interrupt/shutdown: never the default 120 s.
    assert.ok(Number(stopped[1]) - Number(kernel[1]) < 15, `took ${stopped[1]} s after the kernel was ready`);
  });

  test("a cell that kills the kernel (process.exit) is reported as a dead kernel", { timeout: 90_000 }, async (t) => {
    const r = await runExecute(["test/fixtures/kernel-dies.ipynb"]);
    t.diagnostic(`dead kernel run: ${r.res.seconds.toFixed(2)} s`);
    assertCleanFailure(r, [
      /test\/fixtures\/kernel-dies\.ipynb, cell 2 \(`console\.error\("about to exit"\);`\): the kernel died while running this cell/,
      /about to exit/,
    ]);
  });

  test("Jupyter not installed and no Python to install it: says what to install, exits non-zero, starts nothing", { timeout: 60_000 }, async () => {
    const bin = tmpDir("bin");
    const venvParent = tmpDir("venv");
    const venv = path.join(venvParent, "absent"); // no environment there yet: the project's .venv is not used
    fs.symlinkSync(process.execPath, path.join(bin, "node"));
    try {
      const r = await runExecute(["test/fixtures/pass.ipynb"], { env: { PATH: bin, RNN_VENV: venv } });
      assert.equal(r.res.code, 2, r.res.stdout + r.res.stderr);
      assert.match(r.res.stderr, /no `python3` \(or `python`\) was found on PATH/);
      assert.match(r.res.stderr, /apt-get install python3 python3-venv/);
      assert.doesNotMatch(r.res.stderr, /\n\s+at /, "no stack trace for a missing Jupyter");
      assert.deepEqual(r.files, []);
      assert.deepEqual(r.left, []);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
      fs.rmSync(venvParent, { recursive: true, force: true });
    }
  });

  /** Send `signal` (to the process, or to its whole group as a terminal does) once the busy cell runs. */
  function signalWhenBusy(signal: NodeJS.Signals, group: boolean, state: { sent: boolean }): RunOptions["onStdout"] {
    return (chunk, child) => {
      // Once the kernel is ready, the busy cell starts within a moment.
      if (!state.sent && /kernel tslab ready/.test(chunk)) {
        state.sent = true;
        setTimeout(() => (group ? process.kill(-child.pid!, signal) : child.kill(signal)), 1500);
      }
    };
  }

  test("Ctrl-C through `npm run` (SIGINT to the whole process group) stops everything, prints the summary", { timeout: 120_000 }, async (t) => {
    const state = { sent: false };
    const r = await runExecute(["test/fixtures/timeout.ipynb"], {
      command: ["npm", "run", "--silent", "execute", "--"], onStdout: signalWhenBusy("SIGINT", true, state),
    });
    t.diagnostic(`interrupted run through npm: ${r.res.seconds.toFixed(2)} s`);
    assert.ok(state.sent, r.res.stdout + r.res.stderr);
    assert.match(r.res.stderr, /timeout\.ipynb, cell 2 \(`while \(true\) \{`\): interrupted \(SIGINT received\)/);
    assert.match(r.res.stdout, /0\/1 notebooks executed in/, "the same summary as a direct SIGINT");
    assert.deepEqual(r.left, []);
    assert.deepEqual(r.files, []);
    assert.deepEqual(r.tmpLeft, []);
  });

  test("SIGTERM is handled as SIGINT: summary, exit 130, nothing left", { timeout: 90_000 }, async (t) => {
    const state = { sent: false };
    const r = await runExecute(["test/fixtures/timeout.ipynb"], { onStdout: signalWhenBusy("SIGTERM", false, state) });
    t.diagnostic(`SIGTERM run: ${r.res.seconds.toFixed(2)} s`);
    assert.ok(state.sent, r.res.stdout + r.res.stderr);
    assert.equal(r.res.code, 130, r.res.stdout + r.res.stderr);
    assert.match(r.res.stderr, /interrupted \(SIGTERM received\)/);
    assert.match(r.res.stdout, /0\/1 notebooks executed in/);
    assert.deepEqual(r.left, []);
    assert.deepEqual(r.files, []);
    assert.deepEqual(r.tmpLeft, []);
  });

  test("SIGKILL of the runner: the watchdog stops server and kernels and removes the runtime folder", { timeout: 90_000 }, async (t) => {
    const state = { sent: false };
    const r = await runExecute(["test/fixtures/timeout.ipynb"], { onStdout: signalWhenBusy("SIGKILL", false, state), waitMs: 20_000 });
    t.diagnostic(`SIGKILL run: ${r.res.seconds.toFixed(2)} s`);
    assert.ok(state.sent, r.res.stdout + r.res.stderr);
    assert.equal(r.res.signal, "SIGKILL");
    assert.deepEqual(r.left, [], `left running after the runner's death: ${JSON.stringify(r.left)}`);
    assert.deepEqual(r.tmpLeft, [], "the runtime folder (with the token) is removed");
    // A killed run cannot remove its lock; the next run takes it over (see the lock test).
    assert.deepEqual(r.files.filter((f) => f !== ".execute.lock"), [], "no notebook, no temp file");
  });

  test("two runs, one output folder: the second is refused and the first run's output stays", { timeout: 120_000 }, async (t) => {
    const marker = newMarker();
    const out = tmpDir("shared-out");
    const env = { ...process.env, [MARKER_VAR]: marker };
    const args = (extra: string[]) => ["--import", "tsx", EXECUTE, "--out", out, ...extra, "test/fixtures/slow.ipynb"];
    try {
      let second: Promise<Awaited<ReturnType<typeof run>>> | null = null;
      const first = await run(process.execPath, args([]), {
        cwd: ROOT, env, timeoutMs: 100_000,
        onStdout: (chunk) => {
          // As in the report: the second run starts while the first one's slow cell runs.
          if (!second && /kernel tslab ready/.test(chunk)) {
            second = new Promise((r) => setTimeout(r, 1500)).then(() => run(process.execPath, args(["--timeout", "1"]), { cwd: ROOT, env, timeoutMs: 100_000 }));
          }
        },
      });
      assert.ok(second, first.stdout + first.stderr);
      const b = await (second as unknown as Promise<Awaited<ReturnType<typeof run>>>);
      t.diagnostic(`first run ${first.seconds.toFixed(2)} s, refused second run ${b.seconds.toFixed(2)} s`);
      assert.equal(first.code, 0, first.stdout + first.stderr);
      assert.equal(b.code, 1, b.stdout + b.stderr);
      assert.match(b.stderr, new RegExp(`another run is writing .*${path.basename(out)} \\(pid \\d+\\)`));
      assert.doesNotMatch(b.stderr, /\n\s+at /);
      assert.deepEqual(fs.readdirSync(out), ["slow.ipynb"], "the first run's fresh output is still there, and its lock is gone");
      assert.match(cellText(codeCells(readNotebook(path.join(out, "slow.ipynb")))[1]), /slow done/);
      assert.deepEqual(await waitForNoMarked(marker), []);
    } finally {
      killMarked(marker);
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test("malformed notebooks are refused before anything starts, naming cell and field", { timeout: 60_000 }, async (t) => {
    const dir = tmpDir("malformed");
    try {
      const base = readNotebook(path.join(FIXTURES, "pass.ipynb")) as any;
      const write = (name: string, change: (nb: any) => void) => {
        const nb = JSON.parse(JSON.stringify(base));
        change(nb);
        fs.writeFileSync(path.join(dir, name), JSON.stringify(nb));
        return path.join(dir, name);
      };
      const cases: Array<[string, RegExp]> = [
        [write("number-source.ipynb", (nb) => (nb.cells[1].source = 42)), /number-source\.ipynb: cell 2 \(code\): field "source" must be string or must be array \(it is 42\)/],
        [write("no-source.ipynb", (nb) => delete nb.cells[3].source), /no-source\.ipynb: cell 4 \(code\): field "source" is missing/],
        [write("v3.ipynb", (nb) => { nb.nbformat = 3; nb.worksheets = [{ cells: nb.cells }]; delete nb.cells; }), /v3\.ipynb: field "nbformat" is 3; only nbformat 4 notebooks are supported \(convert it: jupyter nbconvert/],
        [write("bad-type.ipynb", (nb) => (nb.cells[2].cell_type = "python")), /bad-type\.ipynb: cell 3: field "cell_type" is "python", expected "code", "markdown" or "raw"/],
        [write("bad-output.ipynb", (nb) => (nb.cells[1].outputs = [{ output_type: "stream", name: "stdout" }])), /bad-output\.ipynb: cell 2 \(code\): output 1 \(stream\): field "outputs\/0\/text" is missing/],
      ];
      for (const [file, re] of cases) {
        await assert.rejects(executeNotebooks([file], { outputDir: path.join(dir, "out") }), (e: Error) => {
          assert.ok(e instanceof RunnerInputError, String(e));
          assert.match(e.message, re);
          return true;
        });
      }
      assert.ok(!fs.existsSync(path.join(dir, "out")), "nothing created for a refused run");
      // From the command line: one line, no stack trace, exit 1, no server started.
      const r = await runExecute([cases[0][0]]);
      t.diagnostic(`malformed notebook refused by the CLI in ${r.res.seconds.toFixed(2)} s`);
      assert.equal(r.res.code, 1);
      assert.match(r.res.stderr, cases[0][1]);
      assert.doesNotMatch(r.res.stderr, /\n\s+at /);
      assert.doesNotMatch(r.res.stdout, /jupyter server ready/);
      // A notebook without ids (nbformat 4.4) is still valid: it gets past validation to the next
      // check, the output folder (here a file, so that no server starts).
      const v44 = write("v44.ipynb", (nb) => { nb.nbformat_minor = 4; for (const c of nb.cells) delete c.id; });
      await assert.rejects(executeNotebooks([v44], { outputDir: path.join(FIXTURES, "pass.ipynb") }), /output folder .* is a file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an output folder that is a file, or cannot be created, is refused before executing", { timeout: 60_000 }, async (t) => {
    const dir = tmpDir("outfile");
    try {
      const file = path.join(dir, "a-file");
      fs.writeFileSync(file, "not a folder");
      const marker = newMarker();
      const a = await run(process.execPath, ["--import", "tsx", EXECUTE, "--out", file, "test/fixtures/pass.ipynb"], {
        cwd: ROOT, env: { ...process.env, [MARKER_VAR]: marker },
      });
      t.diagnostic(`refused in ${a.seconds.toFixed(2)} s`);
      assert.equal(a.code, 1, a.stdout + a.stderr);
      assert.match(a.stderr, new RegExp(`the output folder ${file} is a file, not a folder`));
      assert.doesNotMatch(a.stdout, /jupyter server ready/);
      assert.doesNotMatch(a.stderr, /\n\s+at /);
      await assert.rejects(executeNotebooks([path.join(FIXTURES, "pass.ipynb")], { outputDir: path.join(file, "sub") }),
        new RegExp(`the output folder ${file}/sub cannot be created: ${file} is a file`));
      // Not writable: /proc refuses new folders even to root, which ignores permission bits.
      await assert.rejects(executeNotebooks([path.join(FIXTURES, "pass.ipynb")], { outputDir: "/proc/rnn-course-out" }),
        /cannot write to the output folder \/proc\/rnn-course-out \(E[A-Z]+\); choose another with --out DIR/);
      assert.equal(fs.readFileSync(file, "utf8"), "not a folder");
      assert.deepEqual(processesWithMarker(marker), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("unknown notebook name and bad --timeout are clear errors", { timeout: 60_000 }, async () => {
    const a = await runExecute(["no-such-notebook"]);
    assert.equal(a.res.code, 1);
    assert.match(a.res.stderr, /no notebook "no-such-notebook"/);
    const b = await runExecute(["--timeout", "soon", "test/fixtures/pass.ipynb"]);
    assert.equal(b.res.code, 1);
    assert.match(b.res.stderr, /--timeout must be a positive number of seconds, got "soon"/);
  });
});

describe("one shared server: token, unknown kernel, stalled output", { concurrency: false }, () => {
  const marker = newMarker();
  let server: RunningServer;
  const out = tmpDir("shared");
  before(async () => {
    server = await startJupyterServer({ env: { ...process.env, [MARKER_VAR]: marker } });
  });
  after(async () => {
    await server?.stop();
    killMarked(marker);
    fs.rmSync(out, { recursive: true, force: true });
  });

  test("the token is in no command line, and the API refuses requests without it", async () => {
    const argv = fs.readFileSync(`/proc/${server.pid}/cmdline`, "utf8");
    assert.match(argv, /jupyter-server/, "server.pid is the jupyter server itself");
    for (const p of processesWithMarker(marker)) assert.ok(!p.cmd.includes(server.token), `token in the argv of ${p.pid}: ${p.cmd}`);
    const mode = fs.statSync(server.runtimeDir).mode & 0o777;
    assert.equal(mode, 0o700, "the runtime folder is private");
    for (const url of ["api/kernels", "api/contents/notebooks", "api/sessions"]) {
      const res = await fetch(server.url + url);
      assert.equal(res.status, 403, `${url} without a token`);
      const wrong = await fetch(server.url + url, { headers: { Authorization: "token not-the-token" } });
      assert.equal(wrong.status, 403, `${url} with a wrong token`);
    }
    const put = await fetch(server.url + "api/contents/planted.txt", { method: "PUT", body: JSON.stringify({ type: "file", format: "text", content: "x" }) });
    assert.equal(put.status, 403);
    assert.ok(!fs.existsSync(path.join(ROOT, "planted.txt")));
    assert.equal((await fetch(server.url + "api/kernels", { headers: { Authorization: `token ${server.token}` } })).status, 200);
  });

  test("an unknown kernel name: a clear message with the kernelspecs there are, no crash", { timeout: 60_000 }, async (t) => {
    const verbose: string[] = [];
    const result = await executeNotebooks([path.join(FIXTURES, "pass.ipynb")], {
      outputDir: out, serverUrl: server.url, token: server.token, kernelName: "no-such-kernel", verboseLog: (l) => verbose.push(l),
    });
    t.diagnostic(`unknown kernel reported in ${result.seconds.toFixed(2)} s`);
    assert.equal(result.ok, false);
    assert.equal(result.failures[0].kind, "kernel-start");
    assert.match(result.failures[0].message, /pass\.ipynb: the kernel did not start: kernel "no-such-kernel" did not start; kernelspecs available: .*\btslab\b/);
    // Late rejections of the client library (its disposed polls) are logged, never thrown.
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(fs.readdirSync(out), []);
  });

  test("tslab's stall after a burst of console.log is reported plainly, long before the timeout", { timeout: 120_000 }, async (t) => {
    const result = await executeNotebooks([path.join(FIXTURES, "many-lines.ipynb")], {
      outputDir: out, serverUrl: server.url, token: server.token, timeoutSec: 100, stallSec: 5,
    });
    const f = result.failures[0];
    t.diagnostic(`stall reported after ${result.seconds.toFixed(2)} s: ${f?.message}`);
    assert.equal(result.ok, false);
    assert.equal(f.kind, "stalled", f.message);
    assert.match(f.message, /many-lines\.ipynb, cell 2 \(`for \(let i = 0; i < 3000; i\+\+\) console\.log\(`line \$\{i\}`\);`\): the kernel stopped sending output after [\d,]+ lines \(nothing for \d+ s\)\. tslab stalls when one cell makes several hundred console\.log calls: print less per cell/);
    assert.ok(result.seconds < 60, `took ${result.seconds} s`);
  });
});

describe("runner pieces", () => {
  test("carriage returns are resolved in linear time: a 1 MB line", () => {
    const line = "x".repeat(1 << 20);
    const t0 = Date.now();
    assert.equal(resolveCarriageReturns(`${line}\rdone\n`), "done\n");
    assert.equal(resolveCarriageReturns(`a\r${line}`).length, line.length);
    const ms = Date.now() - t0;
    // The old regular expression took 5.6 s on 80 kB and never finished on 1 MB.
    assert.ok(ms < 2000, `${ms} ms`);
    assert.equal(resolveCarriageReturns("10%\r50%\r100%\nnext\r\n\rend\r"), "100%\nnext\nend\r");
    assert.equal(resolveCarriageReturns("a\r\r\nb\rc"), "a\nc");
  });

  test("what a cell may print is capped, with a note saying so", () => {
    const outputs: any[] = [];
    const c = new OutputCollector(outputs, 1024 * 1024);
    for (let i = 0; i < 5; i++) c.handle("stream", { name: "stdout", text: "y".repeat(300 * 1024) + "\n" });
    c.handle("display_data", { data: { "text/plain": "late" }, metadata: {} });
    assert.equal(outputs.length, 2);
    assert.ok(outputs[0].text.length <= 1024 * 1024);
    assert.equal(outputs[1].name, "stderr");
    assert.match(outputs[1].text, /\[output truncated after 1 MB/);
    assert.equal(c.streamLines, 5, "lines are still counted (the stall check needs them)");
    c.nextCell([]);
    assert.equal(c.handle("stream", { name: "stdout", text: "fresh\n" }), true);
  });

  test("the output folder lock: refused while its holder lives, taken over when it died", () => {
    const dir = tmpDir("lock");
    try {
      fs.writeFileSync(path.join(dir, ".execute.lock"), `${process.ppid}\n`);
      assert.throws(() => lockOutputDir(dir), new RegExp(`another run is writing .* \\(pid ${process.ppid}\\)`));
      const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
      fs.writeFileSync(path.join(dir, ".execute.lock"), dead.stdout);
      const lock = lockOutputDir(dir);
      assert.equal(fs.readFileSync(path.join(dir, ".execute.lock"), "utf8"), `${process.pid}\n`);
      lock.release();
      assert.deepEqual(fs.readdirSync(dir), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("npm run execute's list: notebooks/*.ipynb, then notebooks/solutions/*.ipynb when it exists", () => {
    const root = tmpDir("course");
    try {
      fs.mkdirSync(path.join(root, "notebooks"));
      for (const f of ["02-b.ipynb", "00-start-here.ipynb", "01-a.ipynb", "notes.md"]) fs.writeFileSync(path.join(root, "notebooks", f), "");
      assert.deepEqual(courseNotebooks(root).map((f) => path.relative(root, f)),
        ["notebooks/00-start-here.ipynb", "notebooks/01-a.ipynb", "notebooks/02-b.ipynb"]);
      fs.mkdirSync(path.join(root, "notebooks", "solutions"));
      fs.writeFileSync(path.join(root, "notebooks", "solutions", "01-a.ipynb"), "");
      assert.deepEqual(courseNotebooks(root).map((f) => path.relative(root, f)).slice(3), ["notebooks/solutions/01-a.ipynb"]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("runner library: a passing notebook", { concurrency: false }, () => {
  test("outputs, execution counts, display updates; atomic write; source untouched", { timeout: 90_000 }, async (t) => {
    const marker = newMarker();
    const out = tmpDir("pass");
    const source = path.join(FIXTURES, "pass.ipynb");
    const before = sha(source);
    try {
      // A private Jupyter data folder: the notary database that `jupyter trust` signs into.
      const data = path.join(out, ".jupyter-data");
      const env = { ...process.env, [MARKER_VAR]: marker, JUPYTER_DATA_DIR: data };
      const result = await executeNotebooks([source], { outputDir: out, env });
      t.diagnostic(`server start ${result.serverStartSeconds.toFixed(2)} s, kernel start ${result.notebooks[0].kernelStartSeconds.toFixed(2)} s, ` +
        `cells ${result.notebooks[0].cells.map((c) => c.ms).join(" / ")} ms`);
      assert.equal(result.ok, true, result.failures.map((f) => f.message).join("\n"));
      assert.deepEqual(await waitForNoMarked(marker), [], "server and kernel must be gone");
      assert.deepEqual(fs.readdirSync(out), [".jupyter-data", "pass.ipynb"], "exactly the executed notebook, no temp file, no lock");
      // Trusted by the Jupyter that ran it (its plots show in JupyterLab without re-running);
      // the unexecuted source is not, so the check can fail.
      const python = path.join(path.dirname(findJupyterServer()!), "python");
      const trusted = (file: string) => spawnSync(python, ["-c",
        "import nbformat,sys; from nbformat.sign import NotebookNotary; print(NotebookNotary().check_signature(nbformat.read(sys.argv[1], 4)))", file],
      { encoding: "utf8", env }).stdout.trim();
      assert.equal(trusted(path.join(out, "pass.ipynb")), "True");
      assert.equal(trusted(source), "False");
      assert.equal(sha(source), before, "the source notebook must not change");

      const nb = readNotebook(path.join(out, "pass.ipynb"));
      assert.equal(fs.readFileSync(path.join(out, "pass.ipynb"), "utf8"), serializeNotebook(result.notebooks[0].notebook!));
      assert.deepEqual(nb.metadata, readNotebook(source).metadata, "kernelspec and language_info kept as they are");
      const cells = codeCells(nb);
      // Empty cells are not sent to the kernel (as nbclient): no count, no output.
      assert.deepEqual(cells.map((c) => c.execution_count), [1, null, 2, 3, 4, 5, 6, 7, 8]);
      // Consecutive writes to one stream become one output; stdout and stderr stay apart.
      assert.deepEqual(cells[0].outputs.map((o) => o.output_type === "stream" ? [o.name, joinText(o.text)] : o.output_type),
        [["stdout", "one\ntwo\nthree\n"], ["stderr", "warn 1\nwarn 2\n"]]);
      assert.deepEqual(outputsOf(nb, "text/html"), ["<b>bold</b>"]);
      // The display made in one cell shows what a later cell last wrote into it.
      assert.equal(cells[3].outputs.length, 1);
      assert.deepEqual(outputsOf(nb, "text/plain"), ["final step"]);
      assert.equal(cellText(cells[4]), "updated\n", "the update itself adds no output to the later cell");
      assert.equal(cellText(cells[5]), "42\n");
      assert.equal(cellText(cells[6]), "100%\ntrue\n", "carriage returns resolved like a terminal");
      // A cell tagged raises-exception may fail: its error text is kept and the run goes on.
      assert.match(cellText(cells[7]), /SyntaxError/);
      assert.equal(cellText(cells[8]), "after expected error 42\n");
      for (const c of cells) {
        if (c.execution_count === null) continue;
        assert.equal(typeof c.metadata.runner?.duration_ms, "number");
        assert.match(String(c.metadata.execution?.["shell.execute_reply"]), /^\d{4}-\d\d-\d\dT/);
      }
      if (hasPyNbformat) {
        const v = spawnSync(PY, ["-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", path.join(out, "pass.ipynb")], { encoding: "utf8" });
        assert.equal(v.status, 0, `executed notebook is not valid nbformat:\n${v.stderr}`);
      }
    } finally {
      killMarked(marker);
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test("a running server (--server-url/--token): kernel shut down, server left running", { timeout: 90_000 }, async () => {
    const marker = newMarker();
    const server = await startJupyterServer({ env: { ...process.env, [MARKER_VAR]: marker } });
    const out = tmpDir("ext");
    try {
      const result = await executeNotebooks([path.join(FIXTURES, "runtime-error.ipynb")], {
        outputDir: out, serverUrl: server.url, token: server.token,
      });
      assert.equal(result.ok, false);
      assert.match(result.failures[0].message, /cell 2 .*failed:[\s\S]*boom from the fixture/);
      assert.equal(result.failures[0].cell, 2);
      assert.equal(result.failures[0].firstLine, "function explode(): never {");
      const kernels = await (await fetch(`${server.url}api/kernels`, { headers: { Authorization: `token ${server.token}` } })).json();
      assert.deepEqual(kernels, [], "the runner shuts down the kernels it started");
      assert.ok(processesWithMarker(marker).some((p) => p.pid === server.pid), "the server is not the runner's to stop");
      assert.deepEqual(fs.readdirSync(out), []);
    } finally {
      await server.stop();
      assert.deepEqual(await waitForNoMarked(marker), []);
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test("notebooks outside the project root, several in one server, --keep-going", { timeout: 90_000 }, async () => {
    const dir = tmpDir("outside");
    const marker = newMarker();
    try {
      fs.copyFileSync(path.join(FIXTURES, "runtime-error.ipynb"), path.join(dir, "a.ipynb"));
      const nb = readNotebook(path.join(FIXTURES, "pass.ipynb"));
      nb.cells = [nb.cells[1], { ...nb.cells[1], id: "x", source: 'console.log(require("path").basename(process.cwd()));' }];
      fs.mkdirSync(path.join(dir, "sub"));
      fs.writeFileSync(path.join(dir, "sub", "b.ipynb"), serializeNotebook(nb));
      const result = await executeNotebooks([path.join(dir, "a.ipynb"), path.join(dir, "sub", "b.ipynb")], {
        outputDir: path.join(dir, "out"), sourceDir: dir, keepGoing: true, trust: false, env: { ...process.env, [MARKER_VAR]: marker },
      });
      assert.equal(result.ok, false);
      assert.deepEqual(result.notebooks.map((n) => n.ok), [false, true]);
      // Below sourceDir, the executed copy keeps its relative path (as notebooks/solutions/ does).
      assert.deepEqual(fs.readdirSync(path.join(dir, "out"), { recursive: true }).sort(), ["sub", "sub/b.ipynb"]);
      // The kernel runs in the notebook's own folder.
      assert.equal(cellText(codeCells(readNotebook(path.join(dir, "out", "sub", "b.ipynb")))[1]), "sub\n");
      assert.deepEqual(await waitForNoMarked(marker), []);
    } finally {
      killMarked(marker);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("kernelspec", () => {
  test("project-local kernel.json: this node, this checkout's tslab, --config-path", () => {
    const spec = kernelSpec();
    assert.deepEqual(spec.argv, [process.execPath, path.join(ROOT, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"]);
    assert.ok(spec.argv.slice(0, 2).every((p) => path.isAbsolute(p) && fs.existsSync(p)));
  });

  test("kernel:install --global writes to the Jupyter data dir it is given, nowhere else", { timeout: 60_000 }, async () => {
    const data = tmpDir("data");
    try {
      const r = await run(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "kernel.ts"), "--global"], {
        cwd: ROOT, env: { ...process.env, JUPYTER_DATA_DIR: data },
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const written = JSON.parse(fs.readFileSync(path.join(data, "kernels", "tslab", "kernel.json"), "utf8"));
      assert.deepEqual(written, kernelSpec());
      const local = JSON.parse(fs.readFileSync(path.join(ROOT, ".jupyter-local", "kernels", "tslab", "kernel.json"), "utf8"));
      assert.deepEqual(local, kernelSpec());
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});

describe("nb:clean", () => {
  function dirtyNotebook(): string {
    const nb = readNotebook(path.join(FIXTURES, "pass.ipynb")) as any;
    nb.metadata.widgets = { state: {} };
    nb.metadata.language_info.version = "5.0.4";
    nb.cells[1].execution_count = 3;
    nb.cells[1].outputs = [{ output_type: "stream", name: "stdout", text: "one\n" }];
    nb.cells[1].metadata = { collapsed: false, scrolled: true, tags: ["keep"], jupyter: { source_hidden: true, outputs_hidden: true } };
    nb.cells[2].metadata = { tags: [] };
    delete nb.cells[3].id;
    nb.cells[4].id = nb.cells[1].id;
    nb.nbformat_minor = 4;
    return JSON.stringify(nb); // no indent: not Jupyter's layout either
  }

  test("cleans every volatile part, keeps tags/source_hidden/ids, is idempotent", () => {
    const { notebook, problems } = cleanNotebook(JSON.parse(dirtyNotebook()));
    const text = problems.join("\n");
    for (const re of [/extra keys \(widgets\)/, /cell 2 .*"collapsed" removed/, /cell 2 .*jupyter\.outputs_hidden/, /cell 2 .*1 output/,
      /cell 2 .*execution_count 3/, /cell 3 .*empty "tags"/, /cell 4 .*missing id; set to "cell-4"/, /cell 5 .*duplicate; set to "cell-5"/,
      /nbformat 4\.4 set to 4\.5/]) assert.match(text, re);
    assert.deepEqual(notebook.metadata, {
      kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" }, language_info: { name: "typescript" },
    });
    assert.deepEqual(notebook.cells[1].metadata, { tags: ["keep"], jupyter: { source_hidden: true } });
    assert.equal(notebook.cells[0].id, "cell-1");
    assert.ok(codeCells(notebook).every((c) => c.outputs.length === 0 && c.execution_count === null));
    const again = cleanNotebook(JSON.parse(serializeNotebook(notebook)));
    assert.deepEqual(again.problems, []);
    assert.equal(serializeNotebook(again.notebook), serializeNotebook(notebook));
    assert.equal(sourceOf(notebook.cells[1]), sourceOf(JSON.parse(dirtyNotebook()).cells[1]));
  });

  test("CLI: --check lists problems and exits 1; cleaning writes Jupyter's exact layout", { timeout: 60_000 }, async () => {
    const dir = tmpDir("clean");
    const file = path.join(dir, "dirty.ipynb");
    fs.writeFileSync(file, dirtyNotebook());
    const cli = path.join(ROOT, "scripts", "nb-clean.ts");
    try {
      const check = await run(process.execPath, ["--import", "tsx", cli, "--check", file], { cwd: ROOT });
      assert.equal(check.code, 1);
      assert.match(check.stdout, /dirty\.ipynb: not clean/);
      assert.match(check.stdout, /extra keys \(widgets\)/);
      assert.equal(fs.readFileSync(file, "utf8"), dirtyNotebook(), "--check writes nothing");
      const clean = await run(process.execPath, ["--import", "tsx", cli, file], { cwd: ROOT });
      assert.equal(clean.code, 0, clean.stderr);
      const again = await run(process.execPath, ["--import", "tsx", cli, "--check", file], { cwd: ROOT });
      assert.equal(again.code, 0, again.stdout);
      assert.deepEqual(fs.readdirSync(dir), ["dirty.ipynb"], "no temp files left");
      if (hasPyNbformat) {
        const py = spawnSync(PY, ["-c", "import nbformat,sys; nb=nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); sys.stdout.write(nbformat.writes(nb) + '\\n')", file], { encoding: "utf8" });
        assert.equal(py.status, 0, py.stderr);
        assert.equal(fs.readFileSync(file, "utf8"), py.stdout, "byte-identical to what Jupyter would save");
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("splits lines like Python's str.splitlines(keepends=True)", () => {
    assert.deepEqual(pySplitLines("a\nb\r\nc\rd\u2028e"), ["a\n", "b\r\n", "c\r", "d\u2028", "e"]);
    assert.deepEqual(pySplitLines("x\n"), ["x\n"]);
    assert.deepEqual(pySplitLines(""), []);
  });
});

describe("npm run lab", () => {
  test("starts Jupyter on 127.0.0.1 with the tslab kernelspec, stops on SIGTERM", { timeout: 90_000 }, async (t) => {
    const marker = newMarker();
    const runtime = tmpDir("lab-runtime");
    const port = await freePort();
    let seen = "";
    let probe: Promise<unknown> | null = null;
    const t0 = Date.now();
    const check = async (url: string, child: { kill: (s: NodeJS.Signals) => boolean }) => {
      try {
        t.diagnostic(`lab printed its URL after ${((Date.now() - t0) / 1000).toFixed(2)} s`);
        const u = new URL(url);
        assert.equal(u.hostname, "127.0.0.1");
        assert.equal(u.port, String(port));
        const token = u.searchParams.get("token") ?? "";
        const res = await fetch(`http://127.0.0.1:${port}/api/kernelspecs`, { headers: { Authorization: `token ${token}` } });
        assert.equal(res.status, 200);
        const specs = (await res.json()) as { kernelspecs: Record<string, { spec: { argv: string[] } }> };
        assert.ok(specs.kernelspecs.tslab, `no tslab kernelspec in ${Object.keys(specs.kernelspecs).join(", ")}`);
        assert.deepEqual(specs.kernelspecs.tslab.spec.argv, kernelSpec().argv);
        const tree = await fetch(`http://127.0.0.1:${port}/api/contents/notebooks`, { headers: { Authorization: `token ${token}` } });
        assert.equal(tree.status, 200, "the server's root is the project root (notebooks/ is inside it)");
      } finally {
        child.kill("SIGTERM");
      }
    };
    const onChunk: RunOptions["onStdout"] = (chunk, child) => {
      seen += chunk;
      const m = /http:\/\/127\.0\.0\.1:\d+\/[^\s]*token=[0-9a-f]+/.exec(seen);
      if (m && !probe) probe = check(m[0], child);
    };
    try {
      const r = await run(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "lab.ts"), "--no-browser", `--port=${port}`], {
        cwd: ROOT,
        // A private runtime dir: no cookie secret or server file lands in the user's own.
        env: { ...process.env, [MARKER_VAR]: marker, JUPYTER_RUNTIME_DIR: runtime },
        timeoutMs: 60_000,
        onStdout: onChunk,
        onStderr: onChunk,
      });
      assert.ok(probe, `lab never printed a URL with a token:\n${r.stdout}\n${r.stderr}`);
      await probe;
      assert.match(r.stdout, /lab: starting (JupyterLab|the Jupyter Notebook) in /);
      assert.deepEqual(await waitForNoMarked(marker, 5000), [], "Jupyter must be gone after SIGTERM");
    } finally {
      killMarked(marker);
      fs.rmSync(runtime, { recursive: true, force: true });
    }
  });
});
