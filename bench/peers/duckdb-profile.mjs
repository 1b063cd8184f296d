// validate + profile with DuckDB (@duckdb/node-api, in memory): read the CSV into a table, SUMMARIZE it
// (min, max, approximate distinct, mean, std, approximate quartiles, nulls), exact quantiles 1/25/50/75/99%,
// top values of text and integer columns (their value counts, which give their distinct counts exactly),
// and duplicated rows (by a hash of the row).
import { DuckDBInstance } from "@duckdb/node-api";

const connection = await (await DuckDBInstance.create(":memory:")).connect();
const all = async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS();
const file = process.argv[2].replaceAll("'", "''");
await connection.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file}')`);
const summary = await all("SUMMARIZE t");
const types = new Map(summary.map((r) => [r.column_name, r.column_type]));
const q = (c) => `"${c.replaceAll('"', '""')}"`;
const columns = [...types.keys()];
const numeric = columns.filter((c) => /INT|DOUBLE|FLOAT|DECIMAL/.test(types.get(c)));
const discrete = columns.filter((c) => !/DOUBLE|FLOAT|DECIMAL/.test(types.get(c)));
const quantiles = await all(
  `SELECT ${numeric.map((c) => `quantile_cont(${q(c)}, [0.01, 0.25, 0.5, 0.75, 0.99])`).join(", ")} FROM t`,
);
const counts = [];
for (const c of discrete) {
  counts.push(await all(`SELECT ${q(c)} v, count(*) n FROM t GROUP BY ALL ORDER BY n DESC`));
}
const top = counts.map((rows) => rows.slice(0, 10));
const [{ n, d }] = await all("SELECT count(*) n, count(*) - count(DISTINCT hash(t)) d FROM t");
console.log(
  JSON.stringify({
    rows: Number(n),
    duplicates: Number(d),
    sizes: [summary.length, Object.keys(quantiles[0]).length, counts.length, top.length],
  }),
);
