// A kernel session for one notebook, as nbclient's KernelManager/client pair: start the kernel
// (possibly ahead, while the previous notebook still runs), wait until it answers, watch for its
// death, deliver its iopub messages to one listener, and shut it down.
import * as path from "path";
import type { KernelMessage, Session, SessionManager } from "@jupyterlab/services";
import { isAlive, pidsMentioning } from "./procfs";
import type { RunningServer } from "./server";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An iopub message as the runner reads it. */
export type IopubMessage = Pick<KernelMessage.IIOPubMessage, "header" | "parent_header" | "content">;

/** The kernel did not start: the message says why (unknown kernelspec, no answer in time, ...). */
export class KernelStartError extends Error {}

export class KernelSession {
  /** When the kernel was asked for (to report how long it took to start). */
  readonly requestedAt = Date.now();
  private session: Session.ISessionConnection | null = null;
  private readonly started: Promise<Session.ISessionConnection>;
  private onDead: (why: string) => void = () => undefined;
  /** Resolves with the reason when the kernel dies or its connection is lost; never rejects. */
  readonly died = new Promise<string>((resolve) => (this.onDead = resolve));
  private watch: NodeJS.Timeout | undefined;
  private listener: (msg: IopubMessage) => void = () => undefined;
  private readonly slots: Array<() => void> = [];

  /** Ask the server for a session on `file` (a path below rootDir) with kernel `kernelName`. */
  constructor(file: string, rootDir: string, readonly kernelName: string, sessions: SessionManager, private readonly server: RunningServer | null) {
    const relPath = path.relative(rootDir, file).split(path.sep).join("/");
    this.started = (async () => {
      const s = await sessions.startNew({ path: relPath, type: "notebook", name: path.basename(file), kernel: { name: kernelName } });
      this.session = s;
      if (!s.kernel) throw new Error("the server returned a session without a kernel");
      await s.kernel.info; // resolves on the kernel's first kernel_info_reply: it is ready
      return s;
    })();
    this.started.catch(() => undefined);
  }

  get kernel() {
    const k = this.session?.kernel;
    if (!k) throw new Error("KernelSession.kernel: the kernel has not started");
    return k;
  }

  /**
   * Wait until the kernel answers (at most limitMs, or until `abort` rejects), then start watching
   * it. Throws KernelStartError with the server's reason (for an unknown kernel, the names of
   * the kernelspecs it has).
   */
  async ready(limitMs: number, abort: Promise<never>, kernelspecs: () => Promise<string[]>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.started,
        abort,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new KernelStartError(`no answer from kernel "${this.kernelName}" within ${limitMs / 1000} s`)), limitMs);
        }),
      ]);
    } catch (e) {
      if (e instanceof KernelStartError || this.session) throw e; // no answer in time, or aborted
      // The server refused the session (or we were aborted meanwhile): is the kernel unknown to it?
      // (Each jupyter_server version words that differently.)
      const names = await kernelspecs().catch(() => null);
      if (names && !names.includes(this.kernelName)) {
        throw new KernelStartError(`kernel "${this.kernelName}" did not start; kernelspecs available: ${names.join(", ") || "(none)"}` +
          ` (the project's own "tslab" is registered by \`npm run kernel:install\`)`);
      }
      throw e; // aborted, or another server error: the caller words it
    } finally {
      clearTimeout(timer);
    }
    this.watchKernel();
  }

  /** Send every iopub message of this kernel to `listener` (one listener; a new one replaces it). */
  onIopub(listener: (msg: IopubMessage) => void): void {
    this.listener = listener;
  }

  private watchKernel(): void {
    const kernel = this.kernel;
    const statusSlot = (_: unknown, status: string) => {
      if (status === "dead" || status === "restarting" || status === "autorestarting") {
        this.onDead(status === "dead" ? "kernel status: dead" : "the kernel process exited and Jupyter is restarting it");
      }
    };
    const connSlot = (_: unknown, status: string) => {
      if (status === "disconnected") this.onDead("lost the connection to the kernel");
    };
    // Outputs come from the kernel's iopub signal rather than a request's future: the services
    // library routes an update_display_data to the future of the cell that first showed the
    // display, which is long gone when a later cell updates it.
    const iopubSlot = (_: unknown, msg: KernelMessage.IIOPubMessage) => this.listener(msg);
    kernel.statusChanged.connect(statusSlot);
    kernel.connectionStatusChanged.connect(connSlot);
    kernel.iopubMessage.connect(iopubSlot);
    this.slots.push(
      () => kernel.statusChanged.disconnect(statusSlot),
      () => kernel.connectionStatusChanged.disconnect(connSlot),
      () => kernel.iopubMessage.disconnect(iopubSlot),
    );
    // Our own server does not restart kernels, so it never reports a death: watch the process.
    // Its pid is looked up once (the process whose command line names its connection file).
    if (this.server) {
      const pids = pidsMentioning(path.join(this.server.runtimeDir, `kernel-${kernel.id}.json`));
      if (pids.length > 0) {
        this.watch = setInterval(() => {
          if (!pids.some(isAlive)) this.onDead("the kernel process exited");
        }, 250);
      }
    }
  }

  /** After a death on a server that restarts kernels, wait (a few seconds at most) for it to settle. */
  async settleAfterDeath(): Promise<void> {
    const kernel = this.kernel;
    // A shutdown request in the middle of a restart fails on jupyter_server 1.x.
    const settled = new Promise<void>((resolve) => {
      const slot = (_: unknown, status: string) => {
        if (status === "idle" || status === "dead") {
          kernel.statusChanged.disconnect(slot);
          resolve();
        }
      };
      kernel.statusChanged.connect(slot);
    });
    await Promise.race([settled, sleep(5000)]);
  }

  /** Interrupt the running cell (tslab runs cells with breakOnSigint), waiting 2 s at most. */
  async interrupt(): Promise<void> {
    if (!this.session?.kernel) return;
    await Promise.race([this.session.kernel.interrupt().catch(() => undefined), sleep(2000)]);
  }

  /** Stop watching and shut the kernel down through the server (it kills one that does not answer). */
  async dispose(): Promise<void> {
    clearInterval(this.watch);
    for (const undo of this.slots.splice(0)) undo();
    // A kernel still starting (started ahead, then not needed) is waited for, so it can be shut down.
    await Promise.race([this.started.catch(() => undefined), sleep(10_000)]);
    const s = this.session;
    if (!s) return;
    this.session = null;
    await Promise.race([s.shutdown().catch(() => undefined), sleep(10_000)]);
    s.dispose();
  }
}
