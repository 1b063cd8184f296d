// The same drift tests as pandas-drift.py (Evidently's defaults for large data), in DuckDB SQL (in memory):
// normalised Wasserstein for numeric columns with > 5 values (the integral of |F_ref - F_cur| over the
// merged sorted values, as scipy computes it, with window sums); Jensen-Shannon (base 2) of the value
// shares for the rest.
import { DuckDBInstance } from "@duckdb/node-api";

const connection = await (await DuckDBInstance.create(":memory:")).connect();
const all = async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS();
const one = async (sql) => Object.values((await all(sql))[0])[0];
const literal = (file) => `'${file.replaceAll("'", "''")}'`;
await connection.run(`CREATE TABLE r AS SELECT * FROM read_csv(${literal(process.argv[2])})`);
await connection.run(`CREATE TABLE k AS SELECT * FROM read_csv(${literal(process.argv[3])})`);
const q = (c) => `"${c.replaceAll('"', '""')}"`;
const types = (await all("DESCRIBE r")).map((row) => [row.column_name, row.column_type]);

async function wasserstein(c) {
  const [nr, nk] = [await one(`SELECT count(${q(c)}) FROM r`), await one(`SELECT count(${q(c)}) FROM k`)];
  const w = await one(`
    WITH u AS (SELECT ${q(c)}::DOUBLE v, ${1 / Number(nr)} w FROM r WHERE ${q(c)} IS NOT NULL
               UNION ALL SELECT ${q(c)}::DOUBLE, ${-1 / Number(nk)} FROM k WHERE ${q(c)} IS NOT NULL),
         g AS (SELECT v, sum(w) w FROM u GROUP BY v),
         s AS (SELECT sum(w) OVER (ORDER BY v ROWS UNBOUNDED PRECEDING) f, lead(v) OVER (ORDER BY v) - v dv FROM g)
    SELECT sum(abs(f) * dv) FROM s`);
  const std = await one(`SELECT stddev_pop(${q(c)}) FROM r`);
  return w / Math.max(std, 0.001);
}

async function jensenShannon(c) {
  const shares = await all(`
    WITH a AS (SELECT ${q(c)}::VARCHAR v, count(*) / sum(count(*)) OVER () p FROM r WHERE ${q(c)} IS NOT NULL GROUP BY ALL),
         b AS (SELECT ${q(c)}::VARCHAR v, count(*) / sum(count(*)) OVER () p FROM k WHERE ${q(c)} IS NOT NULL GROUP BY ALL)
    SELECT coalesce(a.p, 0) a, coalesce(b.p, 0) b FROM a FULL JOIN b USING (v)`);
  let divergence = 0;
  for (const { a, b } of shares) {
    const m = (a + b) / 2;
    if (a > 0) divergence += (a * Math.log(a / m)) / 2;
    if (b > 0) divergence += (b * Math.log(b / m)) / 2;
  }
  return Math.sqrt(divergence / Math.LN2);
}

const drifted = [];
const scores = {};
for (const [c, type] of types) {
  const numeric = /INT|DOUBLE|FLOAT|DECIMAL/.test(type);
  const distinct = numeric
    ? Number(
        await one(`SELECT count(DISTINCT v) FROM (SELECT ${q(c)} v FROM r UNION ALL SELECT ${q(c)} FROM k)`),
      )
    : 0;
  scores[c] = numeric && distinct > 5 ? await wasserstein(c) : await jensenShannon(c);
  if (scores[c] >= 0.1) drifted.push(c);
}
console.log(JSON.stringify({ drift: drifted.length / types.length >= 0.5, drifted, scores }));
