/**
 * Ports that core takes as arguments, so the action, the CLI and the bot run the same code
 * and tests hand in fakes. Core never prints, never reads process.env.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** A long step: grouped in Actions, a heading on a terminal. */
  group<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Progress of a long step; `total` may be unknown; `detail` (e.g. an epoch's loss) is shown beside it. */
  progress(step: string, done: number, total?: number, detail?: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warning() {},
  error() {},
  group: (_name, work) => work(),
  progress() {},
};

/** A logger that keeps every line, for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    group: (name, work) => {
      lines.push(`group: ${name}`);
      return work();
    },
    progress: (step, done, total, detail) =>
      lines.push(`progress: ${step} ${done}/${total ?? "?"}${detail ? ` ${detail}` : ""}`),
  };
}
