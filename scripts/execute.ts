// npm run execute [-- [options] [notebooks...]]
//
// Runs notebooks/*.ipynb and notebooks/solutions/*.ipynb (or the ones named) through a private
// Jupyter server and writes the executed copies to build/executed/ and build/executed/solutions/,
// marked trusted. The committed notebooks are never modified.
//
//   npm run execute                         all notebooks, in order (lessons, then solutions)
//   npm run execute -- 03-bptt              just one (a name, a file name or a path)
//   npm run execute -- solutions/04-bptt    a solutions notebook
//   npm run execute -- --timeout 300        per-cell limit in seconds (default 120)
//   npm run execute -- --server-url http://127.0.0.1:8888/ --token T   use a running server
//                                          (also JUPYTER_SERVER_URL / JUPYTER_TOKEN)
//   --out DIR  output folder   --keep-going  run the rest after a failure   --verbose  per-cell times
import * as fs from "fs";
import * as path from "path";
import { executeNotebooks, JupyterNotFoundError, RunnerInputError } from "./runner/index";
import { PROJECT_ROOT } from "./runner/kernelspec";
import { ensurePythonEnvOrExit } from "./python-env";

const USAGE = `usage: npm run execute -- [--timeout SECONDS] [--out DIR] [--keep-going] [--verbose]
                           [--server-url URL --token TOKEN] [notebooks...]`;

interface Cli {
  names: string[]; timeoutSec: number; outDir?: string; keepGoing: boolean; verbose: boolean;
  serverUrl?: string; token?: string;
}

function parseArgs(argv: string[]): Cli {
  const cli: Cli = { names: [], timeoutSec: 120, keepGoing: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const eq = arg.indexOf("=");
      if (eq >= 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new RunnerInputError(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    const flag = arg.split("=")[0];
    if (flag === "--timeout") {
      const v = value();
      cli.timeoutSec = Number(v);
      if (!(cli.timeoutSec > 0)) throw new RunnerInputError(`--timeout must be a positive number of seconds, got "${v}"`);
    } else if (flag === "--out") cli.outDir = value();
    else if (flag === "--server-url") cli.serverUrl = value();
    else if (flag === "--token") cli.token = value();
    else if (arg === "--keep-going") cli.keepGoing = true;
    else if (arg === "--verbose" || arg === "-v") cli.verbose = true;
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith("-")) throw new RunnerInputError(`unknown option ${arg}\n${USAGE}`);
    else cli.names.push(arg);
  }
  cli.serverUrl ??= process.env.JUPYTER_SERVER_URL || undefined;
  cli.token ??= process.env.JUPYTER_TOKEN || undefined;
  return cli;
}

/** notebooks/*.ipynb, then notebooks/solutions/*.ipynb (when that folder exists), each in name order. */
export function courseNotebooks(root: string = PROJECT_ROOT): string[] {
  const list = (dir: string) => fs.existsSync(dir) && fs.statSync(dir).isDirectory()
    ? fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(dir, f))
    : [];
  const dir = path.join(root, "notebooks");
  return [...list(dir), ...list(path.join(dir, "solutions"))];
}

/** A name on the command line: a path, or a notebook in notebooks/ with or without ".ipynb". */
function resolveName(name: string): string {
  const candidates = [name, path.join(PROJECT_ROOT, "notebooks", name), path.join(PROJECT_ROOT, "notebooks", `${name}.ipynb`)];
  for (const c of candidates) if (fs.existsSync(c) && fs.statSync(c).isFile()) return path.resolve(c);
  // A prefix of a path below notebooks/: "04" is notebooks/04-*.ipynb, "solutions/04" a solution.
  const notebooksDir = path.join(PROJECT_ROOT, "notebooks");
  const matches = courseNotebooks().filter((f) => path.relative(notebooksDir, f).startsWith(name));
  if (matches.length === 1) return matches[0];
  throw new RunnerInputError(matches.length > 1
    ? `"${name}" matches several notebooks: ${matches.map((m) => path.relative(notebooksDir, m)).join(", ")}`
    : `no notebook "${name}" (looked for ${candidates.join(", ")} and notebooks/${name}*.ipynb)`);
}

async function main(): Promise<number> {
  const cli = parseArgs(process.argv.slice(2));
  // The project's pinned Jupyter in .venv/, installed on first need (not needed for a running server).
  if (!cli.serverUrl) ensurePythonEnvOrExit();
  const files = cli.names.length > 0 ? cli.names.map(resolveName) : courseNotebooks();
  if (files.length === 0) {
    console.error(`execute: no notebooks found in ${path.join(PROJECT_ROOT, "notebooks")}`);
    return 1;
  }
  const controller = new AbortController();
  let firstSignalAt = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      firstSignalAt = Date.now();
      console.error(`\nexecute: ${sig} received: stopping the kernel and the server (again to force)...`);
      controller.abort(`${sig} received`);
    } else if (Date.now() - firstSignalAt > 1000) {
      // A second Ctrl-C, not the same one twice: a Ctrl-C through `npm run` reaches us from the
      // terminal and again from npm/tsx passing it on, within milliseconds; that one is ignored.
      // At exit our end of the watchdog's pipe closes, and the watchdog stops server and kernels.
      process.exit(130);
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);

  const rel = (f: string) => {
    const r = path.relative(process.cwd(), f);
    return r && !r.startsWith("..") ? r : f;
  };
  const result = await executeNotebooks(files.map(rel), {
    outputDir: cli.outDir,
    timeoutSec: cli.timeoutSec,
    keepGoing: cli.keepGoing,
    serverUrl: cli.serverUrl,
    token: cli.token,
    signal: controller.signal,
    log: (line) => console.log(line),
    verboseLog: cli.verbose ? (line) => console.log(`  [client] ${line}`) : undefined,
  });
  if (cli.verbose) {
    for (const nb of result.notebooks) {
      for (const c of nb.cells) console.log(`  ${nb.path} cell ${String(c.cell).padStart(3)}  ${String(c.ms).padStart(7)} ms  ${c.firstLine}`);
    }
  }
  const ran = result.notebooks.filter((n) => n.ok).length;
  console.log(`${ran}/${files.length} notebooks executed in ${result.seconds.toFixed(2)} s` +
    (result.serverStartSeconds ? ` (server start ${result.serverStartSeconds.toFixed(2)} s)` : ""));
  for (const f of result.failures) console.error(`\nexecute: ${f.message}`);
  if (controller.signal.aborted) return 130;
  return result.ok ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: Error) => {
      // Expected errors (bad input, no Jupyter) are messages; anything else is a bug: show its stack.
      const expected = e instanceof JupyterNotFoundError || e instanceof RunnerInputError;
      console.error(expected ? `execute: ${e.message}` : `execute: ${e.stack ?? e.message}`);
      process.exit(e instanceof JupyterNotFoundError ? 2 : 1);
    },
  );
}
