import type { Logger } from "../core/ports.js";
import type { Io } from "./context.js";

/**
 * Logs go to stderr so stdout stays clean for --json. On a terminal progress redraws one bar;
 * elsewhere (CI logs) an epoch prints one line, and long row counts once per tenth.
 */
export function consoleLogger(io: Io, options: { verbose?: boolean; quiet?: boolean } = {}): Logger {
  const tty = Boolean(io.stderr.isTTY);
  const lastShown = new Map<string, number>();
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
    progress: (step, done, total) => {
      if (options.quiet) return;
      if (tty) {
        const share = total ? Math.min(1, done / total) : 0;
        const bar = total ? `[${"#".repeat(Math.round(share * 30)).padEnd(30, ".")}] ` : "";
        io.stderr.write(`\r\x1b[2K  ${step} ${bar}${done}${total ? `/${total}` : ""}`);
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
      write(`  ${step} ${done}${total ? `/${total}` : ""}`);
    },
  };
}
