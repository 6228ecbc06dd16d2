// Executing one code cell, as nbclient's execute_cell: send it, collect its outputs into the cell,
// and return how it ended. It does not decide what an ending means for the notebook (the loop in
// index.ts does), and it never throws for anything the kernel does.
import type { CodeCell } from "../common/nbformat";
import { joinText } from "../common/nbformat";
import { finishOutputs, type OutputCollector } from "./outputs";
import type { KernelSession } from "./session";

export type CellOutcome =
  /** The kernel's execute_reply: status "ok", "error" or "abort(ed)". */
  | { kind: "reply"; content: Record<string, any> }
  | { kind: "timeout" }
  /** Stream messages came in a burst, then nothing: tslab's known stall (see docs/ARCHITECTURE.md). */
  | { kind: "stalled"; lines: number; silentSec: number }
  | { kind: "dead"; why: string }
  | { kind: "aborted"; why: string };

export interface CellLimits {
  /** No reply within this time: "timeout". */
  timeoutMs: number;
  /** After at least stallMinLines lines of stream output, this long without any message: "stalled". */
  stallMs: number;
  stallMinLines: number;
  /** Rejects when the run is stopped (Ctrl-C). */
  abort: Promise<never>;
}

export interface CellRun { outcome: CellOutcome; ms: number }

/** Run `cell` in the session's kernel; its outputs, execution_count and timing metadata are set in place. */
export async function executeCell(session: KernelSession, cell: CodeCell, collector: OutputCollector, limits: CellLimits): Promise<CellRun> {
  const code = joinText(cell.source);
  cell.outputs = [];
  cell.execution_count = null;
  collector.nextCell(cell.outputs);
  const tc = Date.now();
  const future = session.kernel.requestExecute(
    { code, silent: false, store_history: true, allow_stdin: false, stop_on_error: true },
    true,
  );
  const msgId = future.msg.header.msg_id;
  let lastMessageAt = Date.now();
  session.onIopub((msg) => {
    const type = msg.header.msg_type;
    const parent = (msg.parent_header as { msg_id?: string } | undefined)?.msg_id;
    if (parent === msgId) lastMessageAt = Date.now();
    // A display shown by an earlier cell may be updated from this one.
    if (type === "update_display_data" || parent === msgId) collector.handle(type, msg.content as Record<string, any>);
  });

  const timers: NodeJS.Timeout[] = [];
  const outcome = await Promise.race<CellOutcome>([
    future.done.then(
      (reply): CellOutcome => ({ kind: "reply", content: reply.content as Record<string, any> }),
      (e: Error) => ({ kind: "dead", why: e.message }),
    ),
    new Promise<CellOutcome>((resolve) => timers.push(setTimeout(() => resolve({ kind: "timeout" }), limits.timeoutMs))),
    new Promise<CellOutcome>((resolve) => timers.push(setInterval(() => {
      const silent = Date.now() - lastMessageAt;
      if (collector.streamLines >= limits.stallMinLines && silent >= limits.stallMs) {
        resolve({ kind: "stalled", lines: collector.streamLines, silentSec: Math.round(silent / 1000) });
      }
    }, Math.min(1000, limits.stallMs)))),
    session.died.then((why): CellOutcome => ({ kind: "dead", why })),
    limits.abort.catch((e: Error): CellOutcome => ({ kind: "aborted", why: e.message })),
  ]);
  for (const t of timers) clearTimeout(t);
  const ms = Date.now() - tc;
  future.dispose();
  finishCell(cell, outcome, tc, ms);
  return { outcome, ms };
}

function finishCell(cell: CodeCell, outcome: CellOutcome, tc: number, ms: number): void {
  finishOutputs(cell.outputs);
  if (outcome.kind !== "reply") return;
  const count = outcome.content.execution_count;
  cell.execution_count = typeof count === "number" ? count : null;
  for (const out of cell.outputs) {
    if (out.output_type === "execute_result") out.execution_count = cell.execution_count;
  }
  // nbformat's standard timestamps (strings, as the schema requires) and our duration.
  cell.metadata = {
    ...(cell.metadata ?? {}),
    execution: { "iopub.status.busy": new Date(tc).toISOString(), "shell.execute_reply": new Date(tc + ms).toISOString() },
    runner: { duration_ms: ms },
  };
}
