// Turning a kernel's iopub messages into nbformat outputs, the way nbclient does: consecutive
// stream messages of the same name are joined, update_display_data replaces the output that
// carried the same display_id (in any cell), clear_output empties the cell (or does so at the
// next output when wait=true). What one cell may print is capped (as JupyterLab and nbclient cap
// it): past the cap, streams are dropped and one line says so.
import type { Output } from "../common/nbformat";
import { joinText } from "../common/nbformat";

/** Where an output with a display_id lives: which cell's list, which position. */
interface DisplayRef { outputs: Output[]; output: Output }

export class OutputCollector {
  /** display_id -> every output that showed it (nbclient updates them all). */
  private displays = new Map<string, DisplayRef[]>();
  private clearPending = false;
  /** All stderr text of the current cell, for error reports (its first maxBytes characters). */
  stderr = "";
  /** Lines of stream output of the current cell (to recognise tslab's stall after a burst). */
  streamLines = 0;
  /** Characters of output of the current cell so far. */
  private size = 0;
  private truncated = false;

  /** maxBytes: what one cell may print (stream text and MIME data, counted in characters). */
  constructor(public outputs: Output[] = [], readonly maxBytes = DEFAULT_MAX_OUTPUT_BYTES) {}

  /** Count `n` more characters of output; false (once with a note) when the cell is over its cap. */
  private admit(n: number): boolean {
    if (this.truncated) return false;
    this.size += n;
    if (this.size <= this.maxBytes) return true;
    this.truncated = true;
    this.push({ output_type: "stream", name: "stderr", text: `\n[output truncated after ${formatMB(this.maxBytes)}: this cell printed more than the runner keeps]\n` });
    return false;
  }

  private clear(): void {
    for (const refs of this.displays.values()) {
      for (let i = refs.length - 1; i >= 0; i--) if (refs[i].outputs === this.outputs) refs.splice(i, 1);
    }
    this.outputs.length = 0;
  }

  private push(out: Output, displayId?: string): void {
    if (this.clearPending) {
      this.clear();
      this.clearPending = false;
    }
    const last = this.outputs[this.outputs.length - 1];
    if (out.output_type === "stream" && last && last.output_type === "stream" && last.name === out.name) {
      last.text = joinText(last.text) + joinText(out.text);
    } else {
      this.outputs.push(out);
    }
    if (displayId) {
      const refs = this.displays.get(displayId) ?? [];
      refs.push({ outputs: this.outputs, output: out });
      this.displays.set(displayId, refs);
    }
  }

  /** Start collecting the outputs of the next cell (display ids of earlier cells stay updatable). */
  nextCell(outputs: Output[]): void {
    this.outputs = outputs;
    this.clearPending = false;
    this.stderr = "";
    this.streamLines = 0;
    this.size = 0;
    this.truncated = false;
  }

  /** Handle one iopub message (msg_type, content); returns false for messages that are not outputs. */
  handle(msgType: string, content: Record<string, any>): boolean {
    switch (msgType) {
      case "stream": {
        const name = content.name === "stderr" ? "stderr" : "stdout";
        const text = String(content.text ?? "");
        for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.streamLines++;
        if (!this.admit(text.length)) return true;
        if (name === "stderr") this.stderr += text;
        this.push({ output_type: "stream", name, text });
        return true;
      }
      case "display_data":
        if (!this.admit(bundleSize(content.data))) return true;
        this.push(
          { output_type: "display_data", data: { ...(content.data ?? {}) }, metadata: { ...(content.metadata ?? {}) } },
          content.transient?.display_id,
        );
        return true;
      case "execute_result":
        if (!this.admit(bundleSize(content.data))) return true;
        this.push(
          {
            output_type: "execute_result",
            execution_count: content.execution_count ?? null,
            data: { ...(content.data ?? {}) },
            metadata: { ...(content.metadata ?? {}) },
          },
          content.transient?.display_id,
        );
        return true;
      case "update_display_data": {
        const id = content.transient?.display_id;
        for (const ref of (id && this.displays.get(id)) || []) {
          const out = ref.output;
          if (out.output_type === "display_data" || out.output_type === "execute_result") {
            out.data = { ...(content.data ?? {}) };
            out.metadata = { ...(content.metadata ?? {}) };
          }
        }
        return true;
      }
      case "error":
        this.push({
          output_type: "error",
          ename: String(content.ename ?? ""),
          evalue: String(content.evalue ?? ""),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        });
        return true;
      case "clear_output":
        if (content.wait) this.clearPending = true;
        else this.clear();
        return true;
      default:
        return false;
    }
  }
}

/** What one cell may print by default: 20 MB (a lesson prints a few kB). */
export const DEFAULT_MAX_OUTPUT_BYTES = 20 * 1024 * 1024;

function formatMB(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toPrecision(2)} MB`;
}

function bundleSize(data: unknown): number {
  let n = 0;
  for (const v of Object.values((data ?? {}) as Record<string, unknown>)) n += typeof v === "string" ? v.length : JSON.stringify(v ?? null).length;
  return n;
}

/**
 * Like a terminal: on each line, text before a carriage return is overwritten by what follows it
 * (a carriage return at the very end of a line overwrites nothing yet). One pass over the text:
 * a regular expression for this backtracks quadratically on a long line.
 */
export function resolveCarriageReturns(text: string): string {
  if (!text.includes("\r")) return text;
  const lines = text.replace(/\r+\n/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const cr = line.length < 2 ? -1 : line.lastIndexOf("\r", line.length - 2); // the last \r with something after it
    if (cr >= 0) lines[i] = line.slice(cr + 1);
  }
  return lines.join("\n");
}

/** Final clean-up of a cell's outputs: resolve carriage returns in streams (as nbconvert's coalesce_streams). */
export function finishOutputs(outputs: Output[]): void {
  for (const out of outputs) {
    if (out.output_type === "stream") out.text = resolveCarriageReturns(joinText(out.text));
  }
}

// Colour and cursor sequences (CSI), terminal titles and links (OSC), and two-byte escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|\u001b[@-Z\\-_]/g;
export function stripAnsi(s: string): string {
  return s.replace(ANSI, "");
}
