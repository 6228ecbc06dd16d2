/** Pids of processes (other than this one) whose command line mentions `needle`; one scan of /proc. */
export function pidsMentioning(needle: string): number[];
/** Is pid a running process (not ended, not a zombie)? */
export function isAlive(pid: number): boolean;
/** Signal pid's process group (pid leads it), or pid alone. */
export function killGroup(pid: number, signal: NodeJS.Signals): void;
