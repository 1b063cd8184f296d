// validate + profile with nodejs-polars: read the CSV, then per column nulls, describe (count, mean, std,
// min, max, median), quantiles 1/25/50/75/99% (one sort per column, nearest rank), distinct counts, top
// values of text and integer columns (their value counts, which give their distinct counts too), and
// duplicated rows.
import pl from "nodejs-polars";

const df = pl.readCSV(process.argv[2]);
const floats = df.columns.filter((c) => df.getColumn(c).isFloat());
const numeric = df.columns.filter((c) => df.getColumn(c).isNumeric());
const discrete = df.columns.filter((c) => !floats.includes(c));
const describe = df.select(...numeric).describe();
const nulls = df.nullCount();
const ranks = [0.01, 0.25, 0.5, 0.75, 0.99].map((q) => Math.round(q * (df.height - 1)));
const quantiles = df.select(...numeric.map((c) => pl.col(c).dropNulls().sort().gather(ranks).implode()));
const distinct = df.select(...floats.map((c) => pl.col(c).nUnique()));
const counts = discrete.map((c) => df.getColumn(c).valueCounts(true));
const top = counts.map((vc) => vc.head(10));
const duplicates = df.isDuplicated().cast(pl.UInt32).sum();
console.log(
  JSON.stringify({
    rows: df.height,
    duplicates,
    sizes: [describe.width, nulls.width, quantiles.width, distinct.width + counts.length, top.length],
  }),
);
