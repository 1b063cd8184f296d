import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { csvByteRanges } from "../../core/data/readers/index.js";
import { DataSchema } from "../../core/data-schema/schema.js";
import { validateData } from "../../core/pipeline/validate.js";
import { silentLogger } from "../../core/ports.js";
import { rangeShares } from "../../core/scan/profile-data.js";
import { transferables } from "../../core/scan/workers.js";
import { tempDir } from "../readers/helpers.js";

const schema = DataSchema.parse({
  columns: {
    x: { type: "number", nullable: false },
    n: { type: "integer", min: 0, max: 900 },
    c: { type: "category", values: ["a", "b", "c"] },
  },
});

/** Over the 8 MiB at which validate splits a file across threads; repeats straddle the halves. */
function bigCsv(): string {
  const rows: string[] = ["x,n,c"];
  for (let i = 0; i < 500_000; i++) {
    const n = i % 1000;
    rows.push(`${((i * 7919) % 1000003) / 1000 - 300},${i % 50_000 === 7 ? "1.5" : n},${"abcd"[i % 4]}`);
  }
  // The opening rows again at the very end: duplicates found only after merging.
  rows.push(...rows.slice(1, 4));
  return `${rows.join("\n")}\n`;
}

describe("validateData across threads", () => {
  it("gives what one thread gives, to the bit", async () => {
    const dir = tempDir();
    const file = join(dir, "big.csv");
    const content = bigCsv();
    writeFileSync(file, content);
    const options = { cwd: dir, schema, logger: silentLogger, maxErrors: 5 };

    const one = await validateData(file, { ...options, workers: 1 });
    const two = await validateData(file, { ...options, workers: 2 });

    expect(content.length).toBeGreaterThan(8 << 20);
    const { profile: p1, ...r1 } = one;
    const { profile: p2, ...r2 } = two;
    expect(r2).toEqual(r1);
    expect(r1.errors.map((e) => e.check)).toEqual(["type", "max", "values"]);
    expect(r1.warnings.map((w) => w.check)).toEqual(["duplicate_row"]);
    expect(p2).toEqual(p1);
  }, 60_000);

  it("profiles to the bit the same whatever the number of threads taking its ranges", async () => {
    const dir = tempDir();
    const file = join(dir, "big.csv");
    writeFileSync(file, bigCsv());
    const options = { cwd: dir, schema, logger: silentLogger, maxErrors: 5 };

    const two = await validateData(file, { ...options, workers: 2 });
    const three = await validateData(file, { ...options, workers: 3 });

    expect(rangeShares(statSync(file).size).length).toBeGreaterThan(2);
    expect(three).toEqual(two);
  }, 60_000);

  it("sizes byte ranges by their shares", async () => {
    const dir = tempDir({ "d.csv": `a\n${"1234567\n".repeat(1000)}` });

    const ranges = await csvByteRanges(join(dir, "d.csv"), 2, {}, [1, 3]);

    expect(ranges.map((r) => r.end - r.start)).toEqual([2000, 6000]);
  });
});

describe("transferables", () => {
  it("lists each plain ArrayBuffer once, leaving Buffers and SharedArrayBuffers out", () => {
    const block = new Int32Array(6);
    const other = new Float64Array(2);
    const state = {
      blocks: [[block, block.subarray(0, 3)]],
      counts: new Map([["x", { values: other }]]),
      text: Buffer.from("pooled"),
      shared: new Int32Array(new SharedArrayBuffer(8)),
      name: "part",
    };

    const found = transferables(state);

    expect(found).toEqual([block.buffer, other.buffer]);
    expect(found[0]).toBe(block.buffer);
    expect(found[1]).toBe(other.buffer);
  });
});
