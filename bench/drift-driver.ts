// The drift engine without the CLI around it, bundled by bench/drift.ts (like dist/, with the range
// worker beside it), so the stored-profile overhead compares like with like:
//   drift REFERENCE CURRENT     detectDrift, prints {drift, drifted}
//   read CURRENT PROFILE        reads CURRENT as drift does after loading the stored PROFILE, and no more
import { detectDrift, hintsFromProfile, loadSide, readProfileFile } from "../core/drift/index.js";
import { silentLogger } from "../core/ports.js";

const [mode, a, b] = process.argv.slice(2) as [string, string, string];
const cwd = process.cwd();
if (mode === "read") {
  const hints = hintsFromProfile(await readProfileFile(b, cwd));
  const side = await loadSide(a, { cwd, hints, logger: silentLogger });
  console.log(JSON.stringify({ rows: side.profile.rows }));
} else {
  const result = await detectDrift(a, b, { cwd, logger: silentLogger });
  const drifted = result.columns.filter((c) => c.drift).map((c) => c.column);
  console.log(JSON.stringify({ drift: result.drift, drifted }));
}
