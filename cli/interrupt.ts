import type { Context } from "./context.js";

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof SIGNAL_EXIT;

/**
 * Runs `work` with a signal that SIGINT/SIGTERM abort, so core can stop between steps and clean up
 * (a training removes its partial model folder). Exits 128 + the signal's number, as a shell would;
 * a second Ctrl-C finds no handler and kills at once.
 */
export async function interruptible(ctx: Context, work: (signal: AbortSignal) => Promise<number>) {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const handlers = (Object.keys(SIGNAL_EXIT) as StopSignal[]).map((name) => {
    const handler = () => {
      received = name;
      controller.abort(new Error(`interrupted by ${name}`));
    };
    process.once(name, handler);
    return [name, handler] as const;
  });
  try {
    return await work(controller.signal);
  } catch (error) {
    if (!received) throw error;
    ctx.io.stderr.write(`modelgate: interrupted by ${received}; nothing was written\n`);
    return SIGNAL_EXIT[received];
  } finally {
    for (const [name, handler] of handlers) process.off(name, handler);
  }
}
