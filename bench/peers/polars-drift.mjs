// The same drift tests as pandas-drift.py (Evidently's defaults for large data), with nodejs-polars:
// normalised Wasserstein for numeric columns with > 5 values, computed with Polars expressions as scipy
// does (the integral of |F_ref - F_cur| over the merged sorted values); Jensen-Shannon (base 2) of the
// value shares for the rest. (The Sturges-binned branch of pandas-drift.py is never taken: a numeric
// column reaches it only with <= 5 distinct values, so its value shares are used.)
import pl from "nodejs-polars";

const [ref, cur] = [pl.readCSV(process.argv[2]), pl.readCSV(process.argv[3])];

function wasserstein(c) {
  const r = ref.select(pl.col(c).cast(pl.Float64).alias("v")).dropNulls();
  const k = cur.select(pl.col(c).cast(pl.Float64).alias("v")).dropNulls();
  // Each reference value adds 1/nr to F_ref - F_cur, each current value takes 1/nc off.
  const merged = pl
    .concat([r.withColumns(pl.lit(1 / r.height).alias("w")), k.withColumns(pl.lit(-1 / k.height).alias("w"))])
    .sort("v");
  const w = merged
    .select(pl.col("w").cumSum().abs().mul(pl.col("v").diff(1, "ignore").shift(-1)).sum())
    .row(0)[0];
  // nodejs-polars' std is the sample one (n - 1); numpy's np.std, as the pandas script uses, divides by n.
  const std = r.select(pl.col("v").std()).row(0)[0] * Math.sqrt((r.height - 1) / r.height);
  return w / Math.max(std, 0.001);
}

function jensenShannon(c) {
  const shares = (df) => {
    const counts = df.getColumn(c).dropNulls().valueCounts();
    const total = counts.getColumn("count").sum();
    return new Map(counts.rows().map(([value, n]) => [String(value), n / total]));
  };
  const [p, q] = [shares(ref), shares(cur)];
  let divergence = 0;
  for (const key of new Set([...p.keys(), ...q.keys()])) {
    const [a, b] = [p.get(key) ?? 0, q.get(key) ?? 0];
    const m = (a + b) / 2;
    if (a > 0) divergence += (a * Math.log(a / m)) / 2;
    if (b > 0) divergence += (b * Math.log(b / m)) / 2;
  }
  return Math.sqrt(divergence / Math.LN2);
}

const drifted = [];
const scores = {};
for (const c of ref.columns) {
  const numeric = ref.getColumn(c).isNumeric();
  const distinct = numeric
    ? pl
        .concat([ref.getColumn(c).cast(pl.Float64), cur.getColumn(c).cast(pl.Float64)])
        .dropNulls()
        .nUnique()
    : 0;
  scores[c] = numeric && distinct > 5 ? wasserstein(c) : jensenShannon(c);
  if (scores[c] >= 0.1) drifted.push(c);
}
console.log(JSON.stringify({ drift: drifted.length / ref.columns.length >= 0.5, drifted, scores }));
