import { writeFile } from "node:fs/promises";
import path from "node:path";
import { BENCH_DIR, benchSchemaYaml, generateTable } from "./data.js";
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
import { type Timed, timed } from "./timing.js";

const CLI = path.resolve(import.meta.dirname, "../bin/modelgate.js");

/**
 * validate + profile of the benchmark table: modelgate (the built CLI, with a schema) beside Polars,
 * DuckDB and pandas doing the same work (bench/peers/*-profile.*), and BENCH_BASELINE's CLI when given.
 */
export async function benchValidate(): Promise<void> {
  const file = await generateTable(path.join(BENCH_DIR, `table-${ROWS}.csv`), { rows: ROWS, seed: 1 });
  const schema = path.join(BENCH_DIR, "table.schema.yml");
  await writeFile(schema, benchSchemaYaml);
  const validate = (cli: string, withSchema = true) => [
    cli,
    "validate",
    "--data",
    file,
    ...(withSchema ? ["--schema", schema] : []),
    "--json",
    "--quiet",
  ];

  await noSchemaCheck(await timed(process.execPath, validate(CLI, false)));

  const baseline = process.env.BENCH_BASELINE;
  const contenders: Contender[] = [
    { name: "modelgate validate", command: process.execPath, args: validate(CLI) },
    ...(baseline
      ? [
          {
            name: "baseline validate",
            command: process.execPath,
            args: validate(path.join(path.resolve(baseline), "bin/modelgate.js")),
          },
        ]
      : []),
  ];
  for (const peer of chosenPeers()) contenders.push(await peerContender(peer, "profile", [file]));
  console.log(`validate + profile: ${ROWS.toLocaleString("en")} rows x 20 columns (${path.basename(file)})`);
  const results = await measureAlternating(contenders);
  printSideBySide(results, { title: "rows", of: rowsOf });
  const [ours] = results as [Measured];
  if (baseline) compareToBaseline("with a schema (issue 14)", ours, results[1]!, 0.05);
  targets(
    ours,
    results.find((m) => m.contender.name === "Polars"),
  );
}

/** Without a schema only structure and type consistency are checked, so the clean table must exit 0. */
async function noSchemaCheck(run: Timed): Promise<void> {
  let errors = Number.NaN;
  try {
    errors = (JSON.parse(run.stdout) as { errors: unknown[] }).errors.length;
  } catch {}
  const summary =
    `exit ${run.code}, ${Number.isNaN(errors) ? "unreadable output" : `${errors} errors`}, ` +
    `${run.seconds.toFixed(2)} s wall, ${run.cpuSeconds.toFixed(2)} s CPU, ${(run.maxRssKb / 1024).toFixed(0)} MB`;
  if (run.code === 0 && errors === 0) {
    console.log(`no schema: PASS (${summary})`);
    return;
  }
  console.log(`\n!!! no schema: FAIL: a clean file must exit 0 with no errors (${summary})\n${run.stderr}\n`);
  process.exitCode = 1;
}

function rowsOf(run: Timed): string {
  try {
    const parsed = JSON.parse(run.stdout) as { rows?: number; ok?: boolean };
    return `${parsed.rows ?? "?"}${parsed.ok === false ? " (not ok)" : ""}`;
  } catch {
    return "?";
  }
}

/** Issue 21's targets for the scan engine, said as met or not. */
function targets(ours: Measured, polars: Measured | undefined): void {
  if (ours.runs.length === 0) return;
  const rssTarget = ROWS > 2_000_000 ? 160 : 150;
  const rss = peakRssMb(ours);
  console.log(
    `peak RSS ${rss.toFixed(0)} MB: ${rss <= rssTarget ? "met" : "NOT met"} (target <= ${rssTarget} MB)`,
  );
  if (!polars || polars.runs.length === 0) {
    console.log(`wall vs Polars: not measured (${polars?.failure ?? "Polars not chosen"})`);
    return;
  }
  const ratio = medianWall(ours) / medianWall(polars);
  console.log(
    `wall ${ratio.toFixed(2)} of Polars': ${ratio <= 2 / 3 ? "met" : "NOT met"} (target <= 0.67; ` +
      `by CPU ${(medianCpu(ours) / medianCpu(polars)).toFixed(2)}); ` +
      `Polars peak RSS ${peakRssMb(polars).toFixed(0)} MB`,
  );
}
