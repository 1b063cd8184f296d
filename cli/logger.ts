import type { Logger } from "../core/ports.js";
import type { Io } from "./context.js";

/**
 * Logs go to stderr so stdout stays clean for --json. On a terminal progress redraws one bar;
 * elsewhere (CI logs) an epoch prints one line, and long row counts once per tenth.
 */
export function consoleLogger(
  io: Io,
  options: { verbose?: boolean; quiet?: boolean; now?: () => number } = {},
): Logger {
  const tty = Boolean(io.stderr.isTTY);
  const now = options.now ?? Date.now;
  const lastShown = new Map<string, number>();
  const started = new Map<string, { at: number; done: number }>();
  /** Time left from the pace so far, once a step has run a few units. */
  const eta = (step: string, done: number, total: number | undefined): string => {
    const start = started.get(step);
    if (!start || done <= start.done) {
      started.set(step, { at: now(), done });
      return "";
    }
    if (!total || done >= total) return "";
    const seconds = (((now() - start.at) / (done - start.done)) * (total - done)) / 1000;
    return seconds >= 1 ? ` ETA ${formatSeconds(seconds)}` : "";
  };
  let barOpen = false;
  const write = (line: string) => {
    if (barOpen) {
      io.stderr.write("\r\x1b[2K");
      barOpen = false;
    }
    io.stderr.write(`${line}\n`);
  };
  return {
    debug: (message) => {
      if (options.verbose) write(`debug: ${message}`);
    },
    info: (message) => {
      if (!options.quiet) write(message);
    },
    warning: (message) => write(`warning: ${message}`),
    error: (message) => write(`error: ${message}`),
    group: async (name, work) => {
      if (!options.quiet) write(`▸ ${name}`);
      return work();
    },
    progress: (step, done, total, detail) => {
      if (options.quiet) return;
      const extra = detail ? ` ${detail}` : "";
      if (tty) {
        const share = total ? Math.min(1, done / total) : 0;
        const bar = total ? `[${"#".repeat(Math.round(share * 30)).padEnd(30, ".")}] ` : "";
        const left = eta(step, done, total);
        io.stderr.write(`\r\x1b[2K  ${step} ${bar}${done}${total ? `/${total}` : ""}${extra}${left}`);
        barOpen = true;
        if (total && done >= total) write("");
        return;
      }
      // Short loops (epochs) print every step, long ones once per tenth; unknown totals are row
      // counts, printed once per 100,000.
      const mark =
        total === undefined
          ? Math.floor(done / 100_000)
          : total <= 200
            ? done
            : Math.floor((10 * done) / total);
      if (lastShown.get(step) === mark) return;
      lastShown.set(step, mark);
      write(`  ${step} ${done}${total ? `/${total}` : ""}${extra}`);
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`
    : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
