import { type Cell, simulate } from "../test/gate/simulation.js";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 2000);
const ROWS = [150, 1000, 10_000];
const DROPS = [0, 0.01, 0.02, 0.05];
const METRICS: Cell["metric"][] = ["accuracy", "f1_macro", "balanced_accuracy"];

const pct = (x: number) => String(Number((x * 100).toFixed(1)));

/**
 * The gate's operating characteristics: maxDrop 0.02, models disagreeing on 10% of rows, the
 * challenger truly worse by `drop`. Each cell: % pass / inconclusive / fail over REPEATS test sets.
 * Targets (issue 11): at most 6% passing at the margin (0.02); at least 95% passing for equal models
 * on 10,000 rows.
 */
export async function benchGate(): Promise<void> {
  const started = process.cpuUsage();
  console.log(`${REPEATS} repeats per cell; pass / inconclusive / fail in %\n`);
  console.log(`| rows | true drop | ${METRICS.join(" | ")} |`);
  console.log(`|---|---|${METRICS.map(() => "---").join("|")}|`);
  for (const rows of ROWS) {
    for (const drop of DROPS) {
      const cells = METRICS.map((metric) => {
        const r = simulate({ metric, rows, drop, repeats: REPEATS });
        return `${pct(r.pass)} / ${pct(r.inconclusive)} / ${pct(r.fail)}`;
      });
      const label = drop === 0.02 ? "0.02 (margin)" : String(drop);
      console.log(`| ${rows.toLocaleString("en-US")} | ${label} | ${cells.join(" | ")} |`);
    }
  }
  const cpu = process.cpuUsage(started);
  console.log(`\nCPU: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
}
