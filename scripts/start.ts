// npm start: the course's main job. Sets up the project's Jupyter in .venv/ on first need
// (scripts/python-env.ts), executes every notebook through a private Jupyter server
// (scripts/execute.ts) and builds the offline HTML lessons from the results (scripts/site/build.ts).
// Each step runs as its own process so that its own error reporting and exit code are kept as they are.
import { spawnSync } from "child_process";
import * as path from "path";
import { ensurePythonEnvOrExit } from "./python-env";

const root = path.resolve(__dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

function step(title: string, script: string, args: string[] = []): void {
  console.log(`\n== ${title} ==`);
  const started = Date.now();
  const run = spawnSync(tsx, [path.join(root, script), ...args], { cwd: root, stdio: "inherit" });
  if (run.error) throw new Error(`${title}: could not start ${script}: ${run.error.message}`);
  if (run.status !== 0) {
    console.error(`\nnpm start stopped: ${title} failed (exit ${run.status ?? run.signal}). See the messages above.`);
    process.exit(run.status ?? 1);
  }
  console.log(`${title}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const started = Date.now();
// The course's own Jupyter (pinned, in .venv/): installed here on the first run, a no-op afterwards.
ensurePythonEnvOrExit();
step("Executing the notebooks", "scripts/execute.ts", process.argv.slice(2));
step("Building the HTML lessons", "scripts/site/build.ts");
console.log(`
Finished in ${((Date.now() - started) / 1000).toFixed(1)} s.
  Executed notebooks: ${path.join(root, "build", "executed")}
  HTML lessons:       ${path.join(root, "site", "index.html")}  (open it in a browser; works offline)
  Run the notebooks yourself: npm run lab`);
