import { writeFile } from "node:fs/promises";
import path from "node:path";
import { BENCH_DIR, benchSchemaYaml, generateTable } from "./data.js";
import { pythonWithPackages, type Timed, timed } from "./timing.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

// The same work pandas does here: read_csv plus per-column nulls, min/max/mean/std, quantiles,
// top values, distinct counts and duplicated rows.
const PANDAS = `
import sys, pandas as pd
df = pd.read_csv(sys.argv[1])
num = df.select_dtypes("number")
out = {"nulls": df.isna().sum().to_dict(), "describe": num.describe().to_dict(),
       "quantiles": num.quantile([0.01, 0.25, 0.5, 0.75, 0.99]).to_dict(),
       "top": {c: df[c].value_counts().head(10).to_dict() for c in df.columns},
       "distinct": df.nunique().to_dict(), "duplicates": int(df.duplicated().sum())}
print(len(df), out["duplicates"])
`;

export async function benchValidate(): Promise<void> {
  const file = await generateTable(path.join(BENCH_DIR, `table-${ROWS}.csv`), { rows: ROWS, seed: 1 });
  const schema = path.join(BENCH_DIR, "table.schema.yml");
  await writeFile(schema, benchSchemaYaml);
  const cli = path.resolve(import.meta.dirname, "../bin/modelgate.js");
  const ours = await timed(process.execPath, [
    cli,
    "validate",
    "--data",
    file,
    "--schema",
    schema,
    "--json",
    "--quiet",
  ]);
  const result = JSON.parse(ours.stdout) as { ok: boolean; rows: number };
  console.log(`validate + profile: ${ROWS} rows x 20 columns, ok=${result.ok}, rows=${result.rows}`);

  // Without a schema: structure and type consistency only, so a clean file must exit 0.
  const bare = await timed(process.execPath, [cli, "validate", "--data", file, "--json", "--quiet"]);
  const bareResult = JSON.parse(bare.stdout) as { ok: boolean; errors: unknown[] };
  console.log(
    `no schema: exit ${bare.code}, ${bareResult.errors.length} errors, ${bare.seconds.toFixed(2)} s wall, ` +
      `${bare.cpuSeconds.toFixed(2)} s CPU, ${(bare.maxRssKb / 1024).toFixed(0)} MB`,
  );
  // BENCH_BASELINE=/path/to/another/checkout: the same run with its dist/, alternating, median of 3.
  const baseline = process.env.BENCH_BASELINE;
  if (baseline) {
    const args = (bin: string) => [bin, "validate", "--data", file, "--schema", schema, "--json", "--quiet"];
    const mine: Timed[] = [];
    const theirs: Timed[] = [];
    for (let i = 0; i < 3; i++) {
      theirs.push(await timed(process.execPath, args(path.join(baseline, "bin/modelgate.js"))));
      mine.push(await timed(process.execPath, args(cli)));
    }
    const median = (runs: Timed[], key: "seconds" | "cpuSeconds") =>
      runs.map((t) => t[key]).sort((a, b) => a - b)[1]!;
    console.log(
      `with schema, median of 3: this ${median(mine, "seconds").toFixed(2)} s wall / ${median(mine, "cpuSeconds").toFixed(2)} s CPU; ` +
        `baseline ${median(theirs, "seconds").toFixed(2)} s wall / ${median(theirs, "cpuSeconds").toFixed(2)} s CPU ` +
        `(CPU ratio ${(median(mine, "cpuSeconds") / median(theirs, "cpuSeconds")).toFixed(3)})`,
    );
  }

  const python = await pythonWithPackages(["pandas"]);
  const peer = python ? await timed(python, ["-c", PANDAS, file]) : undefined;
  const rows = [["modelgate validate", ours], ...(peer ? [["pandas", peer] as const] : [])] as const;
  console.table(
    rows.map(([name, t]) => ({
      tool: name,
      "wall s": t.seconds.toFixed(2),
      "rows/s": Math.round(ROWS / t.seconds).toLocaleString("en"),
      "peak RSS MB": (t.maxRssKb / 1024).toFixed(0),
    })),
  );
  if (peer) {
    console.log(`speed: ${(peer.seconds / ours.seconds).toFixed(2)}x pandas (target >= 3x)`);
    console.log(
      `peak RSS: ${(ours.maxRssKb / 1024).toFixed(0)} MB (target <= 150 MB; pandas ${(peer.maxRssKb / 1024).toFixed(0)} MB)`,
    );
  } else {
    console.log("pandas not found: apt-get install -y python3-pandas for the side-by-side run");
  }
}
