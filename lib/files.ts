// Not built in a lesson: file plumbing under every writer and reader.
// Node-only: the file helpers under every writer and reader of the project (lib/io.ts,
// lib/model-io.ts, the notebook runner and the site builder), kept apart from any data format so
// that the scripts import them without the data set code.
// Writes are atomic and durable: the text goes to a temporary file in the same folder, which is
// flushed to disk (fsync) and then renamed over the target, and the folder is flushed after the
// rename, so a crash leaves either the old file or the new one, never half of one. Reads take
// only regular files, up to a size cap, so a FIFO, a device or a huge file cannot hang or flood us.
import * as fs from "fs";
import * as path from "path";
import { describe } from "./checks";

/** The most bytes readText reads unless told otherwise (256 MiB, well under a JavaScript string's limit). */
export const MAX_READ_BYTES = 256 * 1024 * 1024;

/** An I/O failure as an Error naming the function, the path and what went wrong (with the system's code). */
function ioError(fn: string, file: string, what: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  const reason = err && typeof err.code === "string" ? `${err.code}: ${REASONS[err.code] ?? err.message}` : String((err && err.message) || e);
  return new Error(`${fn}(${file}): ${what} (${reason})`);
}

const REASONS: Record<string, string> = {
  ENOENT: "no such file or folder",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is not a folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on the device",
  EROFS: "read-only file system",
  EDQUOT: "disk quota exceeded",
  EEXIST: "already exists",
};

/** A file path argument: a non-empty string without NUL characters. */
function checkPath(fn: string, file: unknown): string {
  if (typeof file !== "string" || file === "" || file.includes("\0")) {
    throw new Error(`${fn}: path is ${describe(file)}, expected a file path (a non-empty string)`);
  }
  return file;
}

/** What kind of file a Stats describes, in words. */
function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  if (st.isSymbolicLink()) return "a symbolic link";
  return st.isFile() ? "a regular file" : "not a regular file";
}

/**
 * Create dir and its missing parents, one level at a time, with errors that name the caller and the
 * folder. (A recursive mkdir under /proc can loop forever on some Node versions; this cannot: each
 * level is created once or the call throws.)
 */
function makeFolders(fn: string, file: string, dir: string): void {
  const missing: string[] = [];
  let d = path.resolve(dir);
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw ioError(fn, file, `cannot look at the folder ${d}`, e);
    }
    if (st) {
      if (!st.isDirectory()) throw new Error(`${fn}(${file}): ${d} is ${kindOf(st)}, expected a folder to write into`);
      break;
    }
    missing.push(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing.reverse()) {
    try {
      fs.mkdirSync(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw ioError(fn, file, `cannot create the folder ${m}`, e);
    }
  }
}

/** The temp-file name pattern of writeFileAtomic for target base name `base`: `.<base>.<pid>.<ms>.tmp`. */
function tempPattern(base: string): RegExp {
  return new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(\\d+)\\.(\\d+)\\.tmp$`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // alive, but someone else's
  }
}

/**
 * Remove temp files that an earlier writeFileAtomic of the same target left behind when its process
 * died mid-write (e.g. SIGKILL): those whose process is no longer alive. Returns how many.
 */
export function removeStaleTemps(file: string): number {
  const dir = path.dirname(file);
  const re = tempPattern(path.basename(file));
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = re.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
      removed++;
    } catch {
      // another writer may have removed it first; nothing to do
    }
  }
  return removed;
}

/**
 * Write text to file atomically and durably: a hidden temp file `.<name>.<pid>.<ms>.tmp` in the same
 * folder, fsync, rename over the target, fsync of the folder. Creates missing folders. Temp files
 * left by a writer that died mid-write are removed first. Refuses a target that exists but is not a
 * regular file (a folder, a FIFO, a device). Errors name `fn` (the caller, e.g. "saveModel") and the path.
 */
export function writeFileAtomic(file: string, text: string, fn = "writeFileAtomic"): void {
  checkPath(fn, file);
  if (typeof text !== "string") throw new Error(`${fn}(${file}): the text to write is ${describe(text)}, expected a string`);
  const dir = path.dirname(file);
  makeFolders(fn, file, dir);
  let target: fs.Stats | undefined;
  try {
    target = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw ioError(fn, file, "cannot look at the target", e);
  }
  if (target && !target.isFile()) throw new Error(`${fn}(${file}): the target is ${kindOf(target)}, expected a regular file (or nothing) to replace`);
  removeStaleTemps(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, "wx", 0o644);
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw ioError(fn, file, "cannot write the file", e);
  }
  syncFolder(dir);
}

/** fsync a folder so a rename in it survives a power cut (not every file system allows it: then skip). */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // EISDIR/EINVAL/EPERM on file systems that cannot sync a folder: the data itself is already synced
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Read a text file (UTF-8). Only a regular file is read (a folder, a FIFO or a device such as
 * /dev/zero is refused, without blocking), and at most maxBytes (default MAX_READ_BYTES); errors
 * name the calling function and the file.
 */
export function readText(fn: string, file: string, maxBytes = MAX_READ_BYTES): string {
  checkPath(fn, file);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw ioError(fn, file, "cannot read the file", e);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Error(`${fn}(${file}): the path is ${kindOf(st)}, expected a regular file`);
    if (st.size > maxBytes) throw new Error(`${fn}(${file}): the file has ${st.size} bytes, more than the limit of ${maxBytes} bytes`);
    // read up to maxBytes + 1 whatever size stat reports (files under /proc report 0 and still have content)
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      let got: number;
      try {
        got = fs.readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        throw ioError(fn, file, "cannot read the file", e);
      }
      if (got === 0) break;
      chunks.push(buf.subarray(0, got));
      total += got;
      if (total > maxBytes) throw new Error(`${fn}(${file}): the file has more than the limit of ${maxBytes} bytes`);
    }
    return Buffer.concat(chunks, total).toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}
