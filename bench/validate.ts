import { writeFile } from "node:fs/promises";
import path from "node:path";
import { BENCH_DIR, benchSchemaYaml, generateTable } from "./data.js";
import { pythonWithPackages, timed } from "./timing.js";

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
