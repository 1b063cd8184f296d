import { distributionOf } from "./buckets.js";
import type { Chart } from "./schema.js";
import { type ColumnView, requirePoints } from "./view.js";

const BINS = 10;
const CATEGORIES = 8;

const round = (x: number) => Math.round(x * 10_000) / 10_000;
const show = (x: number) => String(Number(x.toPrecision(3)));

/** Shares per reference decile (numeric) or per most common reference category (the rest as "other"). */
export function chartOf(
  reference: ColumnView,
  current: ColumnView,
  as: "numeric" | "categorical",
): Chart | undefined {
  if (as === "numeric") {
    if (reference.n === 0 || current.n === 0) return undefined;
    const a = distributionOf(requirePoints(reference, "chart"));
    const b = distributionOf(requirePoints(current, "chart"));
    const edges = Array.from({ length: BINS - 1 }, (_, i) => a.quantile((i + 1) / BINS));
    const shares = (cdf: (x: number) => number) =>
      [...edges, Number.POSITIVE_INFINITY].map((edge, i) =>
        round(cdf(edge) - (i === 0 ? 0 : cdf(edges[i - 1]!))),
      );
    return {
      labels: [...edges.map((edge) => `<=${show(edge)}`), `>${show(edges.at(-1) ?? 0)}`],
      reference: shares((x) => a.cdf(x)),
      current: shares((x) => b.cdf(x)),
    };
  }
  const ref = reference.counts;
  const cur = current.counts;
  if (!ref || !cur) return undefined;
  const top = [...ref.entries()]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, CATEGORIES)
    .map(([key]) => key);
  const share = (counts: Map<string, number>, n: number) => {
    const listed = top.map((key) => (counts.get(key) ?? 0) / n);
    return [...listed, 1 - listed.reduce((s, x) => s + x, 0)].map((x) => round(Math.max(0, x)));
  };
  return { labels: [...top, "other"], reference: share(ref, reference.n), current: share(cur, current.n) };
}
