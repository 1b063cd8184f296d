import { createWriteStream, existsSync } from "node:fs";
import { mkdir, rename, stat } from "node:fs/promises";
import path from "node:path";

export const BENCH_DIR = path.resolve(import.meta.dirname, "out");

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TableSpec {
  rows: number;
  seed: number;
  /** Shift numeric columns f0..f2 by this many standard deviations and reweight c0..c2 (drift benchmark). */
  shift?: number;
}

/** 12 float, 4 integer, 3 category and 1 label column: the table every benchmark uses (~135 MB at 1M rows). */
export async function generateTable(file: string, spec: TableSpec): Promise<string> {
  if (existsSync(file) && (await stat(file)).size > 0) return file;
  await mkdir(path.dirname(file), { recursive: true });
  const random = mulberry32(spec.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  // Written aside and renamed when whole, so an interrupted run never leaves a short table behind.
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  const header = [
    ...Array.from({ length: 12 }, (_, i) => `f${i}`),
    ...Array.from({ length: 4 }, (_, i) => `i${i}`),
    ...Array.from({ length: 3 }, (_, i) => `c${i}`),
    "label",
  ];
  out.write(`${header.join(",")}\n`);
  const cats = ["alpha", "beta", "gamma", "delta", "epsilon"];
  let chunk = "";
  for (let r = 0; r < spec.rows; r++) {
    const cells: string[] = [];
    let z = 0;
    for (let i = 0; i < 12; i++) {
      const v = normal() + (i < 3 ? (spec.shift ?? 0) : 0);
      if (i < 4) z += v * (i % 2 ? -0.8 : 0.8);
      cells.push(v.toFixed(6));
    }
    for (let i = 0; i < 4; i++) cells.push(String(Math.floor(random() * 1000)));
    for (let i = 0; i < 3; i++) {
      const skew = spec.shift && i < 3 ? random() ** 2 : random();
      cells.push(cats[Math.floor(skew * cats.length)]!);
    }
    cells.push(random() < 1 / (1 + Math.exp(-2 * z)) ? "1" : "0");
    chunk += `${cells.join(",")}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((resolve) => out.once("drain", resolve));
      chunk = "";
    }
  }
  out.write(chunk);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  await rename(partial, file);
  return file;
}

export const benchSchemaYaml = [
  "rows: { min: 1 }",
  "columns:",
  ...Array.from({ length: 12 }, (_, i) => `  f${i}: { type: number, nullable: false }`),
  ...Array.from({ length: 4 }, (_, i) => `  i${i}: { type: integer, min: 0, max: 999 }`),
  ...Array.from(
    { length: 3 },
    (_, i) => `  c${i}: { type: category, values: [alpha, beta, gamma, delta, epsilon] }`,
  ),
  "  label: { type: category, values: ['0', '1'], nullable: false }",
  "",
].join("\n");
