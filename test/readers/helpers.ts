import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTable } from "../../core/data/source.js";
import type { Batch, DataSource } from "../../core/data/types.js";

/** A fresh temporary folder with the given files written into it. */
export function tempDir(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "modelgate-readers-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Rows as arrays, with their lines: easier to compare whole than columns. */
export async function rowsOf(source: DataSource) {
  const table = await readTable(source);
  const rows = Array.from({ length: table.lines.length }, (_, r) => table.data.map((column) => column[r]));
  return { columns: table.columns, rows, lines: [...table.lines], ragged: table.ragged };
}

export async function collect(source: DataSource, batchSize?: number): Promise<Batch[]> {
  const batches: Batch[] = [];
  for await (const batch of source.batches({ batchSize })) batches.push(batch);
  return batches;
}
