import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { BENCH_DIR, generateTable } from "./data.js";
import {
  type Contender,
  chosenPeers,
  compareToBaseline,
  type Measured,
  measureAlternating,
  medianCpu,
  medianWall,
  peakRssMb,
  peerContender,
  printSideBySide,
  ROWS,
} from "./side-by-side.js";
import { AS_DIST, type Timed, timed } from "./timing.js";

const CLI = path.resolve(import.meta.dirname, "../bin/modelgate.js");
const STORED = "engine: stored profile vs raw";
const READ = "engine: read current only";

/** bench/drift-driver.ts bundled like dist/, with the range worker beside it (where core/scan looks). */
async function bundleDriver(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "mg-bench-drift-"));
  // The bundles are .js files, as in dist/: ESM by this package.json.
  await writeFile(path.join(dir, "package.json"), '{ "type": "module" }\n');
  await build({
    entryPoints: {
      driver: path.join(import.meta.dirname, "drift-driver.ts"),
      "validate-worker": path.resolve(import.meta.dirname, "../core/scan/validate-worker.ts"),
    },
    outdir: dir,
    ...AS_DIST,
    logLevel: "warning",
  });
  return path.join(dir, "driver.js");
}

/**
 * Drift of the benchmark table against a shifted copy, whole processes: modelgate's CLI (raw vs raw, a
 * stored profile vs raw, and profiling the current data alone) beside pandas + scipy, Polars and DuckDB
 * computing Evidently's large-data defaults (bench/peers/*-drift.*), and BENCH_BASELINE's CLI when given.
 */
export async function benchDrift(): Promise<void> {
  const reference = await generateTable(path.join(BENCH_DIR, `table-${ROWS}.csv`), { rows: ROWS, seed: 1 });
  const current = await generateTable(path.join(BENCH_DIR, `table-${ROWS}-shift.csv`), {
    rows: ROWS,
    seed: 2,
    shift: 0.25,
  });
  const profile = path.join(BENCH_DIR, `table-${ROWS}.profile.json`);
  await timed(process.execPath, [CLI, "profile", reference, "--out", profile, "--quiet"]);
  const drift = (cli: string, from = reference) => [
    cli,
    "drift",
    "--reference",
    from,
    "--current",
    current,
    "--json",
    "--quiet",
  ];

  const baseline = process.env.BENCH_BASELINE;
  const driver = await bundleDriver();
  const contenders: Contender[] = [
    { name: "modelgate drift", command: process.execPath, args: drift(CLI) },
    ...(baseline
      ? [
          {
            name: "baseline drift",
            command: process.execPath,
            args: drift(path.join(path.resolve(baseline), "bin/modelgate.js")),
          },
        ]
      : []),
    { name: STORED, command: process.execPath, args: [driver, "drift", profile, current] },
    { name: READ, command: process.execPath, args: [driver, "read", current, profile] },
  ];
  for (const peer of chosenPeers()) contenders.push(await peerContender(peer, "drift", [reference, current]));
  console.log(
    `drift: ${ROWS.toLocaleString("en")} vs ${ROWS.toLocaleString("en")} rows x 20 columns, current shifted ` +
      "0.25 sd (f0..f2) and reweighted (c0..c2)",
  );
  const results = await measureAlternating(contenders);
  printSideBySide(results, { title: "verdict", of: verdict });
  const byName = (name: string) => results.find((m) => m.contender.name === name);
  const [ours] = results as [Measured];
  if (baseline) compareToBaseline("raw vs raw", ours, byName("baseline drift")!);
  targets(ours, byName(STORED)!, byName(READ)!, byName("pandas + scipy"));
}

/** "drift [f0 f1 ...]" from the CLI's JSON (columns[].drift) or a peer's ({drift, drifted}). */
function verdict(run: Timed): string {
  if (run.stdout.trim() === "") return "";
  try {
    const parsed = JSON.parse(run.stdout) as {
      drift?: boolean;
      drifted?: string[];
      columns?: Array<{ column: string; drift: boolean }>;
    };
    if (typeof parsed.drift !== "boolean") return "";
    const drifted = parsed.drifted ?? (parsed.columns ?? []).filter((c) => c.drift).map((c) => c.column);
    return `${parsed.drift ? "drift" : "no drift"} [${drifted.join(" ")}]`;
  } catch {
    return "?";
  }
}

/** Issue 21's targets for drift, said as met or not. */
function targets(ours: Measured, stored: Measured, readOnly: Measured, pandas: Measured | undefined): void {
  if (ours.runs.length === 0) return;
  if (pandas && pandas.runs.length > 0) {
    const speed = medianWall(pandas) / medianWall(ours);
    console.log(
      `speed: ${speed.toFixed(2)}x pandas + scipy: ${speed >= 5 ? "met" : "NOT met"} (target >= 5x; ` +
        `by CPU ${(medianCpu(pandas) / medianCpu(ours)).toFixed(2)}x)`,
    );
  }
  console.log(
    `modelgate drift peak RSS ${peakRssMb(ours).toFixed(0)} MB, ${medianCpu(ours).toFixed(2)} s CPU`,
  );
  if (stored.runs.length > 0 && readOnly.runs.length > 0) {
    // The two files are the same size, so twice one read stands for the two that drift needs (the CLI's
    // start-up counts against modelgate here).
    const ratio = medianWall(ours) / (2 * medianWall(readOnly));
    console.log(
      `raw vs raw drift ${ratio.toFixed(2)}x two reads: ${ratio <= 1.1 ? "met" : "NOT met"} (target <= 1.1x; ` +
        `by CPU ${(medianCpu(ours) / (2 * medianCpu(readOnly))).toFixed(2)}x)`,
    );
    const overhead = medianWall(stored) - medianWall(readOnly);
    console.log(
      `stored profile over reading the current data alone: ${overhead.toFixed(2)} s wall: ` +
        `${overhead <= 0.2 ? "met" : "NOT met"} (target <= 0.2 s; ` +
        `by CPU ${(medianCpu(stored) - medianCpu(readOnly)).toFixed(2)} s)`,
    );
  }
}
