import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { BENCH_DIR, generateTable } from "./data.js";
import { pythonWithPackages, type Timed, timed } from "./timing.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

// Evidently's default drift tests, written out with pandas + scipy (Evidently itself is not installed):
// reference > 1000 rows, so normalised Wasserstein for numeric columns with > 5 values, Jensen-Shannon
// (Sturges bins or value counts, as its get_binned_data) for the rest; thresholds 0.1; share >= 0.5.
const PANDAS = `
import sys, json, resource, numpy as np, pandas as pd
from scipy import stats
from scipy.spatial import distance
ref = pd.read_csv(sys.argv[1]); cur = pd.read_csv(sys.argv[2])
def binned(r, c, numeric):
    if numeric and r.nunique() > 20:
        bins = np.histogram_bin_edges(pd.concat([r, c]).values, bins="sturges")
        return np.histogram(r, bins)[0] / len(r), np.histogram(c, bins)[0] / len(c)
    keys = list(set(r.unique()) | set(c.unique())); rv, cv = r.value_counts(), c.value_counts()
    return np.array([rv.get(k, 0) / len(r) for k in keys]), np.array([cv.get(k, 0) / len(c) for k in keys])
drifted = []
for col in ref.columns:
    r, c = ref[col].dropna(), cur[col].dropna()
    numeric = pd.api.types.is_numeric_dtype(r)
    if numeric and pd.concat([r, c]).nunique() > 5:
        s = stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)
    else:
        a, b = binned(r, c, numeric); s = distance.jensenshannon(a, b, 2)
    if s >= 0.1: drifted.append(col)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"drift": len(drifted) / len(ref.columns) >= 0.5, "drifted": drifted,
                  "cpu": {"user": usage.ru_utime, "system": usage.ru_stime}}))
`;

// The drift engine behind a tiny driver, bundled like dist/ (with the range worker beside it, where
// core/scan/workers.ts looks for it) so no TypeScript loader is timed.
const DRIVER = `
import { writeFile } from "node:fs/promises";
import { detectDrift, loadSide } from "../core/drift/index.js";
import { silentLogger } from "../core/ports.js";
const [mode, a, b] = process.argv.slice(2);
// All threads' CPU time (getrusage of the process), in seconds.
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return { user: user / 1e6, system: system / 1e6 };
};
if (mode === "profile") {
  const side = await loadSide(a, { cwd: process.cwd() });
  await writeFile(b, JSON.stringify(side.profile));
  console.log(JSON.stringify({ cpu: cpu() }));
} else {
  const started = performance.now();
  const result = await detectDrift(a, b, { cwd: process.cwd(), logger: silentLogger });
  const drifted = result.columns.filter((c) => c.drift).map((c) => c.column);
  console.log(JSON.stringify({ drift: result.drift, drifted, ms: performance.now() - started, cpu: cpu() }));
}
`;

async function bundleDriver(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "mg-bench-drift-"));
  const entry = path.join(import.meta.dirname, ".drift-driver.ts");
  await writeFile(entry, DRIVER);
  // The bundles are .js files, as in dist/: ESM by this package.json.
  await writeFile(path.join(dir, "package.json"), '{ "type": "module" }\n');
  try {
    await build({
      entryPoints: {
        driver: entry,
        "validate-worker": path.resolve(import.meta.dirname, "../core/scan/validate-worker.ts"),
      },
      outdir: dir,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      minify: true,
      logLevel: "warning",
    });
  } finally {
    await import("node:fs/promises").then((fs) => fs.rm(entry, { force: true }));
  }
  return path.join(dir, "driver.js");
}

export async function benchDrift(): Promise<void> {
  const reference = await generateTable(path.join(BENCH_DIR, `table-${ROWS}.csv`), { rows: ROWS, seed: 1 });
  const current = await generateTable(path.join(BENCH_DIR, `table-${ROWS}-shift.csv`), {
    rows: ROWS,
    seed: 2,
    shift: 0.25,
  });
  const driver = await bundleDriver();
  const profile = path.join(BENCH_DIR, `table-${ROWS}.profile.json`);
  await timed(process.execPath, [driver, "profile", reference, profile]);

  const ours = await timed(process.execPath, [driver, "drift", reference, current]);
  const stored = await timed(process.execPath, [driver, "drift", profile, current]);
  // Reading the current data alone, so the stored-profile overhead can be told apart.
  const readOnly = await timed(process.execPath, [
    driver,
    "profile",
    current,
    path.join(tmpdir(), "mg-current.json"),
  ]);
  const python = await pythonWithPackages(["pandas", "scipy"]);
  const peer = python ? await timed(python, ["-c", PANDAS, reference, current]) : undefined;

  const verdict = (t: Timed) => {
    const parsed = JSON.parse(t.stdout) as { drift: boolean; drifted: string[] };
    return `${parsed.drift ? "drift" : "no drift"} [${parsed.drifted.join(" ")}]`;
  };
  const cpu = (t: Timed) => {
    const parsed = JSON.parse(t.stdout.trim().split("\n").at(-1) ?? "{}") as {
      cpu?: { user: number; system: number };
    };
    return parsed.cpu ? parsed.cpu.user.toFixed(2) : "";
  };
  const rows: Array<[string, Timed, string]> = [
    ["modelgate drift (raw vs raw)", ours, verdict(ours)],
    ["modelgate drift (stored profile vs raw)", stored, verdict(stored)],
    ["modelgate: profile current only", readOnly, ""],
    ...(peer
      ? [["pandas + scipy (Evidently defaults)", peer, verdict(peer)] as [string, Timed, string]]
      : []),
  ];
  console.log(
    `drift: ${ROWS} vs ${ROWS} rows x 20 columns, current shifted 0.25 sd (f0..f2) and reweighted (c0..c2)`,
  );
  console.table(
    rows.map(([tool, t, v]) => ({
      tool,
      "wall s": t.seconds.toFixed(2),
      "user CPU s": cpu(t),
      "peak RSS MB": (t.maxRssKb / 1024).toFixed(0),
      verdict: v,
    })),
  );
  if (peer) console.log(`speed: ${(peer.seconds / ours.seconds).toFixed(2)}x pandas + scipy (target >= 5x)`);
  console.log(`peak RSS: ${(ours.maxRssKb / 1024).toFixed(0)} MB (target <= 200 MB)`);
  console.log(
    `stored profile overhead over reading current once: ${(stored.seconds - readOnly.seconds).toFixed(2)} s (target <= 0.2 s)`,
  );
}
