// The project's own Python environment: JupyterLab 4.6, Notebook 7, nbconvert and jupyter_server at
// the versions pinned in python/requirements.txt, installed into <root>/.venv/ (git-ignored) the first
// time a command needs them. `npm start`, `npm run lab`, `npm run execute` and `npm test` call
// ensurePythonEnv(); `npm run setup` (this file as a script) does only that.
//
//   npm run setup                 create or update .venv/ (fast when it is up to date)
//   tsx scripts/python-env.ts --venv DIR   the same, into another folder (or set RNN_VENV=DIR for
//                                          every command)
//
// Why a stamp: .venv/.requirements-sha256 holds the hash of the requirements file the environment
// was installed from, so a rerun costs one file read, and a changed pin file updates the environment. Why a lock: two commands started at once (say `npm test` in two
// terminals) must not run pip into the same folder together; the second waits for the first.
// Nothing here deletes a folder it did not create: an existing .venv/ without our marker is left
// alone and reported.
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "./runner/kernelspec";

export const REQUIREMENTS = path.join(PROJECT_ROOT, "python", "requirements.txt");
/** <root>/.venv, or the folder named by RNN_VENV (e.g. one environment shared by several checkouts). */
export const DEFAULT_VENV = process.env.RNN_VENV ? path.resolve(process.env.RNN_VENV) : path.join(PROJECT_ROOT, ".venv");
/** JupyterLab 4.6 needs Python 3.10 or newer (its package says so; pip refuses older ones). */
export const MIN_PYTHON: [number, number] = [3, 10];

const MARKER = ".made-by-rnn-from-scratch";
const STAMP = ".requirements-sha256";
const BIN = process.platform === "win32" ? "Scripts" : "bin";

/** A problem the user can fix: printed as its message alone, never with a stack trace. */
export class PythonEnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PythonEnvError";
  }
}

/** An executable inside the project venv (e.g. "jupyter-server"), or null when it is not there. */
export function venvExecutable(name: string, venv: string = DEFAULT_VENV): string | null {
  const file = path.join(venv, BIN, process.platform === "win32" ? `${name}.exe` : name);
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return file;
  } catch {
    return null;
  }
}

/** env with the venv's bin folder first on PATH (so Jupyter's own helpers come from the venv too). */
export function envWithVenv(env: NodeJS.ProcessEnv = process.env, venv: string = DEFAULT_VENV): NodeJS.ProcessEnv {
  const bin = path.join(venv, BIN);
  const rest = (env.PATH ?? "").split(path.delimiter).filter((p) => p !== "" && p !== bin);
  return { ...env, PATH: [bin, ...rest].join(path.delimiter), VIRTUAL_ENV: venv };
}

const hashOf = (text: string) => crypto.createHash("sha256").update(text).digest("hex");

function stampText(requirements: string): string {
  return `${hashOf(fs.readFileSync(requirements, "utf8"))}\n`;
}

/** True when venv was installed from this very requirements file and its Jupyter is in place. */
export function isUpToDate(venv: string = DEFAULT_VENV, requirements: string = REQUIREMENTS): boolean {
  try {
    return fs.readFileSync(path.join(venv, STAMP), "utf8") === stampText(requirements) && venvExecutable("jupyter-server", venv) !== null;
  } catch {
    return false;
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Take <venv>.lock (a folder: mkdir is atomic) holding our pid; wait while a live process holds it,
 * take it over from a dead one. Returns the function that releases it.
 */
function lock(venv: string, log: (line: string) => void, timeoutMs = 20 * 60_000): () => void {
  const dir = `${venv}.lock`;
  const owner = path.join(dir, "pid");
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(owner, `${process.pid}\n`);
      return () => fs.rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    let pid = NaN;
    let age = 0;
    try {
      pid = Number(fs.readFileSync(owner, "utf8"));
    } catch {
      try {
        age = Date.now() - fs.statSync(dir).mtimeMs;
      } catch {
        continue; // released just now
      }
    }
    // A holder that died (or never wrote its pid within 10 s) leaves a stale lock: ours to remove.
    if ((Number.isInteger(pid) && pid > 0 && !isAlive(pid)) || (!(pid > 0) && age > 10_000)) {
      fs.rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (!told) {
      log(`Another process${pid > 0 ? ` (pid ${pid})` : ""} is setting up ${path.relative(process.cwd(), venv) || venv}; waiting for it…`);
      told = true;
    }
    if (Date.now() - started > timeoutMs) {
      throw new PythonEnvError(`Gave up waiting for ${dir} after ${timeoutMs / 60_000} min. If no other setup is running, remove that folder and try again.`);
    }
    sleepSync(250);
  }
}

const DEBIAN_HINT = "On Debian/Ubuntu: sudo apt-get install python3 python3-venv\n  On macOS: brew install python (or the installer from python.org)";

/** The Python to build the venv with: python3 (else python) on PATH, checked for version and venv. */
export function findPython(envPath: string | undefined = process.env.PATH): { exe: string; version: string } {
  const want = `${MIN_PYTHON[0]}.${MIN_PYTHON[1]}`;
  let tooOld: string | null = null;
  for (const name of ["python3", "python"]) {
    const probe = spawnSync(name, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], {
      encoding: "utf8",
      env: { ...process.env, PATH: envPath ?? "" },
    });
    if (probe.error || probe.status !== 0) continue;
    const version = probe.stdout.trim();
    const [major, minor] = version.split(".").map(Number);
    if (!(major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1]))) {
      tooOld ??= `${name} is Python ${version}`;
      continue;
    }
    const venvOk = spawnSync(name, ["-c", "import venv, ensurepip"], { encoding: "utf8", env: { ...process.env, PATH: envPath ?? "" } });
    if (venvOk.error || venvOk.status !== 0) {
      throw new PythonEnvError(
        `Python ${version} (${name}) is installed, but without its "venv" module (venv/ensurepip), which the course needs to make its own Jupyter environment in .venv/.\n` +
          `  On Debian/Ubuntu: sudo apt-get install python3-venv\n  Then run the command again.`,
      );
    }
    return { exe: name, version };
  }
  if (tooOld) {
    throw new PythonEnvError(`Python ${want} or newer is needed (JupyterLab 4.6 requires it), but ${tooOld}.\n  ${DEBIAN_HINT}\n  Then run the command again.`);
  }
  throw new PythonEnvError(`Python ${want} or newer is needed to run Jupyter for the course, but no \`python3\` (or \`python\`) was found on PATH.\n  ${DEBIAN_HINT}\n  Then run the command again.`);
}

function run(exe: string, args: string[], what: string, hint: string): void {
  // pip's own progress stays quiet (-q); its errors go straight to the terminal.
  const r = spawnSync(exe, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1" } });
  if (r.error) throw new PythonEnvError(`${what}: could not start ${exe}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new PythonEnvError(`${what} failed (exit ${r.status ?? r.signal}); ${hint}`);
  }
}

export interface EnsureOptions {
  venv?: string;
  requirements?: string;
  log?: (line: string) => void;
}

export interface EnsureResult {
  venv: string;
  installed: boolean;
  seconds: number;
}

/** Make sure venv holds exactly the pinned set; install it when missing or out of date. */
export function ensurePythonEnv(opts: EnsureOptions = {}): EnsureResult {
  const venv = path.resolve(opts.venv ?? DEFAULT_VENV);
  const requirements = opts.requirements ?? REQUIREMENTS;
  const log = opts.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  if (isUpToDate(venv, requirements)) return { venv, installed: false, seconds: 0 };
  if (fs.existsSync(venv) && !fs.existsSync(path.join(venv, MARKER))) {
    throw new PythonEnvError(
      `${venv} exists but was not made by this project, so it is left as it is.\n` +
        `  Move it away (or delete it) and run the command again; the course then makes its own .venv/ there.`,
    );
  }
  const release = lock(venv, log);
  try {
    // Another process may have finished the job while we waited for the lock.
    if (isUpToDate(venv, requirements)) return { venv, installed: false, seconds: (Date.now() - started) / 1000 };
    const rel = path.relative(process.cwd(), venv) || venv;
    const venvPython = path.join(venv, BIN, process.platform === "win32" ? "python.exe" : "python");
    const fresh = !fs.existsSync(venvPython) || spawnSync(venvPython, ["-c", "pass"]).status !== 0;
    if (fresh) {
      const python = findPython();
      log(`Installing JupyterLab 4.6 into ${rel} — once, about a minute (Python ${python.version}, pinned in ${path.relative(PROJECT_ROOT, requirements)})`);
      // Our marker goes in first, so that a half-made venv is still known to be ours.
      fs.mkdirSync(venv, { recursive: true });
      fs.writeFileSync(path.join(venv, MARKER), "Made by scripts/python-env.ts; safe to delete (it is made again on first need).\n");
      fs.rmSync(path.join(venv, STAMP), { force: true });
      run(python.exe, ["-m", "venv", venv], `Creating the virtual environment ${rel}`, "see the messages above.");
    } else {
      log(`Updating ${rel} to ${path.relative(PROJECT_ROOT, requirements)} (it changed) — about a minute`);
      fs.rmSync(path.join(venv, STAMP), { force: true });
    }
    run(venvPython, ["-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", requirements], `Installing ${path.relative(PROJECT_ROOT, requirements)} into ${rel}`,
      "see pip's messages above. The first install needs the network to reach PyPI; run the command again to retry.");
    if (!venvExecutable("jupyter-server", venv)) {
      throw new PythonEnvError(`pip finished, but ${path.join(venv, BIN, "jupyter-server")} is missing. Delete ${rel} and run the command again.`);
    }
    fs.writeFileSync(path.join(venv, STAMP), stampText(requirements));
    const seconds = (Date.now() - started) / 1000;
    log(`Jupyter is ready in ${rel} (${seconds.toFixed(0)} s).`);
    return { venv, installed: true, seconds };
  } finally {
    release();
  }
}

/** For the command-line scripts: ensurePythonEnv(), or its message and exit code 2. */
export function ensurePythonEnvOrExit(opts: EnsureOptions = {}): EnsureResult {
  try {
    return ensurePythonEnv(opts);
  } catch (e) {
    if (!(e instanceof PythonEnvError)) throw e;
    console.error(`\n${e.message}`);
    process.exit(2);
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--venv");
  const venv = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !venv) {
    console.error("usage: tsx scripts/python-env.ts [--venv DIR]");
    process.exit(1);
  }
  const r = ensurePythonEnvOrExit({ venv });
  if (!r.installed) console.log(`Jupyter environment up to date: ${path.relative(process.cwd(), r.venv) || r.venv}`);
}
