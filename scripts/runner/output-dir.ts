// The folder executed notebooks are written to: checked before any kernel starts (it must be a
// folder we can write), and locked for the whole run, so that two runs (say `npm test` and
// `npm start` at once) never remove or overwrite each other's fresh output. Each notebook is then
// written atomically (a temporary sibling renamed over the target) by writeNotebook.
import * as fs from "fs";
import * as path from "path";
import { RunnerInputError } from "./errors";
import { isAlive } from "./procfs";

const LOCK = ".execute.lock";

export interface OutputLock {
  dir: string;
  /** Remove the lock (idempotent; also done at process exit). */
  release(): void;
}

/** `dir` for messages: relative to the working directory when inside it. */
function shown(dir: string): string {
  const r = path.relative(process.cwd(), dir);
  return r && !r.startsWith("..") ? r : dir;
}

/** The first part of `dir` (itself or an ancestor) that exists but is not a folder, or null. */
function fileInTheWay(dir: string): string | null {
  for (let p = dir; ; p = path.dirname(p)) {
    try {
      return fs.statSync(p).isDirectory() ? null : p;
    } catch {
      if (path.dirname(p) === p) return null;
    }
  }
}

/** mkdir -p, one level at a time: Node's recursive mkdir spins forever below /proc. */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let p = dir; !fs.existsSync(p) && path.dirname(p) !== p; p = path.dirname(p)) missing.unshift(p);
  for (const p of missing) {
    try {
      fs.mkdirSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
}

/**
 * Create `dir` if needed and take its lock; throws RunnerInputError naming the path when it is a
 * file, cannot be written, or another live run holds the lock (a lock left by a run that was
 * killed is taken over).
 */
export function lockOutputDir(dir: string): OutputLock {
  const blocker = fileInTheWay(dir);
  if (blocker) {
    throw new RunnerInputError(blocker === dir
      ? `the output folder ${shown(dir)} is a file, not a folder`
      : `the output folder ${shown(dir)} cannot be created: ${shown(blocker)} is a file`);
  }
  const lockFile = path.join(dir, LOCK);
  for (let attempt = 0; ; attempt++) {
    try {
      makeDirs(dir);
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") {
        throw new RunnerInputError(`cannot write to the output folder ${shown(dir)} (${code ?? (e as Error).message}); choose another with --out DIR`);
      }
      let holder = NaN;
      try {
        holder = Number.parseInt(fs.readFileSync(lockFile, "utf8"), 10);
      } catch {
        // released in between: try again
      }
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new RunnerInputError(`another run is writing ${shown(dir)} (pid ${holder}); wait for it to finish, or use --out DIR`);
      }
      if (attempt >= 2) throw new RunnerInputError(`cannot take the lock ${shown(lockFile)}`);
      fs.rmSync(lockFile, { force: true }); // left by a run that died
    }
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.removeListener("exit", release);
    try {
      if (fs.readFileSync(lockFile, "utf8").trim() === String(process.pid)) fs.rmSync(lockFile, { force: true });
    } catch {
      // already gone
    }
  };
  process.on("exit", release);
  return { dir, release };
}
