import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openData } from "../../core/data/readers/index.js";
import { profileSources } from "../../core/profile/index.js";
import { cli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

/** ~10 MB: past the size where the scan engine reads a CSV file in byte ranges on worker threads. */
function largeCsv(rows: number): string {
  const lines = ["id,amount,plan,score,note"];
  for (let i = 0; i < rows; i++) {
    const amount = i % 97 === 0 ? "NA" : ((i * 7919) % 100_003) / 7;
    const plan = ["basic", "pro", "team"][i % 3];
    lines.push(`${i},${amount},${plan},${(i % 1000) / 3},"note ${i % 50}, quoted"`);
  }
  return `${lines.join("\n")}\n`;
}

describe("modelgate profile", () => {
  it("reads a large CSV with the scan engine and says what the serial reader says", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "large.csv");
    await writeFile(file, largeCsv(220_000));

    const run = await cli(["profile", "large.csv", "--json"], dir);
    const serial = await profileSources(await openData(file, { cwd: dir }));

    expect(run.code).toBe(0);
    const profile = JSON.parse(run.stdout);
    expect(profile.rows).toBe(220_000);
    for (const name of ["id", "amount", "plan", "score", "note"]) {
      const got = profile.columns[name];
      const want = serial.columns[name]!;
      expect({ name, count: got.count, missing: got.missing, kind: got.kind }).toEqual({
        name,
        count: want.count,
        missing: want.missing,
        kind: want.kind,
      });
      if (want.numeric) {
        expect(got.numeric.min).toBe(want.numeric.min);
        expect(got.numeric.max).toBe(want.numeric.max);
        // Batches are cut where the byte ranges start: the sums may differ in the last bits only.
        expect(got.numeric.mean).toBeCloseTo(want.numeric.mean, 9);
        expect(got.numeric.std).toBeCloseTo(want.numeric.std, 9);
      }
    }
    expect(profile.columns.amount.missing).toBe(Math.ceil(220_000 / 97));
    expect(run.stderr).toContain("reading large.csv");
  });
});
