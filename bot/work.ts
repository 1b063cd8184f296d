/**
 * What a delivery asks for is done once. The key is the work itself (a comment, a run attempt, one press
 * on one check run), not the delivery id: the same body may come again under a new id. Work is in flight
 * while it runs and done only after it succeeded, so "Redeliver" after an outage runs it again, and a
 * repeat during the work waits for it and runs only if that attempt failed.
 */
export class Ledger {
  readonly #done = new Map<string, true>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  /** Runs `job` unless the same work succeeded; "repeat" when it was skipped. Rejects as the job does. */
  async once(key: string, job: () => Promise<void>): Promise<"ran" | "repeat"> {
    for (let running = this.#running.get(key); running; running = this.#running.get(key)) {
      await running.catch(() => {});
    }
    if (this.#done.has(key)) return "repeat";
    const attempt = job();
    this.#running.set(key, attempt);
    try {
      await attempt;
      this.#done.set(key, true);
      if (this.#done.size > this.#max) this.#done.delete(this.#done.keys().next().value!);
      return "ran";
    } finally {
      this.#running.delete(key);
    }
  }
}

/**
 * Work is acknowledged at once and done in the background, one job at a time per key (a pull
 * request), so two reports arriving together cannot both create the sticky comment.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<boolean>>();
  readonly #running = new Set<Promise<boolean>>();
  readonly #onError: (error: unknown, key: string) => void;

  constructor(onError: (error: unknown, key: string) => void) {
    this.#onError = onError;
  }

  /** Resolves true when the job succeeded, false when it failed (and was reported). */
  push(key: string, job: () => Promise<void>): Promise<boolean> {
    const previous = this.#tails.get(key) ?? Promise.resolve(true);
    const next = previous.then(job).then(
      () => true,
      (error: unknown) => {
        this.#onError(error, key);
        return false;
      },
    );
    this.#tails.set(key, next);
    this.#running.add(next);
    void next.finally(() => {
      this.#running.delete(next);
      if (this.#tails.get(key) === next) this.#tails.delete(key);
    });
    return next;
  }

  get pending(): number {
    return this.#running.size;
  }

  /** Resolves once every job, including jobs queued meanwhile, has finished. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
