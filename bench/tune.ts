import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../core/config/index.js";
import { silentLogger } from "../core/ports.js";
import { runSweep, type TuneResult } from "../core/tune/index.js";

// The bundled churn example and its own tune: block (6 trials: hidden, learningRate, dropout),
// 4,000 training rows, up to 30 epochs with early stopping, on the default backend.
const CONFIG = "examples/churn/modelgate.yml";

export async function benchTune(): Promise<void> {
  const loaded = await loadConfig(CONFIG, process.cwd());
  // Worker threads only help when cores are free: the speed-up reads wrong on a loaded machine.
  console.log(`${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)}`);
  const times: Record<number, number> = {};
  const results: Record<number, TuneResult> = {};
  for (const workers of [1, 2]) {
    const store = await mkdtemp(path.join(tmpdir(), "mg-bench-tune-"));
    const started = performance.now();
    const { result } = await runSweep(loaded, {
      cwd: process.cwd(),
      storeRoot: store,
      logger: silentLogger,
      workers,
    });
    times[workers] = (performance.now() - started) / 1000;
    results[workers] = result;
    await rm(store, { recursive: true, force: true });
    const best = result.best?.metrics[result.metric];
    console.log(
      `${result.trials.length} trials, ${workers} worker(s): ${times[workers]!.toFixed(2)} s wall; best ${result.metric} ${best?.toFixed(4)}`,
    );
  }
  const same =
    JSON.stringify(results[1]!.trials.map((t) => ("metrics" in t ? t.metrics : t.error))) ===
    JSON.stringify(results[2]!.trials.map((t) => ("metrics" in t ? t.metrics : t.error)));
  console.log(`speed-up 2 vs 1 worker: ${(times[1]! / times[2]!).toFixed(2)}x; identical metrics: ${same}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchTune();
