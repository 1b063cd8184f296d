// A bootstrap calls every metric about a thousand times on the same data. Whatever depends on a row
// alone (its prediction, its loss) is worked out once per data set and kept here, keyed by the data
// object, so a resample costs one pass of additions. Data sets are therefore treated as immutable.
const perData = new WeakMap<object, Map<string, Float64Array | Int32Array>>();

export function cached<A extends Float64Array | Int32Array>(data: object, key: string, build: () => A): A {
  let entries = perData.get(data);
  if (!entries) {
    entries = new Map();
    perData.set(data, entries);
  }
  const hit = entries.get(key);
  if (hit) return hit as A;
  const built = build();
  entries.set(key, built);
  return built;
}

/** Rows a metric reads: the resample when given, else every row once. */
export function rowCount(n: number, index: Int32Array | undefined): number {
  return index ? index.length : n;
}

/** Mean of per-row values over the resample (or all rows); NaN for no rows. */
export function meanOver(values: Float64Array, index: Int32Array | undefined): number {
  let sum = 0;
  if (index) {
    for (let j = 0; j < index.length; j++) sum += values[index[j]!]!;
    return index.length === 0 ? Number.NaN : sum / index.length;
  }
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length === 0 ? Number.NaN : sum / values.length;
}
