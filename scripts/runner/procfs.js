// Processes by pid and by command line (Linux /proc), for the runner (TypeScript) and its watchdog
// (plain JavaScript, so that it starts without a compiler): one copy for both. Types: procfs.d.ts.
"use strict";
const fs = require("fs");

/** Pids of processes whose command line mentions `needle` (empty without /proc). A full scan of
 *  /proc: call it once (to find a kernel's pid), then watch that pid with isAlive. */
function pidsMentioning(needle) {
  const pids = [];
  let entries = [];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(needle)) pids.push(Number(entry));
    } catch {
      // process ended
    }
  }
  return pids;
}

/** Is pid a running process (not ended, not a zombie waiting to be reaped)? */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return !fs.existsSync("/proc/self"); // no /proc: trust kill(0)
  }
}

/** Signal pid's process group (pid leads it), or pid alone if it leads none. */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}

module.exports = { pidsMentioning, isAlive, killGroup };
