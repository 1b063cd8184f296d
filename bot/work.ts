/**
 * GitHub redelivers a webhook when it saw no answer in 10 s, and an operator may press "Redeliver":
 * the delivery id is the same, so the most recent ids are remembered and a repeat is dropped.
 */
export class DeliveryLru {
  readonly #seen = new Map<string, true>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  /** True the first time an id is offered, false on every repeat still remembered. */
  first(id: string): boolean {
    if (this.#seen.has(id)) {
      // Refresh, so a delivery that keeps coming back stays remembered.
      this.#seen.delete(id);
      this.#seen.set(id, true);
      return false;
    }
    this.#seen.set(id, true);
    if (this.#seen.size > this.#max) this.#seen.delete(this.#seen.keys().next().value!);
    return true;
  }
}

/**
 * Work is acknowledged at once and done in the background, one job at a time per key (a pull
 * request), so two reports arriving together cannot both create the sticky comment.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #running = new Set<Promise<void>>();
  readonly #onError: (error: unknown, key: string) => void;

  constructor(onError: (error: unknown, key: string) => void) {
    this.#onError = onError;
  }

  push(key: string, job: () => Promise<void>): void {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(job).catch((error: unknown) => this.#onError(error, key));
    this.#tails.set(key, next);
    this.#running.add(next);
    void next.finally(() => {
      this.#running.delete(next);
      if (this.#tails.get(key) === next) this.#tails.delete(key);
    });
  }

  get pending(): number {
    return this.#running.size;
  }

  /** Resolves once every job, including jobs queued meanwhile, has finished. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
