// lib/files.ts under faults (issue 14 items 3, 12, 14): durable atomic writes (fsync of the file
// before the rename, of the folder after), stale temp files of a killed writer removed on the next
// write, guarded folder creation, and reads that refuse FIFOs, devices and folders and cap the size.
// Anything that could hang runs in a child process with a timeout, so a regression fails, not hangs.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

/** Run a snippet (with lib/ imports resolved from the project root) in a child; fail if it hangs. */
function runChild(code: string, timeoutMs = 20_000): { status: number | null; out: string; timedOut: boolean } {
  const file = path.join(os.tmpdir(), `rnn-files-child-${process.pid}-${Date.now()}.ts`);
  fs.writeFileSync(file, code.replace(/"lib\//g, `"${ROOT}/lib/`));
  try {
    const r = spawnSync(TSX, [file], { encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL" });
    return { status: r.status, out: (r.stdout ?? "") + (r.stderr ?? ""), timedOut: r.error !== undefined || r.signal === "SIGKILL" };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** A pid that is certainly not alive: a child that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "rnn-files-"));
}

test("writeFileAtomic removes the temp file a killed writer left for the same target, and only that", async () => {
  const { writeFileAtomic } = await import("../../lib/files");
  const dir = tmpDir();
  try {
    const dead = deadPid();
    const stale = path.join(dir, `.m.json.${dead}.1700000000000.tmp`);
    const live = path.join(dir, `.m.json.${process.pid}.1700000000001.tmp`); // a write in progress (this process)
    const other = path.join(dir, `.other.json.${dead}.1700000000002.tmp`); // another target's
    const lookalike = path.join(dir, `.m.json.backup.tmp`);
    for (const f of [stale, live, other, lookalike]) fs.writeFileSync(f, "x".repeat(1000));
    writeFileAtomic(path.join(dir, "m.json"), "{}\n");
    assert.equal(fs.readFileSync(path.join(dir, "m.json"), "utf8"), "{}\n");
    assert.ok(!fs.existsSync(stale), "the dead writer's temp file should be gone");
    for (const f of [live, other, lookalike]) assert.ok(fs.existsSync(f), `${path.basename(f)} must stay`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a SIGKILLed writer's orphan is cleaned by the next write (real kill, real process)", () => {
  const dir = tmpDir();
  try {
    const target = path.join(dir, "big.json");
    // the child starts a write and is killed in the middle: fake "the middle" by writing the temp
    // file under the child's own pid and then killing it before it renames
    const r = spawnSync(process.execPath, ["-e", `
      const fs = require("fs"); const path = require("path");
      fs.writeFileSync(path.join(${JSON.stringify(dir)}, ".big.json." + process.pid + "." + Date.now() + ".tmp"), "half");
      process.kill(process.pid, "SIGKILL");`], { encoding: "utf8" });
    assert.equal(r.signal, "SIGKILL");
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith(".tmp")).length, 1, "the orphan exists before the next write");
    const out = runChild(`import { writeFileAtomic } from "lib/files"; writeFileAtomic(${JSON.stringify(target)}, "whole\\n");`);
    assert.equal(out.status, 0, out.out);
    assert.deepEqual(fs.readdirSync(dir), ["big.json"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("writeFileAtomic fsyncs the temp file before the rename and the folder after it", async () => {
  const files = await import("../../lib/files");
  const realFs = require("fs") as typeof fs & Record<string, unknown>;
  const events: string[] = [];
  const orig = { fsyncSync: realFs.fsyncSync, renameSync: realFs.renameSync, openSync: realFs.openSync };
  const fdPath = new Map<number, string>();
  realFs.openSync = ((p: fs.PathLike, ...rest: unknown[]) => {
    const fd = (orig.openSync as (...a: unknown[]) => number)(p, ...rest);
    fdPath.set(fd, String(p));
    return fd;
  }) as typeof fs.openSync;
  realFs.fsyncSync = ((fd: number) => {
    const p = fdPath.get(fd) ?? "?";
    events.push(`fsync ${p.endsWith(".tmp") ? "temp" : fs.statSync(p).isDirectory() ? "folder" : p}`);
    orig.fsyncSync(fd);
  }) as typeof fs.fsyncSync;
  realFs.renameSync = ((a: fs.PathLike, b: fs.PathLike) => {
    events.push("rename");
    orig.renameSync(a, b);
  }) as typeof fs.renameSync;
  const dir = tmpDir();
  try {
    files.writeFileAtomic(path.join(dir, "a.json"), "1\n");
  } finally {
    Object.assign(realFs, orig);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(events, ["fsync temp", "rename", "fsync folder"]);
});

test("writeFileAtomic refuses a target that is a folder or a FIFO, a parent that is a file, and paths under /proc, with errors naming the caller and path", async () => {
  const { writeFileAtomic } = await import("../../lib/files");
  const dir = tmpDir();
  try {
    fs.mkdirSync(path.join(dir, "folder"));
    assert.throws(() => writeFileAtomic(path.join(dir, "folder"), "x", "saveModel"), /^Error: saveModel\(.*folder\): the target is a folder, expected a regular file/);
    fs.writeFileSync(path.join(dir, "file"), "x");
    assert.throws(() => writeFileAtomic(path.join(dir, "file", "m.json"), "x", "saveModel"), /^Error: saveModel\(.*file\/m\.json\): .*file is a regular file, expected a folder to write into/);
    execFileSync("mkfifo", [path.join(dir, "fifo")]);
    assert.throws(() => writeFileAtomic(path.join(dir, "fifo"), "x", "saveDataset"), /saveDataset\(.*fifo\): the target is a FIFO \(named pipe\), expected a regular file/);
    assert.ok(fs.statSync(path.join(dir, "fifo")).isFIFO(), "the FIFO is left alone");
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith(".tmp")), [], "no temp file left behind");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const r = runChild(`import { saveModel } from "lib/model-io"; import { initRnnParams } from "lib/params";
    try { saveModel("/proc/self/x/m.json", initRnnParams({ I: 1, H: 2, seed: 1 })); console.log("no error"); } catch (e) { console.log((e as Error).message); }`);
  assert.ok(!r.timedOut, "saveModel under /proc must not spin");
  assert.match(r.out, /^saveModel\(\/proc\/self\/x\/m\.json\): cannot create the folder \/proc\/self\/x \(E[A-Z]+: /m);
});

test("readText refuses FIFOs, devices and folders without blocking, and caps the size", async () => {
  const { readText } = await import("../../lib/files");
  const dir = tmpDir();
  try {
    execFileSync("mkfifo", [path.join(dir, "fifo")]);
    const r = runChild(`import { loadDataset } from "lib/io";
      try { loadDataset(${JSON.stringify(path.join(dir, "fifo"))}); console.log("no error"); } catch (e) { console.log((e as Error).message); }`);
    assert.ok(!r.timedOut, "loadDataset on a FIFO must not block");
    assert.match(r.out, /loadDataset\(.*fifo\): the path is a FIFO \(named pipe\), expected a regular file/);
    const z = runChild(`import { loadDataset } from "lib/io";
      try { loadDataset("/dev/zero"); console.log("no error"); } catch (e) { console.log((e as Error).message); }`);
    assert.ok(!z.timedOut, "loadDataset on /dev/zero must not read forever");
    assert.match(z.out, /loadDataset\(\/dev\/zero\): the path is a character device, expected a regular file/);
    assert.throws(() => readText("loadModel", dir), /^Error: loadModel\(.*\): the path is a folder, expected a regular file/);
    fs.writeFileSync(path.join(dir, "big.json"), "x".repeat(100));
    assert.throws(() => readText("loadDataset", path.join(dir, "big.json"), 50), /loadDataset\(.*big\.json\): the file has 100 bytes, more than the limit of 50 bytes/);
    assert.equal(readText("loadDataset", path.join(dir, "big.json"), 100).length, 100);
    assert.match(readText("test", "/proc/self/status"), /^Name:/m, "a /proc file (size 0 in stat) is read whole");
    assert.throws(() => readText("loadDataset", undefined as unknown as string), /^Error: loadDataset: path is undefined, expected a file path/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("saveModel and saveDataset name themselves and the path for ENOSPC, EPERM and bad path arguments, and leave no temp file", async () => {
  const { saveModel } = await import("../../lib/model-io");
  const { saveDataset } = await import("../../lib/io");
  const { initRnnParams } = await import("../../lib/params");
  const { makeSignOfSumData } = await import("../../lib/data");
  const p = initRnnParams({ I: 1, H: 2, seed: 1 });
  const ds = makeSignOfSumData({ n: 2, T: 2, I: 1, seed: 1 });
  const realFs = require("fs") as typeof fs;
  const dir = tmpDir();
  const fail = (name: "writeFileSync" | "renameSync", code: string): (() => void) => {
    const orig = realFs[name];
    (realFs as unknown as Record<string, unknown>)[name] = () => {
      throw Object.assign(new Error(`${code}: simulated`), { code });
    };
    return () => {
      (realFs as unknown as Record<string, unknown>)[name] = orig;
    };
  };
  try {
    let restore = fail("writeFileSync", "ENOSPC");
    try {
      assert.throws(() => saveModel(path.join(dir, "m.json"), p), /^Error: saveModel\(.*m\.json\): cannot write the file \(ENOSPC: no space left on the device\)/);
      assert.throws(() => saveDataset(path.join(dir, "d.json"), ds), /^Error: saveDataset\(.*d\.json\): cannot write the file \(ENOSPC/);
    } finally {
      restore();
    }
    restore = fail("renameSync", "EPERM");
    try {
      assert.throws(() => saveModel(path.join(dir, "m.json"), p), /^Error: saveModel\(.*m\.json\): cannot write the file \(EPERM: operation not permitted\)/);
    } finally {
      restore();
    }
    assert.deepEqual(fs.readdirSync(dir), [], "no temp file and no half-written target");
    assert.throws(() => saveModel(undefined as unknown as string, p), /^Error: saveModel: path is undefined, expected a file path/);
    assert.throws(() => saveDataset(42 as unknown as string, ds), /^Error: saveDataset: path is 42, expected a file path/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
